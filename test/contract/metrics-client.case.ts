/**
 * The contract every MetricsClient meets (the HPA's one seam for metric inputs, after upstream's
 * metrics/interfaces.go MetricsClient; design habit 9, as kubelet-decoder.case.ts): run by
 * test/src/runtime/store-metrics-client.test.ts and api-metrics-client.test.ts with
 * `runMetricsClientContract(name, clientFor)`. Each implementation is built over the same world
 * (pods, their usage, custom and external series), in its own backing form (the store's readers,
 * or the metrics APIs' bodies), and must give the same per-pod values, sample times, windows and
 * failures, in thousandths, as the controller's client would.
 */
import { describe, expect, it } from 'vitest';
import { MetricError, type PodMetric } from '../../src/hpa/index.js';
import { everything, parseSelector } from '../../src/k8s/index.js';
import { MetricsReadError, type MetricsClient } from '../../src/runtime/index.js';

export interface WorldPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

export interface WorldUsage {
  namespace: string;
  pod: string;
  timestampMs: number;
  windowMs: number;
  containers: Array<{ name: string; cpuNanoCores: number; memoryBytes: number }>;
}

/** A custom metric series of a pod, an object, or (no namespace) a namespace. */
export interface WorldCustom {
  group: string;
  resource: string;
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  metric: string;
  value: number;
  timestampMs: number;
  windowSeconds?: number;
  labels?: Record<string, string>;
}

export interface WorldExternal {
  namespace: string;
  metric: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

/** What the backing holds; each implementation's test renders it in its own form. */
export interface World {
  pods: WorldPod[];
  usage: WorldUsage[];
  custom: WorldCustom[];
  external: WorldExternal[];
}

export const T = Date.parse('2026-03-01T10:00:00Z');
const NS = 'shop';
const web = { app: 'web' };

const podSeries = (name: string, metric: string, value: number, more: Partial<WorldCustom> = {}) =>
  ({
    group: '',
    resource: 'pods',
    kind: 'Pod',
    apiVersion: 'v1',
    namespace: NS,
    name,
    metric,
    value,
    timestampMs: T,
    ...more,
  }) satisfies WorldCustom;

export const world: World = {
  pods: [
    { namespace: NS, name: 'web-1', labels: web },
    { namespace: NS, name: 'web-2', labels: web },
    { namespace: NS, name: 'db-1', labels: { app: 'db' } },
    { namespace: 'other', name: 'web-9', labels: web },
  ],
  usage: [
    {
      namespace: NS,
      pod: 'web-1',
      timestampMs: T - 5000,
      windowMs: 30_000,
      containers: [
        { name: 'app', cpuNanoCores: 150_000_001, memoryBytes: 64 * 1024 * 1024 },
        { name: 'sidecar', cpuNanoCores: 20_000_000, memoryBytes: 1000 },
      ],
    },
    {
      namespace: NS,
      pod: 'web-2',
      timestampMs: T,
      windowMs: 15_500,
      containers: [{ name: 'app', cpuNanoCores: 99_000_000, memoryBytes: 2048 }],
    },
    {
      namespace: NS,
      pod: 'db-1',
      timestampMs: T,
      windowMs: 30_000,
      containers: [{ name: 'db', cpuNanoCores: 1e9, memoryBytes: 1 }],
    },
    {
      namespace: 'other',
      pod: 'web-9',
      timestampMs: T,
      windowMs: 30_000,
      containers: [{ name: 'app', cpuNanoCores: 1e9, memoryBytes: 1 }],
    },
  ],
  custom: [
    podSeries('web-1', 'rps', 10.5, { labels: { verb: 'GET' } }),
    podSeries('web-2', 'rps', 0.0004, { windowSeconds: 30, labels: { verb: 'POST' } }),
    podSeries('db-1', 'rps', 99),
    {
      group: 'networking.k8s.io',
      resource: 'ingresses',
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      namespace: NS,
      name: 'main',
      metric: 'hits',
      value: 2000.25,
      timestampMs: T - 1000,
    },
    {
      group: '',
      resource: 'namespaces',
      kind: 'Namespace',
      apiVersion: 'v1',
      name: NS,
      metric: 'queue',
      value: 7,
      timestampMs: T,
    },
  ],
  external: [
    { namespace: NS, metric: 'depth', labels: { queue: 'orders' }, value: 30, timestampMs: T },
    { namespace: NS, metric: 'depth', labels: { queue: 'mail' }, value: 5.5, timestampMs: T },
    { namespace: 'other', metric: 'depth', labels: { queue: 'x' }, value: 1, timestampMs: T },
  ],
};

/** Builds one implementation over the world. */
export type ClientFor = (w: World) => MetricsClient | Promise<MetricsClient>;

const appWeb = parseSelector('app=web');
const pm = (value: number, timestampMs: number, windowMs: number): PodMetric => ({
  value,
  timestampMs,
  windowMs,
});

/** Rejects with a failure that fails the metric (never one that would stop the caller). */
async function expectMetricFailure(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err instanceof MetricError || err instanceof MetricsReadError, String(err)).toBe(true);
  expect((err as Error).message).toMatch(message);
}

