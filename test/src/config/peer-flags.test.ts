/**
 * The args of metrics-server's and prometheus-adapter's public Deployments (upstream manifests and
 * helm charts, written out here from their templates and default values) parse into a validated
 * serve config: meaningful flags mapped, klog/profiling/audit flags collected for the one warning
 * line, unknown flags refused with exit 2 naming the flag.
 */
import { describe, expect, it } from 'vitest';
import {
  formatIssues,
  ignoredFlagsWarning,
  parseServeConfig,
  type ReadFile,
  type ServeConfig,
} from '../../../src/config/index.js';
import { serveCommand } from '../../../src/cli/serve.js';

/** prometheus-adapter's config file as the charts mount it; the rules do not matter here. */
const files: ReadFile = (path) => {
  if (path === '/etc/adapter/config.yaml') return 'rules: []\nexternalRules: []\n';
  throw new Error(`ENOENT: no such file ${path}`);
};

function parseOk(argv: readonly string[]): ServeConfig {
  const parsed = parseServeConfig(argv, files);
  if (parsed.issues) throw new Error(formatIssues(parsed.issues));
  return parsed.config;
}

// kube-prometheus' cipher list (manifests/prometheusAdapter-deployment.yaml).
const kubePrometheusCiphers = [
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
].join(',');

