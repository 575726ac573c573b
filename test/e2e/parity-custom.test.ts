/**
 * Custom and external metrics parity with prometheus-adapter v0.12.0: both read one real Prometheus
 * (scraping generated series every second) with one rules file, and must give the same discovery
 * lists, the same values for every request of a generated set (pods by selector, objects by name,
 * namespaced and root-scoped, metricLabelSelector, external with selectors; v1beta1 and v1beta2) and
 * the same 404s. Gauges are constant, so their served quantities compare exactly; rates compare
 * within 1% (the two read Prometheus at different moments). Intended differences are asserted as
 * such: timestamps (sample time, not request time) and NaN (dropped, not served as 0).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
import { differences, normalize, type Normal } from './peers/custom-compare.js';
import { INTENDED } from './peers/intended.js';
import { createObjects, renderSeries, requests, writeRules } from './peers/custom-world.js';

const RELIST = '5s';
const REQUESTS = requests();
/** broken_ratio{namespace="cm-a",pod="web-0"} is NaN, and so is its namespace's sum. */
const NAN_OBJECTS = new Set(['Pod/cm-a/web-0', 'Namespace//cm-a']);

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

  const ask = async (path: string): Promise<Answers> => {
    const atMs = Date.now();
    const [a, s] = await Promise.all([adapter.get(path), scaleplane.get(path)]);
    return { adapter: normalize(a.status, a.body), scaleplane: normalize(s.status, s.body), atMs };
  };

  beforeAll(async () => {
    cluster = await startControlPlane({ routing: 'service' });
    exporter = await startExporter(renderSeries);
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
        metricResolution: '10s',
        prometheusUrl: prometheus.url,
        configFile,
        metricsRelistInterval: RELIST,
        readyPath: '/apis/custom.metrics.k8s.io/v1beta1',
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
  const withoutNaN = (a: Normal): Normal =>
    a.type === 'list' ? { ...a, items: a.items.filter((i) => !NAN_OBJECTS.has(i.key)) } : a;

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
      if (got.adapter.status === 500)
        expect(got.adapter).toMatchObject({
          message: '"!=" is not a valid label selector operator',
        });
      else expect(got.adapter).toEqual(twin);
      expected = twin;
    }
    if (r.nan && expected.type === 'list') {
      const nan = expected.items.filter((i) => NAN_OBJECTS.has(i.key));
      for (const i of nan) expect(i.value, 'prometheus-adapter serves NaN as 0').toBe('0');
      if (nan.length > 0 && !r.path.includes('/*/')) {
        // Intended: INTENDED.nan. By name, prometheus-adapter answers 0; scaleplane has no value.
        expect(got.scaleplane).toMatchObject({ status: 404, kind: 'Status', reason: 'NotFound' });
        return;
      }
      expected = withoutNaN(expected);
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

  it(`intended: ${INTENDED.timestamps}`, () => {
    let checked = 0;
    for (const { adapter: a, scaleplane: s, atMs } of answers.values()) {
      if (a.type !== 'list' || s.type !== 'list') continue;
      for (const item of a.items)
        expect(Math.abs(Date.parse(item.timestamp!) - atMs)).toBeLessThan(5_000);
      for (const item of s.items) {
        const t = Date.parse(item.timestamp!);
        expect(t).toBeLessThanOrEqual(atMs + 1_000);
        expect(t).toBeGreaterThan(atMs - 60_000);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