export function runMetricsClientContract(name: string, clientFor: ClientFor): void {
  describe(`MetricsClient contract: ${name}`, () => {
    it('GetResourceMetric: the selected pods, containers summed, cpu rounded up to milli, memory in milli-bytes', async () => {
      const c = await clientFor(world);
      const cpu = await c.getResourceMetric('cpu', NS, appWeb, '');
      expect(new Map(cpu.metrics)).toEqual(
        new Map([
          ['web-1', pm(171, T - 5000, 30_000)],
          ['web-2', pm(99, T, 15_500)],
        ]),
      );
      expect(cpu.timestampMs).toBe(T - 5000);
      const memory = await c.getResourceMetric('memory', NS, appWeb, '');
      expect(memory.metrics.get('web-1')?.value).toBe((64 * 1024 * 1024 + 1000) * 1000);
    });

    it('GetResourceMetric with a container: that container only; a pod without it is an error', async () => {
      const c = await clientFor(world);
      await expectMetricFailure(
        c.getResourceMetric('cpu', NS, appWeb, 'sidecar'),
        /container sidecar not present in metrics for pod shop\/web-2/,
      );
      const app = await c.getResourceMetric('cpu', NS, appWeb, 'app');
      expect([...app.metrics].map(([p, m]) => [p, m.value])).toEqual([
        ['web-1', 151],
        ['web-2', 99],
      ]);
    });

    it('GetResourceMetric: no pods selected is "no metrics returned"', async () => {
      const c = await clientFor(world);
      await expectMetricFailure(
        c.getResourceMetric('cpu', NS, parseSelector('app=none'), ''),
        /no metrics returned from resource metrics API/,
      );
    });

    it('GetRawMetric: the selected pods, truncated to milli, with windowSeconds or the 60 s default', async () => {
      const c = await clientFor(world);
      const got = await c.getRawMetric('rps', NS, appWeb, everything);
      expect(new Map(got.metrics)).toEqual(
        new Map([
          ['web-1', pm(10_500, T, 60_000)],
          ['web-2', pm(0, T, 30_000)],
        ]),
      );
      expect(got.timestampMs).toBe(T);
    });

    it("GetRawMetric: the metric selector narrows by the series' labels", async () => {
      const c = await clientFor(world);
      const got = await c.getRawMetric('rps', NS, appWeb, parseSelector('verb=GET'));
      expect([...got.metrics.keys()]).toEqual(['web-1']);
      await expectMetricFailure(
        c.getRawMetric('rps', NS, appWeb, parseSelector('verb=PUT')),
        /no metrics returned from custom metrics API/,
      );
    });

    it("GetObjectMetric: the described object's value, by its group resource", async () => {
      const c = await clientFor(world);
      const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' };
      expect(await c.getObjectMetric('hits', NS, ref, everything)).toEqual({
        value: 2_000_250,
        timestampMs: T - 1000,
      });
    });

    it("GetObjectMetric: a core Namespace means the HPA's own namespace", async () => {
      const c = await clientFor(world);
      const ref = { apiVersion: 'v1', kind: 'Namespace', name: 'whatever' };
      expect((await c.getObjectMetric('queue', NS, ref, everything)).value).toBe(7000);
    });

    it('GetObjectMetric: an object without the metric fails the metric', async () => {
      const c = await clientFor(world);
      const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'side' };
      await expectMetricFailure(
        c.getObjectMetric('hits', NS, ref, everything),
        /unable to fetch metrics from custom metrics API/,
      );
    });

    it("GetExternalMetric: every matching series of the HPA's namespace, in milli", async () => {
      const c = await clientFor(world);
      const all = await c.getExternalMetric('depth', NS, everything);
      expect([...all.values].sort((a, b) => a - b)).toEqual([5500, 30_000]);
      expect(all.timestampMs).toBe(T);
      const orders = await c.getExternalMetric('depth', NS, parseSelector('queue=orders'));
      expect(orders.values).toEqual([30_000]);
      await expectMetricFailure(
        c.getExternalMetric('depth', NS, parseSelector('queue=none')),
        /no metrics returned from external metrics API/,
      );
    });
  });
}
