/**
 * The Deployment's container args: each value maps to its `scaleplane serve` flag (the names
 * metrics-server and prometheus-adapter use).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm, renderPod, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

const render = (values: unknown = {}, valuesFiles: string[] = []) =>
  renderPod({ values, valuesFiles });

describe('default args', () => {
  it('are exactly the documented defaults', async () => {
    const { main } = await render();
    expect(main.args).toEqual([
      'serve',
      '--config=/etc/scaleplane/config.yaml',
      '--secure-port=6443',
      '--tls-cert-file=/var/run/scaleplane/serving-cert/tls.crt',
      '--tls-private-key-file=/var/run/scaleplane/serving-cert/tls.key',
      '--tls-min-version=VersionTLS12',
      '--authorization-always-allow-paths=/healthz,/readyz,/livez',
      '--v=0',
      '--metric-resolution=15s',
      '--kubelet-source=resource',
      '--kubelet-request-timeout=10s',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      '--kubelet-use-node-status-port',
      '--kubelet-max-concurrency=64',
      '--hpa-mode=recommend',
      '--hpa-sync-period=15s',
      '--horizontal-pod-autoscaler-tolerance=0.1',
      '--horizontal-pod-autoscaler-cpu-initialization-period=5m',
      '--horizontal-pod-autoscaler-initial-readiness-delay=30s',
      '--horizontal-pod-autoscaler-downscale-stabilization=5m',
      '--leader-elect=true',
      '--leader-elect-resource-name=sp-scaleplane',
      '--leader-elect-resource-namespace=monitoring',
      '--leader-elect-lease-duration=15s',
      '--leader-elect-renew-deadline=10s',
      '--leader-elect-retry-period=2s',
    ]);
  });
});

describe('args reflect values', () => {
  const cases = [
    {
      name: 'prometheus url, timeouts and relist',
      values: {
        prometheus: {
          url: 'http://prom:9090',
          timeout: '3s',
          metricsRelistInterval: '*/5 * * * *',
          metricsMaxAge: '1m',
        },
      },
      present: [
        '--prometheus-url=http://prom:9090',
        '--prometheus-timeout=3s',
        '--metrics-relist-interval=*/5 * * * *',
        '--metrics-max-age=1m',
      ],
      absent: ['--prometheus-token-file', '--prometheus-basic-auth-user', '--prometheus-ca-file'],
    },
    {
      name: 'no prometheus url: no prometheus flags at all',
      values: { prometheus: { auth: { type: 'bearerToken', secretName: 'tok' } } },
      present: [],
      absent: ['--prometheus-', '--metrics-relist-interval', '--metrics-max-age'],
    },
    {
      name: 'prometheus basic auth from a Secret',
      values: {
        prometheus: {
          url: 'https://prom',
          auth: { type: 'basicAuth', secretName: 'prom-creds', username: 'hpa', passwordKey: 'pw' },
        },
      },
      present: [
        '--prometheus-basic-auth-user=hpa',
        '--prometheus-basic-auth-password-file=/var/run/scaleplane/prometheus-auth/pw',
      ],
      absent: ['--prometheus-token-file'],
    },
    {
      name: 'ci/prometheus-auth.yaml: token, CA, client certificate, header',
      files: ['ci/prometheus-auth.yaml'],
      present: [
        '--prometheus-url=https://thanos-querier.monitoring.svc:9091',
        '--prometheus-token-file=/var/run/scaleplane/prometheus-auth/token',
        '--prometheus-ca-file=/var/run/scaleplane/prometheus-ca/service-ca.crt',
        '--prometheus-client-tls-cert-file=/var/run/scaleplane/prometheus-client/tls.crt',
        '--prometheus-client-tls-key-file=/var/run/scaleplane/prometheus-client/tls.key',
        '--prometheus-header=X-Scope-OrgID: tenant-a',
      ],
      absent: ['--prometheus-basic-auth-user'],
    },
    {
      name: 'kubelet flags',
      values: {
        metricResolution: '30s',
        kubelet: {
          source: 'summary',
          requestTimeout: '20s',
          preferredAddressTypes: ['Hostname', 'InternalIP'],
          useNodeStatusPort: false,
          port: 10255,
          insecureTLS: true,
          maxConcurrency: 8,
          nodeSelector: 'node-role.kubernetes.io/worker=',
          certificateAuthority: { secretName: 'kubelet-ca', key: 'ca.pem' },
          clientCertificate: { secretName: 'kubelet-client' },
        },
      },
      present: [
        '--metric-resolution=30s',
        '--kubelet-source=summary',
        '--kubelet-request-timeout=20s',
        '--kubelet-preferred-address-types=Hostname,InternalIP',
        '--kubelet-port=10255',
        '--kubelet-insecure-tls',
        '--kubelet-max-concurrency=8',
        '--node-selector=node-role.kubernetes.io/worker=',
        '--kubelet-certificate-authority=/var/run/scaleplane/kubelet-ca/ca.pem',
        '--kubelet-client-certificate=/var/run/scaleplane/kubelet-client/tls.crt',
        '--kubelet-client-key=/var/run/scaleplane/kubelet-client/tls.key',
      ],
      absent: ['--kubelet-use-node-status-port'],
    },
    {
      name: 'hpa mode off',
      values: { hpa: { mode: 'off', syncPeriod: '30s' } },
      present: ['--hpa-mode=off', '--hpa-sync-period=30s'],
      absent: [],
    },
    {
      name: "the cluster controller's HPA settings",
      values: {
        hpa: {
          controller: {
            tolerance: 0.05,
            cpuInitializationPeriod: '1m',
            initialReadinessDelay: '10s',
            downscaleStabilization: '2m',
          },
        },
      },
      present: [
        '--horizontal-pod-autoscaler-tolerance=0.05',
        '--horizontal-pod-autoscaler-cpu-initialization-period=1m',
        '--horizontal-pod-autoscaler-initial-readiness-delay=10s',
        '--horizontal-pod-autoscaler-downscale-stabilization=2m',
      ],
      absent: [],
    },
    {
      name: 'hpa mode unquoted off (YAML false)',
      values: { hpa: { mode: false } },
      present: ['--hpa-mode=off'],
      absent: ['--hpa-mode=false'],
    },
    {
      name: 'serving options, verbosity and extra args',
      values: {
        containerPort: 8443,
        logVerbosity: 3,
        tls: { minVersion: 'VersionTLS13', cipherSuites: ['TLS_AES_128_GCM_SHA256'] },
        extraArgs: ['--kubelet-max-body-bytes=1024'],
      },
      present: [
        '--secure-port=8443',
        '--v=3',
        '--tls-min-version=VersionTLS13',
        '--tls-cipher-suites=TLS_AES_128_GCM_SHA256',
        '--kubelet-max-body-bytes=1024',
      ],
      absent: [],
    },
    {
      name: 'ServiceMonitor lets /metrics through without authorization',
      values: { serviceMonitor: { enabled: true } },
      present: ['--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics'],
      absent: [],
    },
  ];

  it.each(cases)('$name', async ({ values, files, present, absent }) => {
    const { main } = await render(values, files);
    const args = main.args!;
    for (const flag of present) expect(args).toContain(flag);
    for (const prefix of absent) expect(args.filter((a) => a.startsWith(prefix))).toEqual([]);
  });

  it('appends extraArgs after the chart flags, so they can override them', async () => {
    const { main } = await render({ extraArgs: ['--v=4', '--kubelet-max-body-bytes=1024'] });
    expect(main.args!.slice(-2)).toEqual(['--v=4', '--kubelet-max-body-bytes=1024']);
  });
});
