/**
 * The contract between the chart and the server: for every tested value set, the rendered container
 * args and the mounted --config file pass scaleplane's own `serve` parser without an issue, and
 * the parsed settings are the ones the values asked for.
 */
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseServeConfig, rulesDocumentIssues } from '../../src/config/index.js';
import {
  chartDir,
  ensureHelm,
  getObject,
  helmTemplate,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

/** Renders a value set and parses it the way the container would start. */
async function parseRendered(valuesFiles: string[], values: unknown = {}) {
  const objects = await helmTemplate({ valuesFiles, values });
  const args = getObject<V1Deployment>(objects, 'Deployment').spec!.template.spec!.containers[0]!
    .args!;
  const configText = getObject<V1ConfigMap>(objects, 'ConfigMap').data!['config.yaml']!;
  expect(args[0]).toBe('serve');
  const readFile = (path: string) => {
    if (path !== '/etc/scaleplane/config.yaml') throw new Error(`unexpected read of ${path}`);
    return configText;
  };
  return parseServeConfig(args.slice(1), readFile, rulesDocumentIssues);
}

const ciFiles = readdirSync(join(chartDir, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('rendered args parse cleanly', () => {
  const cases = [
    { name: 'default values', files: [] as string[], values: {} },
    ...ciFiles.map((file) => ({ name: `ci/${file}`, files: [`ci/${file}`], values: {} })),
    {
      name: 'every kubelet and serving option',
      files: [],
      values: {
        tls: { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] },
        kubelet: {
          source: 'summary',
          useNodeStatusPort: false,
          insecureTLS: true,
          nodeSelector: 'pool=infra',
          certificateAuthority: { secretName: 'ca' },
          clientCertificate: { secretName: 'client' },
        },
        prometheus: {
          url: 'https://prom:9090',
          auth: { type: 'basicAuth', secretName: 'pw', username: 'u' },
        },
        hpa: { mode: false },
        serviceMonitor: { enabled: true },
      },
    },
  ];

  it.each(cases)('$name', async ({ files, values }) => {
    const parsed = await parseRendered(files, values);
    expect(parsed.issues).toBeUndefined();
    expect(parsed.config).toBeDefined();
  });
});

describe('parsed settings follow the values', () => {
  it('ci/prometheus-auth.yaml: Prometheus endpoint, credentials and header', async () => {
    const { config } = await parseRendered(['ci/prometheus-auth.yaml']);
    expect(config?.prometheus).toMatchObject({
      url: 'https://thanos-querier.monitoring.svc:9091',
      tokenFile: '/var/run/scaleplane/prometheus-auth/token',
      caFile: '/var/run/scaleplane/prometheus-ca/service-ca.crt',
      clientCertFile: '/var/run/scaleplane/prometheus-client/tls.crt',
      clientKeyFile: '/var/run/scaleplane/prometheus-client/tls.key',
      headers: { 'X-Scope-OrgID': 'tenant-a' },
      timeoutMs: 5000,
    });
    expect(config?.rulesDocument?.rules).toHaveLength(1);
  });

  it('ci/insecure.yaml: self-signed certificate in the emptyDir, kubelet TLS unverified', async () => {
    const { config } = await parseRendered(['ci/insecure.yaml']);
    expect(config?.serving).toMatchObject({ certDir: '/tmp/serving-cert', securePort: 6443 });
    expect(config?.serving.tlsCertFile).toBeUndefined();
    expect(config?.kubelet.insecureTls).toBe(true);
  });

  it('defaults: serving certificate files, node status port, recommend mode', async () => {
    const { config } = await parseRendered([]);
    expect(config?.serving).toMatchObject({
      tlsCertFile: '/var/run/scaleplane/serving-cert/tls.crt',
      tlsPrivateKeyFile: '/var/run/scaleplane/serving-cert/tls.key',
      alwaysAllowPaths: ['/healthz', '/readyz', '/livez'],
    });
    expect(config?.kubelet).toMatchObject({
      useNodeStatusPort: true,
      metricResolutionMs: 15_000,
      requestTimeoutMs: 10_000,
    });
    expect(config?.hpaMode).toBe('recommend');
    expect(config?.prometheus.url).toBeUndefined();
  });

  it.each([
    {
      name: 'leader election on: the Lease is the release, in its namespace',
      values: { leaderElection: { leaseDuration: '20s' } },
      want: {
        enabled: true,
        resourceName: 'sp-scaleplane',
        resourceNamespace: 'monitoring',
        leaseDurationMs: 20_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
    },
    {
      name: 'leader election off',
      values: { leaderElection: { enabled: false } },
      want: { enabled: false },
    },
  ])('$name', async ({ values, want }) => {
    const { config, issues } = await parseRendered([], values);
    expect(issues).toBeUndefined();
    expect(config?.leaderElection).toMatchObject(want);
  });
});
