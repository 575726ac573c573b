/**
 * Custom and external metrics parity with prometheus-adapter v0.12.0: both read one real Prometheus
 * (scraping generated series every second) with one rules file, and must give the same discovery
 * lists, the same values for every request of a generated set (pods by selector, objects by name,
 * namespaced and root-scoped, metricLabelSelector, external with selectors; v1beta1 and v1beta2) and
 * the same 404s. Gauges are constant, so their served quantities compare exactly; rates compare
 * within 1% (the two read Prometheus at different moments). Intended differences are asserted as
 * such, each on both sides and with a count proving the case occurred: timestamps (sample time,
 * not request time, at most one resolution old), NaN and ±Inf (dropped and counted, not served),
 * `!=` selectors, the discovery placeholder, health probes without credentials, and stricter
 * configuration checks at start-up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsRequest } from '../support/tls-client.js';
import {
  ensurePrometheus,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../support/prometheus-server.js';
import {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  startControlPlane,
  waitFor,
  type ControlPlane,
} from './control-plane.js';
import { startPrometheusAdapter, startScaleplane, type PeerProcess } from './peers/index.js';
import { differences, normalize, quantityValue, type Normal } from './peers/custom-compare.js';
import { INTENDED } from './peers/intended.js';
import {
  createObjects,
  renderSeries,
  requests,
  STARTUP_RULES,
  writeRules,
} from './peers/custom-world.js';

const RELIST = '5s';
const RESOLUTION_MS = 10_000;
/**
 * How much older than one resolution a served sample may be: a collection's queries are evaluated
 * when it starts and stored when it ends, and Prometheus's sample is up to one scrape (1 s) old.
 */
const AGE_MARGIN_MS = 5_000;
const REQUESTS = requests();
/**
 * broken_ratio's non-finite series: NaN in cm-a/web-0 (and so its namespace's sum), +Inf and -Inf
 * in cm-b (whose namespace's sum is NaN).
 */
const NON_FINITE = new Map<string, 'NaN' | '+Inf' | '-Inf'>([
  ['Pod/cm-a/web-0', 'NaN'],
  ['Namespace//cm-a', 'NaN'],
  ['Pod/cm-b/web-0', '+Inf'],
  ['Pod/cm-b/db-0', '-Inf'],
  ['Namespace//cm-b', 'NaN'],
]);
const DROPPED_NON_FINITE =
  /^scaleplane_dropped_points_total\{[^}]*reason="non_finite_value"[^}]*\} (\S+)$/gm;

/** The sum of scaleplane's non_finite_value drop counters in a /metrics text. */
function droppedNonFinite(text: string): number {
  let sum = 0;
  for (const m of text.matchAll(DROPPED_NON_FINITE)) sum += Number(m[1]);
  return sum;
}

interface Answers {
  adapter: Normal;
  scaleplane: Normal;
  atMs: number;
}

