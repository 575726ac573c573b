/**
 * Loader for the shared, read-only fixtures in ../shared/fixtures (real kubelet and metrics-API
 * payloads). Tests read them through here so the location is written once.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, whether running from test/ sources or dist/test. */
export const repoRoot = resolve(
  here,
  here.includes(`${join('dist', 'test')}`) ? '../../..' : '../..',
);
export const sharedDir = resolve(repoRoot, '..', 'shared');

export const fixtureFiles = {
  summary135: 'kubelet/nri-kubernetes--internal-testutil-data-1_35-kubelet-stats-summary.json',
  summary131: 'kubelet/nri-kubernetes--internal-testutil-data-1_31-kubelet-stats-summary.json',
  summaryOld:
    'kubelet/nri-kubernetes--src-kubelet-metric-testdata-kubelet_stats_summary_payload.json',
  pods135: 'kubelet/nri-kubernetes--internal-testutil-data-1_35-kubelet-pods.json',
  metricsResource135:
    'kubelet/DERIVED--nri-kubernetes--internal-testutil-data-1_35-kubelet-metrics-resource.txt',
  nodeMetricsList:
    'metrics-api/libcloud--libcloud-test-container-fixtures-kubernetes-_apis_metrics_k8s_io_v1beta1_nodes.json',
  podMetricsList:
    'metrics-api/libcloud--libcloud-test-container-fixtures-kubernetes-_apis_metrics_k8s_io_v1beta1_pods.json',
} as const;

export function fixturePath(name: keyof typeof fixtureFiles): string {
  return join(sharedDir, 'fixtures', fixtureFiles[name]);
}

export function readFixture(name: keyof typeof fixtureFiles): Buffer {
  return readFileSync(fixturePath(name));
}

export function hpaScenarioDir(): string {
  return join(sharedDir, 'hpa-scenarios');
}