/** Real args, as each manifest renders them with its default values (and common variants). */
const peerDeployments = [
  {
    name: 'metrics-server components.yaml (v0.7)',
    args: [
      '--cert-dir=/tmp',
      '--secure-port=10250',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      '--kubelet-use-node-status-port',
      '--metric-resolution=15s',
    ],
    ignored: [],
    check: (c: ServeConfig) => {
      expect(c.serving.securePort).toBe(10250);
      expect(c.serving.certDir).toBe('/tmp');
      expect(c.kubelet.useNodeStatusPort).toBe(true);
      expect(c.kubelet.preferredAddressTypes).toEqual(['InternalIP', 'ExternalIP', 'Hostname']);
      expect(c.kubelet.metricResolutionMs).toBe(15_000);
    },
  },
  {
    name: 'metrics-server helm chart: defaultArgs, metrics.enabled and a kind cluster args list',
    args: [
      '--secure-port=10250',
      '--cert-dir=/tmp',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      '--kubelet-use-node-status-port',
      '--metric-resolution=15s',
      '--authorization-always-allow-paths=/metrics',
      '--kubelet-insecure-tls',
      '--v=2',
      '--logtostderr',
    ],
    ignored: ['--logtostderr'],
    check: (c: ServeConfig) => {
      expect(c.kubelet.insecureTls).toBe(true);
      expect(c.serving.alwaysAllowPaths).toEqual(['/metrics']);
      expect(c.verbosity).toBe(2);
    },
  },
  {
    name: 'metrics-server v0.3 manifest with klog flags and the -l node selector shorthand',
    args: [
      '--cert-dir=/tmp',
      '--secure-port=4443',
      '--kubelet-preferred-address-types=InternalIP',
      '--kubelet-insecure-tls',
      '--kubelet-port=10255',
      '-l',
      'node-role.kubernetes.io/worker=true',
      '--alsologtostderr',
      '--vmodule=scraper*=4',
      '--log-file=/var/log/metrics-server.log',
      '--skip-headers',
      '--stderrthreshold=ERROR',
      '--profiling=false',
      '--deprecated-kubelet-completely-insecure=false',
    ],
    ignored: [
      '--alsologtostderr',
      '--vmodule',
      '--log-file',
      '--skip-headers',
      '--stderrthreshold',
      '--profiling',
    ],
    check: (c: ServeConfig) => {
      expect(c.kubelet.nodeSelector).toBe('node-role.kubernetes.io/worker=true');
      expect(c.kubelet.port).toBe(10255);
    },
  },
  {
    name: 'prometheus-adapter helm chart (prometheus-community) with its default values',
    args: [
      '/adapter',
      '--secure-port=6443',
      '--cert-dir=/tmp/cert',
      '--logtostderr=true',
      '--prometheus-url=http://prometheus.default.svc:9090',
      '--metrics-relist-interval=1m',
      '--v=4',
      '--config=/etc/adapter/config.yaml',
    ],
    ignored: ['--logtostderr'],
    command: '/adapter',
    check: (c: ServeConfig) => {
      expect(c.prometheus.url).toBe('http://prometheus.default.svc:9090');
      expect(c.prometheus.relist).toEqual({ kind: 'period', periodMs: 60_000 });
      expect(c.verbosity).toBe(4);
      expect(c.rulesDocument).toEqual({ rules: [], externalRules: [] });
      expect(c.prometheus.verb).toBe('GET');
    },
  },
  {
    name: 'prometheus-adapter helm chart with tls.enable and extraArguments',
    args: [
      '/adapter',
      '--secure-port=6443',
      '--tls-cert-file=/var/run/serving-cert/tls.crt',
      '--tls-private-key-file=/var/run/serving-cert/tls.key',
      '--cert-dir=/tmp/cert',
      '--logtostderr=true',
      '--prometheus-url=http://prometheus-server.monitoring.svc:80/prometheus',
      '--metrics-relist-interval=30s',
      '--v=6',
      '--config=/etc/adapter/config.yaml',
      '--prometheus-header=X-Scope-OrgID: tenant-a',
      '--prometheus-verb=POST',
      '--metrics-max-age=5m',
      '--prometheus-auth-incluster',
    ],
    ignored: ['--logtostderr'],
    command: '/adapter',
    check: (c: ServeConfig) => {
      expect(c.serving.tlsCertFile).toBe('/var/run/serving-cert/tls.crt');
      expect(c.prometheus.headers).toEqual({ 'X-Scope-OrgID': 'tenant-a' });
      expect(c.prometheus.verb).toBe('POST');
      expect(c.prometheus.maxAgeMs).toBe(300_000);
      expect(c.prometheus.authInCluster).toBe(true);
    },
  },
  {
    name: 'kube-prometheus prometheusAdapter-deployment.yaml',
    args: [
      '--cert-dir=/var/run/serving-cert',
      '--config=/etc/adapter/config.yaml',
      '--logtostderr=true',
      '--metrics-relist-interval=1m',
      '--prometheus-url=http://prometheus-k8s.monitoring.svc:9090/',
      '--secure-port=6443',
      `--tls-cipher-suites=${kubePrometheusCiphers}`,
    ],
    ignored: ['--logtostderr'],
    check: (c: ServeConfig) => {
      expect(c.serving.tlsCipherSuites).toHaveLength(6);
      expect(c.prometheus.url).toBe('http://prometheus-k8s.monitoring.svc:9090/');
    },
  },
  {
    name: 'prometheus-adapter with a lister kubeconfig, auth config and apiserver tuning flags',
    args: [
      '--lister-kubeconfig=/etc/kube/lister.yaml',
      '--prometheus-auth-config=/etc/prometheus-auth/kubeconfig',
      '--prometheus-token-file=/var/run/secrets/prom/token',
      '--prometheus-url=https://thanos-querier.openshift-monitoring.svc:9091',
      '--config=/etc/adapter/config.yaml',
      '--authentication-skip-lookup',
      '--authentication-tolerate-lookup-failure',
      '--requestheader-client-ca-file=/etc/front-proxy/ca.crt',
      '--requestheader-allowed-names=front-proxy-client',
      '--audit-policy-file=/etc/audit/policy.yaml',
      '--audit-log-path=-',
      '--permit-port-sharing',
      '--show-hidden-metrics-for-version=1.29',
      '--shutdown-delay-duration=10s',
      '--enable-priority-and-fairness=false',
      '--discovery-interval=10m',
      '--client-qps=20',
      '--client-burst=30',
    ],
    ignored: [
      '--audit-policy-file',
      '--audit-log-path',
      '--permit-port-sharing',
      '--show-hidden-metrics-for-version',
      '--enable-priority-and-fairness',
      '--discovery-interval',
    ],
    check: (c: ServeConfig) => {
      expect(c.kubeconfig).toBe('/etc/kube/lister.yaml');
      expect(c.prometheus.authConfig).toBe('/etc/prometheus-auth/kubeconfig');
      expect(c.prometheus.tokenFile).toBe('/var/run/secrets/prom/token');
      expect(c.serving.authenticationSkipLookup).toBe(true);
      expect(c.serving.authenticationTolerateLookupFailure).toBe(true);
      expect(c.shutdownDelayMs).toBe(10_000);
      expect(c.clientRateLimit).toEqual({ qps: 20, burst: 30 });
    },
  },
];

