import { describe, expect, it } from 'vitest';
import { formatIssues, parseServeConfig, type ReadFile } from '../../../src/config/index.js';

const noFiles: ReadFile = (path) => {
  throw new Error(`ENOENT: no such file ${path}`);
};
const files =
  (map: Record<string, string>): ReadFile =>
  (path) => {
    const text = map[path];
    if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
    return text;
  };

function parseOk(argv: string[], readFile: ReadFile = noFiles) {
  const parsed = parseServeConfig(argv, readFile);
  if (parsed.issues) throw new Error(formatIssues(parsed.issues));
  return parsed.config;
}

describe('parseServeConfig: should pass', () => {
  const cases = [
    {
      name: 'defaults match metrics-server and the HPA controller',
      argv: [],
      check: (c: ReturnType<typeof parseOk>) => {
        expect(c.kubelet.metricResolutionMs).toBe(15_000);
        expect(c.kubelet.requestTimeoutMs).toBe(10_000);
        expect(c.kubelet.source).toBe('resource');
        expect(c.kubelet.preferredAddressTypes).toEqual([
          'Hostname',
          'InternalDNS',
          'InternalIP',
          'ExternalDNS',
          'ExternalIP',
        ]);
        expect(c.hpaMode).toBe('recommend');
        expect(c.hpaSyncPeriodMs).toBe(15_000);
        expect(c.hpaController).toEqual({
          tolerance: 0.1,
          cpuInitializationPeriodSeconds: 300,
          initialReadinessDelaySeconds: 30,
          downscaleStabilizationWindowSeconds: 300,
        });
        expect(c.serving.alwaysAllowPaths).toEqual(['/healthz', '/readyz', '/livez']);
        expect(c.serving.anonymousAuth).toBe(false);
        expect(c.prometheus.relist).toEqual({ kind: 'period', periodMs: 600_000 });
      },
    },
    // Issue 14 item 12: the Prometheus answer cap is a flag (and a --config key).
    {
      name: 'the Prometheus answer cap defaults to 64 MiB and takes --prometheus-max-response-bytes',
      argv: ['--prometheus-max-response-bytes=1048576'],
      check: (c: ReturnType<typeof parseOk>) => {
        expect(c.prometheus.maxResponseBytes).toBe(1_048_576);
        expect(parseOk([]).prometheus.maxResponseBytes).toBe(64 * 1024 * 1024);
      },
    },
    {
      name: 'flag forms --name=value, --name value and bare booleans',
      argv: [
        '--metric-resolution=30s',
        '--kubelet-request-timeout',
        '20s',
        '--kubelet-insecure-tls',
      ],
      check: (c: ReturnType<typeof parseOk>) => {
        expect(c.kubelet.metricResolutionMs).toBe(30_000);
        expect(c.kubelet.requestTimeoutMs).toBe(20_000);
        expect(c.kubelet.insecureTls).toBe(true);
      },
    },
    {
      name: 'lists split on commas and repeatable headers accumulate',
      argv: [
        '--requestheader-allowed-names=front-proxy-client,aggregator',
        '--prometheus-header',
        'X-Scope-OrgID: team-a',
        '--prometheus-header=X-Other: 1',
      ],
      check: (c: ReturnType<typeof parseOk>) => {
        expect(c.serving.requestheaderAllowedNames).toEqual(['front-proxy-client', 'aggregator']);
        expect(c.prometheus.headers).toEqual({ 'X-Scope-OrgID': 'team-a', 'X-Other': '1' });
      },
    },
    {
      name: "the HPA controller's flags under kube-controller-manager's names reach the engine options",
      argv: [
        '--horizontal-pod-autoscaler-tolerance=0.05',
        '--horizontal-pod-autoscaler-cpu-initialization-period=20s',
        '--horizontal-pod-autoscaler-initial-readiness-delay=1m30s',
        '--horizontal-pod-autoscaler-downscale-stabilization=45s',
      ],
      check: (c: ReturnType<typeof parseOk>) =>
        expect(c.hpaController).toEqual({
          tolerance: 0.05,
          cpuInitializationPeriodSeconds: 20,
          initialReadinessDelaySeconds: 90,
          downscaleStabilizationWindowSeconds: 45,
        }),
    },
    {
      name: 'a cron expression is accepted as the relist schedule',
      argv: ['--metrics-relist-interval', '*/5 * * * *'],
      check: (c: ReturnType<typeof parseOk>) =>
        expect(c.prometheus.relist).toEqual({ kind: 'cron', expression: '*/5 * * * *' }),
    },
    {
      name: '--logging-format is json by default and takes text',
      argv: ['--logging-format=text'],
      check: (c: ReturnType<typeof parseOk>) => {
        expect(c.loggingFormat).toBe('text');
        expect(parseOk([]).loggingFormat).toBe('json');
      },
    },
  ];
  it.each(cases)('$name', ({ argv, check }) => check(parseOk(argv)));

  it('reads the --config file, and the command line overrides it', () => {
    const c = parseOk(
      ['--config', 'c.yaml', '--v=3'],
      files({
        'c.yaml':
          'metricResolution: 20s\nv: 1\nkubeletInsecureTls: true\nprometheusUrl: http://127.0.0.1:9090\n',
      }),
    );
    expect(c.kubelet.metricResolutionMs).toBe(20_000);
    expect(c.verbosity).toBe(3);
    expect(c.kubelet.insecureTls).toBe(true);
    expect(c.prometheus.url).toBe('http://127.0.0.1:9090');
  });

  it('an unchanged prometheus-adapter config is a valid --config: its rules are kept', () => {
    const adapterConfig = [
      'rules:',
      '- seriesQuery: \'{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}\'',
      '  resources:',
      '    overrides:',
      '      namespace: {resource: "namespace"}',
      '      pod: {resource: "pod"}',
      '  name:',
      '    matches: ^container_(.*)_seconds_total$',
      '  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)',
      'externalRules: []',
    ].join('\n');
    const c = parseOk(
      ['--config=adapter.yaml', '--prometheus-url=http://127.0.0.1:9090'],
      files({ 'adapter.yaml': adapterConfig }),
    );
    expect(Object.keys(c.rulesDocument ?? {})).toEqual(['rules', 'externalRules']);
  });
});

