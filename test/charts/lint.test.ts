/**
 * `helm lint --strict` over the default values and every tested value set in charts/scaleplane/ci,
 * the gate chart-testing (ct lint) applies to charts in CI.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartDir, ensureHelm, runHelm, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';

const ciFiles = readdirSync(join(chartDir, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const cases = [
  { name: 'default values', args: [] as string[] },
  ...ciFiles.map((file) => ({ name: `ci/${file}`, args: ['-f', join(chartDir, 'ci', file)] })),
  {
    name: 'Grafana dashboard, PrometheusRule and ServiceMonitor enabled',
    args: [
      '--set',
      'grafanaDashboard.enabled=true',
      '--set',
      'prometheusRule.enabled=true',
      '--set',
      'serviceMonitor.enabled=true',
    ],
  },
];

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

describe('helm lint --strict', () => {
  it('covers the value sets the chart documents', () => {
    expect(ciFiles).toEqual([
      'all-apis.yaml',
      'cert-manager.yaml',
      'custom-external-only.yaml',
      'existing-secret.yaml',
      'ha-2-replicas.yaml',
      'insecure.yaml',
      'prometheus-auth.yaml',
    ]);
  });

  it.each(cases)('$name', async ({ args }) => {
    const result = await runHelm(['lint', '--strict', chartDir, ...args]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});
