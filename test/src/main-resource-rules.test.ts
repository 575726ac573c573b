/**
 * prometheus-adapter configurations served through `scaleplane serve`'s own wiring (startServe)
 * against a nock'd Kubernetes API and a nock'd Prometheus: metrics.k8s.io from each real-world
 * `resourceRules` (JSON with the configured window, Table output), collected four queries per
 * cycle and never per request; and external metrics of a namespaced rule in a namespace no
 * series carried (the value, from the query prometheus-adapter runs) or for a rule that cannot
 * name a namespace (500 naming the rule).
 */
// nock first: it must patch node:http(s) before any module binds their exports.
import nock from 'nock';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServeConfig } from '../../src/config/index.js';
import { startServe, type RunningServe } from '../../src/main.js';
import {
  API_SERVER,
  clusterDiscovery,
  listBody,
  nockDiscovery,
  nockList,
  nockWatch,
  type WatchStream,
} from '../support/fake-cluster-api.js';
import { resourceRulesCases, type RulesCase } from '../support/resource-rules.js';
import { eventuallyValue, insecureGet } from '../support/serve-client.js';

const PROMETHEUS = 'http://127.0.0.1:19090';
const dir = mkdtempSync(join(tmpdir(), 'scaleplane-resource-rules-test-'));
const MiB = 1024 * 1024;

/** External rules of the kind item 2 of issue 13 describes. */
const externalRules = `
externalRules:
- seriesQuery: '{__name__="queue_messages_ready",queue!=""}'
  resources: {overrides: {namespace: {resource: namespace}}}
  name: {matches: ^queue_messages_ready$, as: queue_depth}
  metricsQuery: sum(<<.Series>>) by (queue)
- seriesQuery: '{__name__="backlog_items",queue!=""}'
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
`;

const ago = '2026-01-01T00:00:00Z';
const node = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, resourceVersion: '1' },
  status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
});
const pod = (namespace: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: 'web' }, resourceVersion: '1', uid: `u-${name}` },
  spec: { nodeName: 'n1', containers: [{ name: 'app' }, { name: 'log' }] },
  status: { phase: 'Running', startTime: ago },
});

/** The fake Prometheus: answers by what the query is about; records every query. */
class FakePrometheusHttp {
  readonly queries: string[] = [];

  answer(promql: string, atS: number): unknown[] {
    const v = (labels: Record<string, string>, value: number) => ({
      metric: labels,
      value: [atS, String(value)],
    });
    const cpu = /cpu/.test(promql);
    if (/by \(node\)/.test(promql))
      return cpu
        ? [v({ node: 'n1' }, 0.25), v({ node: 'n2' }, 1.2)]
        : [v({ node: 'n1' }, 2048 * MiB), v({ node: 'n2' }, 1024 * MiB)];
    if (/container/.test(promql)) {
      const c = /container_name/.test(promql) ? 'container_name' : 'container';
      const ctr = (p: string, name: string) => ({ namespace: 'shop', pod: p, [c]: name });
      return cpu
        ? [v(ctr('web-1', 'app'), 0.1), v(ctr('web-1', 'log'), 0.002), v(ctr('web-2', 'app'), 0.05)]
        : [
            v(ctr('web-1', 'app'), 64 * MiB),
            v(ctr('web-1', 'log'), 8 * MiB),
            v(ctr('web-2', 'app'), 32 * MiB),
          ];
    }
    if (promql === 'sum(queue_messages_ready) by (queue)') return [v({ queue: 'jobs' }, 30)];
    return [];
  }