describe('peer Deployment args: should pass', () => {
  it.each(peerDeployments)('$name', ({ args, ignored, check, ...rest }) => {
    const config = parseOk(args);
    check(config);
    expect(config.ignoredPeerFlags).toEqual(ignored);
    const command = 'command' in rest ? rest.command : undefined;
    expect(config.peerCommand).toBe(command);
    const warning = ignoredFlagsWarning(config.ignoredPeerFlags, config.peerCommand);
    if (ignored.length === 0 && command === undefined) expect(warning).toBeUndefined();
    else expect(warning?.fields.flags).toEqual(ignored);
  });

  it('defaults: no rate limit, no shutdown delay, GET, no lookup changes', () => {
    const c = parseOk([]);
    expect(c.clientRateLimit).toEqual({ qps: 0, burst: 10 });
    expect(c.shutdownDelayMs).toBe(0);
    expect(c.prometheus.verb).toBe('GET');
    expect(c.prometheus.authInCluster).toBe(false);
    expect(c.serving.authenticationSkipLookup).toBe(false);
    expect(c.ignoredPeerFlags).toEqual([]);
  });

  it('an ignored flag repeated is named once', () => {
    expect(parseOk(['--v=2', '--logtostderr', '--logtostderr=false']).ignoredPeerFlags).toEqual([
      '--logtostderr',
    ]);
  });
});

describe('peer Deployment args: should fail', () => {
  const cases = [
    {
      name: 'an unknown flag among peer flags',
      argv: ['--logtostderr', '--kubelet-unknown-thing=1', '--secure-port=6443'],
      paths: ['--kubelet-unknown-thing'],
      message: 'unknown flag',
    },
    {
      name: 'a peer binary path that is not first',
      argv: ['--secure-port=6443', '/adapter'],
      paths: ['/adapter'],
      message: 'unexpected argument',
    },
    {
      name: 'plain-HTTP kubelets are refused with the way out',
      argv: ['--deprecated-kubelet-completely-insecure'],
      paths: ['--deprecated-kubelet-completely-insecure'],
      message: '--kubelet-insecure-tls',
    },
    {
      name: 'SNI certificates are refused',
      argv: ['--tls-sni-cert-key=/a.crt,/a.key:a.example'],
      paths: ['--tls-sni-cert-key'],
      message: 'one certificate',
    },
    {
      name: 'in-cluster auth with an auth kubeconfig (prometheus-adapter refuses it too)',
      argv: ['--prometheus-auth-config=/k', '--prometheus-auth-incluster'],
      paths: ['--prometheus-auth-incluster'],
      message: 'cannot be combined with --prometheus-auth-config',
    },
    {
      name: 'a CA file with an auth kubeconfig (prometheus-adapter silently drops the kubeconfig)',
      argv: ['--prometheus-auth-config=/k', '--prometheus-ca-file=/ca.crt'],
      paths: ['--prometheus-ca-file'],
      message: 'cannot be combined with --prometheus-auth-config',
    },
    {
      name: 'a verb other than GET or POST',
      argv: ['--prometheus-verb=PUT'],
      paths: ['--prometheus-verb'],
      message: 'must be one of GET, POST',
    },
    {
      name: 'a burst below one',
      argv: ['--client-qps=5', '--client-burst=0'],
      paths: ['--client-burst'],
      message: 'must be >= 1',
    },
  ];

  it.each(cases)('$name', ({ argv, paths, message }) => {
    const parsed = parseServeConfig(argv, files);
    expect(parsed.issues?.map((i) => i.path)).toEqual(paths);
    expect(formatIssues(parsed.issues ?? [])).toContain(message);
  });

  it('the serve command exits 2 naming the unknown flag and starts nothing', async () => {
    let err = '';
    let started = false;
    const command = serveCommand(() => {
      started = true;
      return Promise.resolve(0);
    }, files);
    const code = await command.run(
      ['/adapter', '--logtostderr=true', '--no-such-peer-flag=1', '--v=4'],
      {
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((err += s), true) },
        stdin: () => Promise.resolve(''),
        readFile: () => Promise.resolve(''),
      },
    );
    expect(code).toBe(2);
    expect(err).toContain('--no-such-peer-flag: unknown flag');
    expect(started).toBe(false);
  });
});
