/**
 * The composition root end to end, in process: `serve` against a nock'd Kubernetes API (nodes,
 * pods, namespaces, HPAs: lists and watches; discovery and /scale) and simulated kubelets on
 * loopback named in --kubelet-static-nodes. An HPA whose load rises is recommended more
 * replicas and /hpa explains why; an HPA whose target is missing says so without disturbing the
 * other; bad flags exit 2 listing every issue; a kubeconfig that points nowhere fails clearly
 * within the probe timeout.
 */
// nock first: it must patch node:http(s) before any module binds their exports.
import nock from 'nock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeletSimulator } from '../../scraper/index.js';
import { parseServeConfig } from '../../src/config/index.js';
import { main, startServe, type RunningServe } from '../../src/main.js';
import { issue } from '../support/pki.js';
import {
  API_SERVER,
  clusterDiscovery,
  listBody,
  nockDiscovery,
  nockList,
  nockWatch,
  type WatchStream,
} from '../support/fake-cluster-api.js';
import { eventuallyValue, insecureGet } from '../support/serve-client.js';

const dir = mkdtempSync(join(tmpdir(), 'scaleplane-main-test-'));
const sink = { write: () => true };

function kubeconfigFile(name: string, server: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: scaleplane-sa-token } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`,
  );
  return file;
}

function io(): {
  io: {
    stdout: { write(s: string): boolean };
    stderr: { write(s: string): boolean };
    stdin: () => Promise<string>;
    readFile: (p: string) => Promise<string>;
  };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
      stdin: () => Promise.resolve(''),
      readFile: () => Promise.reject(new Error('no files')),
    },
    out: () => out,
    err: () => err,
  };
}

const longAgo = '2026-01-01T00:00:00Z';

function pod(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      labels: { app: 'web' },
      resourceVersion: '1',
      uid: `uid-${name}`,
    },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'c0', resources: { requests: { cpu: '100m' } } }],
    },
    status: {
      phase: 'Running',
      startTime: longAgo,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }],
    },
  };
}

function hpa(name: string, target: string): object {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'shop', resourceVersion: '1', uid: `uid-${name}` },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
    },
  };
}

describe('serve with a cluster: should pass', () => {
  let kubelets: KubeletSimulator;
  let running: RunningServe | undefined;
  const watches: WatchStream[] = [];
  let cpuCores = 0.05;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') && !host.endsWith(':6443'));
    kubelets = await KubeletSimulator.start({
      nodes: 1,
      podsPerNode: 2,
      containersPerPod: 1,
      nodeNamePrefix: 'node-',
      podRef: (_n, p) => ({ namespace: 'shop', name: `web-${p}` }),
      cpuCores: () => cpuCores,
    });
  });

  afterAll(async () => {
    await running?.stop();
    for (const w of watches) w.close();
    await kubelets.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('recommends more replicas when the load rises, explains why, and reports a missing target in its own record', async () => {
    const staticNodes = join(dir, 'static-nodes.json');
    writeFileSync(staticNodes, JSON.stringify({ 'node-a': kubelets.urlFor('node-0', 'resource') }));
    nock(API_SERVER).get('/version').reply(200, { gitVersion: 'v1.35.0' });
    nockList(
      '/api/v1/nodes',
      listBody(
        [
          {
            apiVersion: 'v1',
            kind: 'Node',
            metadata: { name: 'node-a', resourceVersion: '1' },
            status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
          },
        ],
        '1',
      ),
    );
    nockList('/api/v1/pods', listBody([pod('web-0'), pod('web-1')], '1'));
    nockList(
      '/api/v1/namespaces',
      listBody(
        [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', resourceVersion: '1' } }],
        '1',
      ),
    );
    nockList(
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      listBody([hpa('web', 'web'), hpa('ghost', 'nope')], '1'),
    );
    for (const path of [
      '/api/v1/nodes',
      '/api/v1/pods',
      '/api/v1/namespaces',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
    ])
      watches.push(nockWatch(path));
    nockDiscovery(clusterDiscovery, 20);
    nock(API_SERVER)
      .get('/apis/apps/v1/namespaces/shop/deployments/web/scale')
      .times(1000)
      .reply(200, {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { replicas: 2 },
        status: { replicas: 2, selector: 'app=web' },
      });
    nock(API_SERVER)
      .get('/apis/apps/v1/namespaces/shop/deployments/nope/scale')
      .times(1000)
      .reply(404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'deployments.apps "nope" not found',
      });
    nock(API_SERVER)
      .post(/\/api\/v1\/namespaces\/shop\/events/)
      .times(100)
      .reply(201, {});

    // Prometheus is down for the whole test (nothing listens on port 1): issue 14 item 11.
    const configFile = join(dir, 'serve-config.yaml');
    const configText = `prometheusUrl: http://127.0.0.1:1
rules:
- seriesQuery: 'http_requests_total{namespace!="",pod!=""}'
  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
  name: {matches: ^(.*)_total$, as: "\${1}_per_second"}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)