describe('custom and external metrics parity with prometheus-adapter', () => {
  let cluster: ControlPlane;
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let adapter: PeerProcess;
  let scaleplane: PeerProcess;
  const answers = new Map<string, Answers>();
  /** scaleplane's non_finite_value drops right after it first served values. */
  let droppedAtStart = 0;

  const ask = async (path: string): Promise<Answers> => {
    const atMs = Date.now();
    const [a, s] = await Promise.all([adapter.get(path), scaleplane.get(path)]);
    return { adapter: normalize(a.status, a.body), scaleplane: normalize(s.status, s.body), atMs };
  };

  beforeAll(async () => {
    cluster = await startControlPlane({ routing: 'service' });
    exporter = await startExporter(renderSeries);
    // The binary first (built already by `npm run test:e2e`), so the clock starts with the scrapes.
    await ensurePrometheus();
    const promStartMs = Date.now();
    [prometheus] = await Promise.all([
      startPrometheus([exporter.target], 1),
      createObjects(cluster),
    ]);
    await prometheus.waitForQuery('rate(http_requests_total[30s])', 10, 60_000);
    const configFile = writeRules(cluster);
    [adapter, scaleplane] = await Promise.all([
      startPrometheusAdapter(cluster, {
        prometheusUrl: prometheus.url,
        configFile,
        metricsRelistInterval: RELIST,
      }),
      startScaleplane(cluster, {
        metricResolution: `${RESOLUTION_MS / 1000}s`,
        prometheusUrl: prometheus.url,
        configFile,
        metricsRelistInterval: RELIST,
        readyPath: '/apis/custom.metrics.k8s.io/v1beta1',
        // scaleplane's default, stated: the health probes stay open (INTENDED.healthProbes).
        extraArgs: ['--anonymous-auth=false'],
      }),
    ]);
    // Both have listed the series and scaleplane has collected a cycle of values.
    const probe = '/apis/custom.metrics.k8s.io/v1beta1/namespaces/cm-a/pods/*/queue_length';
    await waitFor(
      'both peers serving queue_length',
      async () => {
        const a = await ask(probe);
        return a.adapter.status === 200 &&
          a.scaleplane.status === 200 &&
          a.adapter.type === 'list' &&
          a.scaleplane.type === 'list' &&
          a.scaleplane.items.length > 0
          ? true
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    droppedAtStart = droppedNonFinite((await scaleplane.get('/metrics')).body);
    // A rate over [30s] needs 30s of samples before both read the same slope.
    // scaleplane collects every --metric-resolution (10s): let it collect twice more after that.
    await sleep(Math.max(0, promStartMs + 55_000 - Date.now()));
    const paths = [
      ...REQUESTS.map((r) => r.path),
      ...REQUESTS.flatMap((r) => (r.notEqualsTwin ? [r.notEqualsTwin] : [])),
    ];
    for (let i = 0; i < paths.length; i += 4)
      await Promise.all(paths.slice(i, i + 4).map(async (p) => answers.set(p, await ask(p))));
    // Every difference, one request per paragraph, for reading beside the test report.
    writeFileSync(
      join(cluster.dir, 'parity-custom-differences.txt'),
      REQUESTS.map((r) => {
        const got = answers.get(r.path)!;
        return [r.path, ...differences(got.adapter, got.scaleplane, r.kind)].join('\n  ');
      }).join('\n'),
    );
  }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
    await prometheus?.stop();
    await exporter?.close();
  }, 60_000);

  const discovery = [
    '/apis/custom.metrics.k8s.io/v1beta1',
    '/apis/custom.metrics.k8s.io/v1beta2',
    '/apis/external.metrics.k8s.io/v1beta1',
  ];
  it.each(discovery)('lists the same resources at %s', async (path) => {
    type List = {
      resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[];
    };
    const [a, s] = await Promise.all([adapter.getJson<List>(path), scaleplane.getJson<List>(path)]);
    const view = (l: List): string[] =>
      l.resources
        .map(
          (r) =>
            `${r.name} namespaced=${r.namespaced} kind=${r.kind} verbs=${[...r.verbs].sort().join(',')}`,
        )
        .sort();
    expect(view(a).length, `${path} lists metrics`).toBeGreaterThan(0);
    expect(view(s)).toEqual(view(a));
  });

  /** prometheus-adapter serves a NaN sample as 0; scaleplane drops it (README, intended). */
  const withoutNonFinite = (a: Normal): Normal =>
    a.type === 'list' ? { ...a, items: a.items.filter((i) => !NON_FINITE.has(i.key)) } : a;
  /** Non-finite objects the adapter served and scaleplane did not, by kind of value. */
  const nonFiniteSeen = new Map<string, number>();
  /** `!=` requests prometheus-adapter failed with 500, and their `notin` twins compared. */
  let notEqualsRefused = 0;
  let notEqualsCompared = 0;

  /** prometheus-adapter writes `/v1` as the core group's describedObject apiVersion; scaleplane `v1`. */
  let slashV1 = 0;
  const coreApiVersion = (a: Normal): Normal => {
    if (a.type !== 'list') return a;
    const items = a.items.map((i) => {
      const meta = i.meta as { describedObject?: { apiVersion: string } };
      if (meta.describedObject?.apiVersion !== '/v1') return i;
      slashV1 += 1;
      return {
        ...i,
        meta: { ...meta, describedObject: { ...meta.describedObject, apiVersion: 'v1' } },
      };
    });
    return { ...a, items };
  };

  it.each(REQUESTS)('$name', (r) => {
    const got = answers.get(r.path)!;
    let expected = got.adapter;
    if (r.path.includes('/widgets/')) {
      // Intended: INTENDED.unknownResource.
      expect(got.adapter).toMatchObject({
        status: 500,
        message: 'Internal error occurred: unable to list matching resources',
      });
      expect(got.scaleplane).toMatchObject({
        status: 404,
        reason: 'NotFound',
        message: 'the server could not find the metric queue_length for widgets',
      });
      return;
    }
    if (
      r.path.startsWith('/apis/external.') &&
      r.path.includes('/no_such_metric') &&
      !r.path.includes('/default/')
    ) {
      // Intended: INTENDED.externalNotFound.
      expect(got.adapter).toMatchObject({
        status: 404,
        message: 'the server could not find the metric no_such_metric for ',
      });
      expect(got.scaleplane).toMatchObject({
        status: 404,
        message: 'the server could not find the metric no_such_metric for namespaces',
      });
      return;
    }
    if (r.notEqualsTwin) {
      // Intended: INTENDED.notEquals. prometheus-adapter fails only once it has values to describe.
      const twin = answers.get(r.notEqualsTwin)!.adapter;
      if (got.adapter.status === 500) {
        expect(got.adapter).toMatchObject({
          message: '"!=" is not a valid label selector operator',
        });
        notEqualsRefused += 1;
      } else expect(got.adapter).toEqual(twin);
      notEqualsCompared += 1;
      expected = twin;
    }
    if (r.nan && expected.type === 'list') {
      const nonFinite = expected.items.filter((i) => NON_FINITE.has(i.key));
      for (const i of nonFinite) {
        const kind = NON_FINITE.get(i.key)!;
        // prometheus-adapter serves NaN as 0 and ±Inf as whatever int64(±Inf*1000) is: a finite
        // quantity either way, never the sample.
        if (kind === 'NaN') expect(i.value, 'prometheus-adapter serves NaN as 0').toBe('0');
        else
          expect(Number.isFinite(quantityValue(i.value)), `${kind} served as ${i.value}`).toBe(
            true,
          );
        nonFiniteSeen.set(kind, (nonFiniteSeen.get(kind) ?? 0) + 1);
      }
      if (nonFinite.length > 0 && !r.path.includes('/*/')) {
        // Intended: INTENDED.nan. By name, prometheus-adapter answers a value; scaleplane has none.
        expect(got.scaleplane).toMatchObject({ status: 404, kind: 'Status', reason: 'NotFound' });
        return;
      }
      expected = withoutNonFinite(expected);
    }
    expect(differences(coreApiVersion(expected), got.scaleplane, r.kind).join('\n'), r.path).toBe(
      '',
    );
  });

  it(`intended: ${INTENDED.coreApiVersion}`, () => {
    expect(slashV1).toBeGreaterThan(50);
    for (const { scaleplane: s } of answers.values())
      if (s.type === 'list')
        for (const i of s.items)
          expect(
            (i.meta as { describedObject?: { apiVersion: string } }).describedObject?.apiVersion,
          ).not.toBe('/v1');
  });

  it(`intended: ${INTENDED.nan}`, async () => {
    // Every kind of non-finite sample was requested, served by prometheus-adapter and not by
    // scaleplane (the table above), and scaleplane counted the drops of every collection since.
    expect(Object.fromEntries(nonFiniteSeen)).toEqual({
      NaN: expect.any(Number),
      '+Inf': expect.any(Number),
      '-Inf': expect.any(Number),
    });
    for (const n of nonFiniteSeen.values()) expect(n).toBeGreaterThan(0);
    const dropped = droppedNonFinite((await scaleplane.get('/metrics')).body);
    expect(
      dropped,
      'scaleplane_dropped_points_total{reason="non_finite_value"} rose',
    ).toBeGreaterThan(droppedAtStart);
  });

  it(`intended: ${INTENDED.notEquals}`, () => {
    expect(notEqualsCompared, '`!=` requests compared').toBeGreaterThan(0);
    expect(notEqualsRefused, 'prometheus-adapter refused a `!=` request').toBeGreaterThan(0);
  });

  it(`intended: ${INTENDED.timestamps}`, () => {
    let checked = 0;
    for (const { adapter: a, scaleplane: s, atMs } of answers.values()) {
      if (a.type !== 'list' || s.type !== 'list') continue;
      for (const item of a.items)
        expect(Math.abs(Date.parse(item.timestamp!) - atMs)).toBeLessThan(5_000);
      for (const item of s.items) {
        const t = Date.parse(item.timestamp!);
        expect(t).toBeLessThanOrEqual(atMs + 1_000);
        expect(atMs - t, 'age of a served sample').toBeLessThan(RESOLUTION_MS + AGE_MARGIN_MS);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it(`intended: ${INTENDED.timestamps} (the sample's own time, on both sides)`, async () => {
    // sample_clock_seconds is the exporter's clock at each scrape, so a value read from
    // Prometheus says when its sample was taken. Two requests 3 s apart: prometheus-adapter
    // queries per request, so each answer carries (about) its request time and a value as fresh;
    // scaleplane serves its last collection, stamped with the time its query was evaluated,
    // which is within a scrape of the value, and unchanged between the two requests unless a
    // collection landed in between (then the pair is asked again).
    const path =
      '/apis/custom.metrics.k8s.io/v1beta1/namespaces/cm-a/pods/web-1/sample_clock_seconds';
    type One = { items: { value: string; timestamp: string }[] };
    const one = async (
      peer: PeerProcess,
    ): Promise<{ valueMs: number; tsMs: number; atMs: number }> => {
      const atMs = Date.now();
      const res = await peer.get(path);
      expect(res.status, `${peer.name} ${path}: ${res.body.slice(0, 300)}`).toBe(200);
      const { items } = JSON.parse(res.body) as One;
      expect(items, `${peer.name} ${path}`).toHaveLength(1);
      const item = items[0]!;
      return { valueMs: quantityValue(item.value) * 1000, tsMs: Date.parse(item.timestamp), atMs };
    };
    for (let attempt = 1; ; attempt++) {
      const first = await Promise.all([one(adapter), one(scaleplane)]);
      await sleep(3_000);
      const second = await Promise.all([one(adapter), one(scaleplane)]);
      for (const [a] of [first, second]) {
        // prometheus-adapter: the request time (RFC 3339 seconds), and a value as fresh.
        expect(Math.abs(a.tsMs - a.atMs), 'prometheus-adapter stamps request time').toBeLessThan(
          3_000,
        );
        expect(a.atMs - a.valueMs).toBeLessThan(4_000);
      }
      for (const [, s] of [first, second])
        expect(Math.abs(s.tsMs - s.valueMs), "scaleplane stamps its sample's time").toBeLessThan(
          3_000,
        );
      const [s1, s2] = [first[1], second[1]];
      if (s1.valueMs !== s2.valueMs) {
        // A collection landed between the two requests: both stamps moved with their samples.
        expect(s2.tsMs).toBeGreaterThan(s1.tsMs);
        expect(attempt, 'a pair of requests within one collection').toBeLessThan(5);
        continue;
      }
      expect(s2.tsMs, 'the same sample, the same timestamp').toBe(s1.tsMs);
      expect(s2.atMs - s2.tsMs, 'not the request time').toBeGreaterThanOrEqual(2_900);
      break;
    }
  });

  it(`intended: ${INTENDED.healthProbes}`, async () => {
    // Without a client certificate or token. prometheus-adapter has no --anonymous-auth flag:
    // anonymous requests always reach its authorizer, which allows the probes and forbids (403)
    // the rest; scaleplane (--anonymous-auth=false) answers the probes and refuses the rest with
    // 401.
    // A probe's status is the health it reports (scaleplane's /healthz and /readyz are 500 here:
    // this world's Node objects have no kubelets, so its resource collection is never ready), so
    // each probe must answer without credentials exactly as it answers the cluster admin.
    const anonymous = async (peer: PeerProcess, path: string): Promise<number> =>
      (await tlsRequest({ url: peer.url, path, ca: peer.caPem })).status;
    const probes: Record<string, string> = {};
    for (const peer of [adapter, scaleplane])
      for (const probe of ['/healthz', '/livez', '/readyz']) {
        const [without, admin] = [await anonymous(peer, probe), (await peer.get(probe)).status];
        probes[`${peer.name} ${probe}`] =
          without === admin ? 'as for the admin' : `${without} vs ${admin}`;
        expect([401, 403], `${peer.name} ${probe} without credentials`).not.toContain(without);
      }
    expect(probes).toEqual(
      Object.fromEntries(Object.keys(probes).map((k) => [k, 'as for the admin'])),
    );
    for (const path of [
      '/apis/custom.metrics.k8s.io/v1beta1',
      '/apis/external.metrics.k8s.io/v1beta1',
    ])
      expect([await anonymous(adapter, path), await anonymous(scaleplane, path)], path).toEqual([
        403, 401,
      ]);
  });

  /**
   * Starts a peer that must refuse to start; resolves with its whole log (the failure message's
   * tail may be only the goroutine dump klog.Fatal prints after the reason).
   */
  const refusal = async (name: string, start: () => Promise<PeerProcess>): Promise<string> => {
    try {
      const started = await start();
      await started.stop();
    } catch (err) {
      return `${(err as Error).message}\n${readFileSync(join(cluster.dir, `${name}.log`), 'utf8')}`;
    }
    throw new Error(`${name} started`);
  };
  const startupTimeoutMs = 180_000;

  it(
    `intended: ${INTENDED.placeholder}`,
    async () => {
      const configFile = writeRules(cluster, STARTUP_RULES.noMetrics, 'no-metrics');
      const common = { prometheusUrl: prometheus.url, configFile, metricsRelistInterval: RELIST };
      const [a, s] = await Promise.all([
        startPrometheusAdapter(cluster, { ...common, name: 'prometheus-adapter-no-metrics' }),
        startScaleplane(cluster, {
          ...common,
          name: 'scaleplane-no-metrics',
          metricResolution: `${RESOLUTION_MS / 1000}s`,
          readyPath: '/apis/custom.metrics.k8s.io/v1beta1',
        }),
      ]);
      try {
        type List = { kind: string; resources: { name: string; verbs: string[] }[] };
        for (const path of [
          '/apis/custom.metrics.k8s.io/v1beta1',
          '/apis/custom.metrics.k8s.io/v1beta2',
        ]) {
          const [la, ls] = await Promise.all([a.getJson<List>(path), s.getJson<List>(path)]);
          expect(la, `prometheus-adapter ${path}`).toMatchObject({
            kind: 'APIResourceList',
            resources: [],
          });
          expect(ls.kind).toBe('APIResourceList');
          expect(ls.resources, `scaleplane ${path}`).toHaveLength(1);
          expect(ls.resources[0]!.verbs, 'the placeholder is get-only').toEqual(['get']);
        }
      } finally {
        await Promise.all([a.stop(), s.stop()]);
      }
    },
    startupTimeoutMs,
  );

  it(
    `intended: ${INTENDED.strictConfig}`,
    async () => {
      const badTemplate = writeRules(cluster, STARTUP_RULES.badTemplateField, 'bad-template');
      const unknownKey = writeRules(cluster, STARTUP_RULES.unknownKey, 'unknown-key');
      const adapterWith = (configFile: string, name: string) =>
        [
          name,
          () =>
            startPrometheusAdapter(cluster, {
              name,
              prometheusUrl: prometheus.url,
              configFile,
              metricsRelistInterval: RELIST,
            }),
        ] as const;
      const scaleplaneWith = (configFile: string, name: string) =>
        [
          name,
          () =>
            startScaleplane(cluster, {
              name,
              metricResolution: `${RESOLUTION_MS / 1000}s`,
              prometheusUrl: prometheus.url,
              configFile,
              readyTimeoutMs: 60_000,
            }),
        ] as const;
      const [spTemplate, spKey, adKey] = await Promise.all(
        [
          scaleplaneWith(badTemplate, 'scaleplane-bad-template'),
          scaleplaneWith(unknownKey, 'scaleplane-unknown-key'),
          adapterWith(unknownKey, 'prometheus-adapter-unknown-key'),
        ].map(([name, start]) => refusal(name, start)),
      );
      // scaleplane names the template's path and the missing field before contacting anything.
      expect(spTemplate).toContain('rules[0].metricsQuery');
      expect(spTemplate).toContain('Seires');
      // ... and the unknown key by its path, line and column.
      expect(spKey).toMatch(/rules\[0\]\.metricsQuerry \(line \d+, column \d+\): unknown key/);
      // prometheus-adapter refuses the unknown key too (yaml.v2 UnmarshalStrict), by line.
      expect(adKey).toMatch(/field metricsQuerry not found/);
      // ... and starts with the template, which fails the metric's requests once listed.
      const a = await adapterWith(badTemplate, 'prometheus-adapter-bad-template')[1]();
      try {
        const path = '/apis/custom.metrics.k8s.io/v1beta1/namespaces/cm-a/pods/*/queue_length';
        await waitFor(
          'prometheus-adapter listing queue_length from the rules with a bad template',
          async () =>
            (
              await a.getJson<{ resources: { name: string }[] }>(
                '/apis/custom.metrics.k8s.io/v1beta1',
              )
            ).resources.some((r) => r.name === 'pods/queue_length')
              ? true
              : undefined,
          { timeoutMs: 60_000, intervalMs: 1000 },
        );
        const res = await a.get(path);
        expect(
          res.status,
          `prometheus-adapter ${path}: ${res.body.slice(0, 300)}`,
        ).toBeGreaterThanOrEqual(400);
      } finally {
        await a.stop();
      }
    },
    startupTimeoutMs,
  );
});