describe('parseServeConfig: should fail', () => {
  const cases = [
    {
      name: 'unknown flag',
      argv: ['--kubelet-insecure'],
      path: '--kubelet-insecure',
      message: /unknown flag/,
    },
    {
      name: 'flag without its value',
      argv: ['--metric-resolution'],
      path: '--metric-resolution',
      message: /needs a value/,
    },
    {
      name: 'bad duration quotes the input',
      argv: ['--metric-resolution=15'],
      path: '--metric-resolution',
      message: /"15"/,
    },
    {
      name: 'enum out of range',
      argv: ['--kubelet-source=cadvisor'],
      path: '--kubelet-source',
      message: /resource, summary/,
    },
    {
      name: 'unknown logging format',
      argv: ['--logging-format=logfmt'],
      path: '--logging-format',
      message: /json, text/,
    },
    {
      name: 'integer below its minimum',
      argv: ['--kubelet-max-concurrency=0'],
      path: '--kubelet-max-concurrency',
      message: />= 1/,
    },
    {
      name: 'a Prometheus answer cap too small to hold any answer',
      argv: ['--prometheus-max-response-bytes=100'],
      path: '--prometheus-max-response-bytes',
      message: />= 65536/,
    },
    {
      name: 'a Prometheus answer cap above 1 GiB',
      argv: ['--prometheus-max-response-bytes=2147483648'],
      path: '--prometheus-max-response-bytes',
      message: /<= 1073741824/,
    },
    {
      name: 'not an integer',
      argv: ['--secure-port=https'],
      path: '--secure-port',
      message: /integer/,
    },
    {
      name: 'bad boolean',
      argv: ['--anonymous-auth=yes'],
      path: '--anonymous-auth',
      message: /true or false/,
    },
    {
      name: 'request timeout above 90% of the resolution',
      argv: ['--metric-resolution=10s', '--kubelet-request-timeout=10s'],
      path: '--kubelet-request-timeout',
      message: /90%/,
    },
    {
      name: 'unknown address type',
      argv: ['--kubelet-preferred-address-types=InternalIP,Private'],
      path: '--kubelet-preferred-address-types',
      message: /"Private"/,
    },
    {
      name: 'invalid node selector',
      argv: ['--node-selector=a in (b'],
      path: '--node-selector',
      message: /./,
    },
    {
      name: 'certificate without key',
      argv: ['--tls-cert-file=a.crt'],
      path: '--tls-private-key-file',
      message: /required when --tls-cert-file/,
    },
    {
      name: 'basic auth user without password file',
      argv: ['--prometheus-basic-auth-user=u'],
      path: '--prometheus-basic-auth-password-file',
      message: /required/,
    },
    {
      name: 'prometheus URL without scheme',
      argv: ['--prometheus-url=prometheus:9090'],
      path: '--prometheus-url',
      message: /http/,
    },
    {
      name: 'malformed header',
      argv: ['--prometheus-header=novalue'],
      path: '--prometheus-header',
      message: /Name: value/,
    },
    {
      name: 'relist neither duration nor cron',
      argv: ['--metrics-relist-interval=often'],
      path: '--metrics-relist-interval',
      message: /cron/,
    },
    {
      name: 'negative controller tolerance',
      argv: ['--horizontal-pod-autoscaler-tolerance=-0.1'],
      path: '--horizontal-pod-autoscaler-tolerance',
      message: />= 0/,
    },
    { name: 'stray positional argument', argv: ['now'], path: 'now', message: /unexpected/ },
    {
      name: 'missing config file',
      argv: ['--config=nope.yaml'],
      path: '--config',
      message: /cannot read nope.yaml/,
    },
  ];
  it.each(cases)('$name', ({ argv, path, message }) => {
    const parsed = parseServeConfig(argv, noFiles);
    expect(parsed.issues).toBeDefined();
    const issue = parsed.issues!.find((i) => i.path === path);
    expect(issue, formatIssues(parsed.issues!)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('reports every issue at once, not only the first', () => {
    const parsed = parseServeConfig(
      ['--bogus', '--metric-resolution=x', '--kubelet-source=y'],
      noFiles,
    );
    expect(parsed.issues?.map((i) => i.path)).toEqual([
      '--bogus',
      '--metric-resolution',
      '--kubelet-source',
    ]);
  });

  const fileCases = [
    {
      name: 'unknown key in the file',
      text: 'metricResolution: 15s\nresolution: 1m\n',
      path: 'config.resolution',
      message: /unknown key/,
    },
    {
      name: 'duration given as a bare number',
      text: 'metricResolution: 15\n',
      path: 'config.metricResolution',
      message: /duration string/,
    },
    {
      name: 'list of non-strings',
      text: 'requestheaderAllowedNames: [1, 2]\n',
      path: 'config.requestheaderAllowedNames',
      message: /list of strings/,
    },
    {
      name: 'YAML syntax error, at the nearest key',
      text: 'a: [\n',
      path: 'config.a',
      message: /c.yaml: YAML syntax/,
    },
    { name: 'not a mapping', text: '- 1\n- 2\n', path: 'config', message: /mapping/ },
    {
      name: 'duplicate keys, at the second',
      text: 'v: 1\nv: 2\n',
      path: 'config.v',
      message: /c.yaml: YAML syntax: Map keys must be unique/,
    },
  ];
  it.each(fileCases)('file: $name', ({ text, path, message }) => {
    const parsed = parseServeConfig(['--config=c.yaml'], files({ 'c.yaml': text }));
    const issue = parsed.issues?.find((i) => i.path === path);
    expect(issue, JSON.stringify(parsed.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('passes the rules document to the injected validator and reports its issues', () => {
    const parsed = parseServeConfig(
      ['--config=c.yaml'],
      files({ 'c.yaml': 'rules: [{}]\n' }),
      (doc) =>
        Array.isArray(doc.rules) ? [{ path: 'rules[0].seriesQuery', message: 'required' }] : [],
    );
    // Located at the deepest part of the path that exists: the list item.
    expect(parsed.issues).toEqual([
      { path: 'rules[0].seriesQuery', message: 'required', line: 1, column: 9 },
    ]);
  });
});