`;
    const parsed = parseServeConfig(
      [
        '--config',
        configFile,
        '--kubeconfig',
        kubeconfigFile('kc.yaml', API_SERVER),
        '--kubelet-static-nodes',
        staticNodes,
        '--metric-resolution',
        '2s',
        '--kubelet-request-timeout',
        '1s',
        '--hpa-sync-period',
        '1s',
        '--secure-port',
        '0',
        '--bind-address',
        '127.0.0.1',
        '--cert-dir',
        join(dir, 'certs'),
      ],
      (path) => (path === configFile ? configText : ''),
    );
    expect(parsed.issues).toBeUndefined();
    running = await startServe(parsed.config!, {
      env: {},
      stdout: sink,
      logStream: sink,
      minResolutionMs: 1000,
      guard: (_req, _res, next) => next(),
    });
    expect(running.mode).toBe('cluster');

    interface Rec {
      result: string;
      decision: { desiredReplicas: number; metrics: { ok: boolean; current?: string }[] };
    }
    const quiet = await eventuallyValue<Rec>(async () => {
      const r = await insecureGet(`${running!.url}/hpa/shop/web`);
      const rec = r.code === 200 ? (JSON.parse(r.body) as Rec) : undefined;
      return rec?.decision.metrics[0]?.ok ? rec : undefined;
    }, 15_000);
    expect(quiet.decision.desiredReplicas).toBeLessThanOrEqual(2);

    // Prometheus down does not take readiness (and metrics.k8s.io) away; verbose says why.
    expect(await insecureGet(`${running.url}/readyz`)).toEqual({ code: 200, body: 'ok' });
    const verbose = (await insecureGet(`${running.url}/readyz?verbose`)).body;
    expect(verbose).toContain('[+]metric-collection ok\n');
    expect(verbose).toMatch(
      /\[\+\]prometheus-collection failing \(informational, not required\): series query .+ failed: .+\n/,
    );
    const self = (await insecureGet(`${running.url}/metrics`)).body;
    expect(self).toMatch(/^scaleplane_prometheus_up 0$/m);
    expect(self).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(self).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(self).toMatch(
      /^scaleplane_build_info\{version="\d+\.\d+\.\d+",node_version="v[\d.]+",arch="\w+"\} 1$/m,
    );
    expect(self).toMatch(/^scaleplane_store_series\{kind="pod"\} 2$/m);
    expect(self).toMatch(/^scaleplane_store_memory_bytes\{store="resource"\} [1-9]\d*$/m);

    cpuCores = 0.3;
    const busy = await eventuallyValue<Rec>(async () => {
      const rec = JSON.parse((await insecureGet(`${running!.url}/hpa/shop/web`)).body) as Rec;
      return rec.decision.desiredReplicas > 2 ? rec : undefined;
    }, 15_000);
    expect(busy.decision.metrics[0]!.current).toMatch(/^\d+%$/);
    const text = (await insecureGet(`${running.url}/hpa/shop/web?format=text`)).body;
    expect(text).toMatch(/cpu/);
    expect(text).toMatch(/50%/);
    expect(text).toContain(String(busy.decision.desiredReplicas));

    const ghost = JSON.parse((await insecureGet(`${running.url}/hpa/shop/ghost`)).body);
    expect(ghost.result).toBe('failed');
    const able = ghost.decision.conditions.find((c: { type: string }) => c.type === 'AbleToScale');
    expect(able).toMatchObject({ status: 'False', reason: 'FailedGetScale' });
    expect(able.message).toContain('nope');

    const metrics = (await insecureGet(`${running.url}/metrics`)).body;
    expect(metrics).toMatch(/scaleplane_hpa_desired_replicas\{[^}]*name="web"[^}]*\} [3-9]/);
    const nodes = JSON.parse(
      (await insecureGet(`${running.url}/apis/metrics.k8s.io/v1beta1/nodes`)).body,
    );
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
      'node-a',
    ]);
  }, 40_000);
});

describe('serve: should fail', () => {
  let silent: Server | undefined;
  // Real sockets only: nock's socket wrapper turns a TLS handshake destroyed mid-write into an uncaught error.
  beforeAll(() => nock.restore());
  afterAll(() => nock.activate());
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    silent?.close();
  });

  it('bad flags: exit 2, every issue listed by field path, nothing started', async () => {
    const t = io();
    const code = await main(
      [
        'serve',
        '--metric-resolution',
        'often',
        '--hpa-mode',
        'sometimes',
        '--secure-port',
        '99999',
        '--no-such-flag',
      ],
      t.io,
    );
    expect(code).toBe(2);
    for (const path of ['--metric-resolution', '--hpa-mode', '--secure-port', '--no-such-flag'])
      expect(t.err()).toContain(path);
    expect(t.out()).toBe('');
  });

  const nowhere = [
    { name: 'a refused connection', server: () => Promise.resolve('https://127.0.0.1:1') },
    {
      name: 'a server that accepts TLS and never answers',
      server: async () => {
        const pair = await issue(dir, {
          name: `silent-${Math.random()}`,
          cn: '127.0.0.1',
          san: ['IP:127.0.0.1'],
        });
        silent = createTlsServer(
          { cert: pair.certPem, key: pair.keyPem },
          (socket) => void sockets.push(socket.resume()),
        );
        await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', () => r()));
        return `https://127.0.0.1:${(silent.address() as { port: number }).port}`;
      },
    },
  ];

  it.each(nowhere)(
    'a kubeconfig that points nowhere ($name): a clear error within the timeout',
    async ({ server }) => {
      const url = await server();
      const file = kubeconfigFile(`nowhere-${Math.random()}.yaml`, url);
      const parsed = parseServeConfig(['--kubeconfig', file, '--secure-port', '0'], () => '');
      const started = Date.now();
      await expect(
        startServe(parsed.config!, {
          env: {},
          stdout: sink,
          logStream: sink,
          clusterProbeTimeoutMs: 1500,
        }),
      ).rejects.toThrow(
        new RegExp(
          `cannot reach the Kubernetes API server ${url.replace(/[.:/]/g, '\\$&')} \\(from kubeconfig .*\\) within 1500 ms`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5000);
    },
  );

  it('a missing kubeconfig file: exit 1 naming the file', async () => {
    const t = io();
    const code = await main(
      ['serve', '--kubeconfig', join(dir, 'absent.yaml'), '--secure-port', '0'],
      t.io,
    );
    expect(code).toBe(1);
    expect(t.err()).toContain('absent.yaml');
  });
});