  intercept(): void {
    nock(PROMETHEUS)
      .persist()
      .get('/api/v1/query')
      .query(true)
      .reply((uri) => {
        const params = new URL(uri, PROMETHEUS).searchParams;
        const promql = params.get('query') ?? '';
        this.queries.push(promql);
        const atS = Number(params.get('time') ?? Date.now() / 1000);
        return [
          200,
          { status: 'success', data: { resultType: 'vector', result: this.answer(promql, atS) } },
        ];
      });
    nock(PROMETHEUS)
      .persist()
      .get('/api/v1/series')
      .query(true)
      .reply((uri) => {
        const match = new URL(uri, PROMETHEUS).searchParams.get('match[]') ?? '';
        const data = match.includes('queue_messages_ready')
          ? [{ __name__: 'queue_messages_ready', queue: 'jobs' }]
          : match.includes('backlog_items')
            ? [{ __name__: 'backlog_items', queue: 'jobs' }]
            : [];
        return [200, { status: 'success', data }];
      });
  }
}

describe('serve with resourceRules and externalRules against a fake Prometheus', () => {
  let running: RunningServe | undefined;
  let watches: WatchStream[] = [];
  let prometheus: FakePrometheusHttp;
  let logs = '';

  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') && !/:(6443|19090)$/.test(host));
    nock(API_SERVER).get('/version').reply(200, { gitVersion: 'v1.32.2' });
    nockList('/api/v1/nodes', listBody([node('n1'), node('n2')], '1'));
    nockList('/api/v1/pods', listBody([pod('shop', 'web-1'), pod('shop', 'web-2')], '1'));
    nockList(
      '/api/v1/namespaces',
      listBody(
        [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', resourceVersion: '1' } }],
        '1',
      ),
    );
    watches = ['/api/v1/nodes', '/api/v1/pods', '/api/v1/namespaces'].map((p) => nockWatch(p));
    nockDiscovery(clusterDiscovery, 20);
    prometheus = new FakePrometheusHttp();
    prometheus.intercept();
    logs = '';
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    for (const w of watches) w.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  async function serve(c: RulesCase, extra: string[] = []): Promise<RunningServe> {
    const file = join(dir, `${c.name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, `${c.yaml}\n${externalRules}`);
    const kubeconfig = join(dir, 'kc.yaml');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${API_SERVER}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`,
    );
    const parsed = parseServeConfig(
      [
        `--config=${file}`,
        `--kubeconfig=${kubeconfig}`,
        `--prometheus-url=${PROMETHEUS}`,
        '--metric-resolution=3s',
        '--kubelet-request-timeout=1s',
        '--metrics-relist-interval=1m',
        '--hpa-mode=off',
        '--secure-port=0',
        '--bind-address=127.0.0.1',
        `--cert-dir=${join(dir, 'certs')}`,
        ...extra,
      ],
      (p) => readFileSync(p, 'utf8'),
    );
    expect(parsed.issues).toBeUndefined();
    running = await startServe(parsed.config!, {
      env: {},
      stdout: { write: () => true },
      logStream: { write: (s: string) => ((logs += s), true) },
      minResolutionMs: 1000,
      guard: (_req, _res, next) => next(),
    });
    return running;
  }

  it.each(resourceRulesCases)(
    '$name: metrics.k8s.io with the configured window, Table output, four queries per cycle',
    async (c) => {
      const r = await serve(c);
      const window = `${c.windowMs / 60_000}m0s`;
      const nodes = await eventuallyValue(async () => {
        const res = await insecureGet(`${r.url}/apis/metrics.k8s.io/v1beta1/nodes`);
        const body = JSON.parse(res.body) as { items: unknown[] };
        return body.items.length === 2 ? body : undefined;
      }, 10_000);
      expect(nodes.items).toMatchObject([
        { metadata: { name: 'n1' }, window, usage: { cpu: '250m', memory: '2Gi' } },
        { metadata: { name: 'n2' }, window, usage: { cpu: '1200m', memory: '1Gi' } },
      ]);
      const pods = JSON.parse(
        (await insecureGet(`${r.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods`)).body,
      ) as { items: { metadata: { name: string }; window: string; containers: unknown[] }[] };
      expect(pods.items.map((p) => [p.metadata.name, p.window])).toEqual([
        ['web-1', window],
        ['web-2', window],
      ]);
      expect(pods.items[0]!.containers).toEqual(
        expect.arrayContaining([
          { name: 'app', usage: { cpu: '100m', memory: '64Mi' } },
          { name: 'log', usage: { cpu: '2m', memory: '8Mi' } },
        ]),
      );
      const table = JSON.parse(
        (
          await insecureGet(
            `${r.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/web-1`,
            'application/json;as=Table;v=v1;g=meta.k8s.io',
          )
        ).body,
      ) as { kind: string; rows: { cells: unknown[] }[] };
      expect(table.kind).toBe('Table');
      expect(table.rows[0]!.cells).toEqual(['web-1', '102m', '72Mi', window]);

      // Reads never query: 20 lists within one cycle send at most one cycle's four queries.
      const before = prometheus.queries.length;
      for (let i = 0; i < 20; i++) await insecureGet(`${r.url}/apis/metrics.k8s.io/v1beta1/pods`);
      expect(prometheus.queries.length - before).toBeLessThanOrEqual(4);
      const distinct = new Set(prometheus.queries.filter((q) => !q.includes('queue')));
      expect(distinct.size).toBe(4);
      c.queries.forEach((part) => expect([...distinct].some((q) => q.includes(part))).toBe(true));
      expect(logs).toMatch(
        /"msg":"metrics.k8s.io source".*"source":"prometheus","reason":"default with resourceRules/,
      );
    },
    30_000,
  );

  it('answers a namespaced external metric in a namespace no series carried, then collects it', async () => {
    const r = await serve(resourceRulesCases[0]!);
    // No selector, as an HPA without one asks: before, a 200 with no items.
    const url = `${r.url}/apis/external.metrics.k8s.io/v1beta1/namespaces/e2e/queue_depth`;
    const first = await eventuallyValue(async () => {
      const res = await insecureGet(url);
      return res.code === 200 ? res : undefined;
    }, 10_000);
    expect(JSON.parse(first.body).items).toMatchObject([
      { metricName: 'queue_depth', metricLabels: { queue: 'jobs' }, value: '30' },
    ]);
    // Collected every cycle from then on: the query is sent without anyone asking.
    const sent = () => prometheus.queries.filter((q) => q.includes('queue_messages_ready')).length;
    const after = sent();
    await eventuallyValue(() => Promise.resolve(sent() > after ? true : undefined), 10_000);
  });

  it('answers 500 naming the rule when a namespaced external rule has no namespace label', async () => {
    const r = await serve(resourceRulesCases[0]!);
    const res = await eventuallyValue(async () => {
      const got = await insecureGet(
        `${r.url}/apis/external.metrics.k8s.io/v1beta1/namespaces/e2e/backlog_items`,
      );
      return got.code === 500 ? got : undefined;
    }, 10_000);
    expect(JSON.parse(res.body)).toMatchObject({
      kind: 'Status',
      code: 500,
      reason: 'InternalError',
      message:
        'Internal error occurred: unable to convert resource namespaces into label: no generic resource label form specified for this metric (externalRules[1] for backlog_items: map the namespace label with resources.overrides or resources.template, or set resources.namespaced: false)',
    });
  });

  it('scrapes kubelets instead when asked, and says resourceRules are not served', async () => {
    const none = join(dir, 'unreachable-node.json');
    writeFileSync(none, JSON.stringify({ n1: 'https://127.0.0.1:1/metrics/resource' }));
    await serve(resourceRulesCases[0]!, [
      '--resource-metrics-source=kubelet',
      `--kubelet-static-nodes=${none}`,
    ]);
    expect(logs).toMatch(/"source":"kubelet","reason":"--resource-metrics-source=kubelet"/);
    expect(logs).toMatch(/resourceRules in --config are not served/);
    expect(prometheus.queries.filter((q) => q.includes('container_'))).toEqual([]);
  });
});