describe('serve: half a Prometheus configuration', () => {
  beforeAll(() => nock.restore());
  afterAll(() => nock.activate());

  it('rules without --prometheus-url: exit 2 naming the missing flag, nothing started', async () => {
    const file = join(dir, 'rules-only.yaml');
    writeFileSync(
      file,
      'rules:\n- seriesQuery: \'{__name__="http_requests_total",namespace!=""}\'\n  resources: {template: <<.Resource>>}\n  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)\n',
    );
    const t = io();
    const code = await main(['serve', '--config', file, '--secure-port', '0'], t.io);
    expect(code).toBe(2);
    expect(t.err()).toMatch(/--prometheus-url: required when --config has rules/);
    expect(t.out()).toBe('');
  });

  it('a URL in the embedded cluster: one warning at start naming the idle setting', async () => {
    const parsed = parseServeConfig(
      ['--embedded', '--secure-port', '0', '--prometheus-url', 'http://127.0.0.1:1'],
      () => '',
    );
    expect(parsed.issues).toBeUndefined();
    let log = '';
    const running = await startServe(parsed.config!, {
      env: {},
      stdout: sink,
      logStream: { write: (s: string) => ((log += s), true) },
    });
    await running.stop();
    const warnings = log
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: string; msg: string; setting?: string })
      .filter((l) => l.msg === 'setting has no effect');
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'warn', setting: '--prometheus-url' }),
    ]);
  }, 20_000);
});

describe('config check against a Prometheus on loopback (the real client and discovery)', () => {
  beforeAll(() => nock.restore());
  afterAll(() => nock.activate());

  it('prints what serve would serve; exit 1 with one line when Prometheus is unreachable', async () => {
    const { createServer } = await import('node:http');
    const series = [
      { __name__: 'http_requests_total', namespace: 'shop', pod: 'web-1' },
      { __name__: 'http_requests_total', namespace: 'shop', pod: 'web-2' },
    ];
    const seen: string[] = [];
    const prom = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      seen.push(u.pathname);
      const data = u.pathname.endsWith('/series') ? series : { resultType: 'vector', result: [] };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data }));
    });
    await new Promise<void>((r) => prom.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(prom.address() as { port: number }).port}`;
    const file = join(dir, 'check.yaml');
    writeFileSync(
      file,
      [
        'rules:',
        '- seriesQuery: \'{__name__="http_requests_total",namespace!="",pod!=""}\'',
        '  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}',
        "  name: {matches: '^(.*)_total$', as: '${1}_per_second'}",
        '  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
        '',
      ].join('\n'),
    );
    try {
      const t = io();
      t.io.readFile = (p: string) =>
        import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8'));
      expect(await main(['config', 'check', file, '--prometheus-url', url], t.io)).toBe(0);
      expect(t.out()).toMatch(
        /^ {2}pods\/http_requests_per_second {2}namespaced {2}2 series {2}\(rules\[0\]\)$/m,
      );
      expect(t.out()).toMatch(/2 metrics would be served\n$/);
      expect(seen).toContain('/api/v1/series');
    } finally {
      await new Promise<void>((r) => prom.close(() => r()));
    }
    const t = io();
    t.io.readFile = (p: string) => import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8'));
    expect(
      await main(['config', 'check', file, '--prometheus-url', 'http://127.0.0.1:1'], t.io),
    ).toBe(1);
    expect(t.err()).toMatch(
      /^error: config check: cannot reach Prometheus at http:\/\/127\.0\.0\.1:1: .+\n$/,
    );
    expect(t.out()).toBe('');
  }, 20_000);
});
