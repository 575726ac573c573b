import { describe, expect, it } from 'vitest';
import { everything } from '../../../src/k8s/index.js';
import {
  MetricsReadError,
  StoreMetricsClient,
  type StoreMetricsClientOptions,
} from '../../../src/runtime/index.js';
import { milliBytes, milliCpu, milliSample } from '../../../src/runtime/store-metrics-client.js';
import { runMetricsClientContract, type World } from '../../contract/metrics-client.case.js';
import { FakeClusterView } from '../../support/fake-cluster.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
} from '../../support/fake-readers.js';

/** The world as the store holds it: pods in the cluster view, values in the readers. */
function storeFor(w: World): StoreMetricsClientOptions {
  return {
    cluster: new FakeClusterView({
      pods: w.pods.map((p) => ({
        metadata: { namespace: p.namespace, name: p.name, labels: p.labels },
      })),
    }),
    resourceMetrics: new FakeResourceMetrics(
      [],
      w.usage.map((u) => ({
        namespace: u.namespace,
        name: u.pod,
        timestampMs: u.timestampMs,
        windowMs: u.windowMs,
        containers: u.containers.map((c) => ({
          name: c.name,
          usage: { cpuNanoCores: c.cpuNanoCores, memoryBytes: c.memoryBytes },
        })),
      })),
    ),
    customMetrics: new FakeCustomMetrics(
      w.custom.map((s) => ({
        groupResource: { group: s.group, resource: s.resource },
        ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
        name: s.name,
        metric: s.metric,
        value: s.value,
        timestampMs: s.timestampMs,
        ...(s.windowSeconds === undefined ? {} : { windowSeconds: s.windowSeconds }),
        ...(s.labels === undefined ? {} : { labels: s.labels }),
      })),
    ),
    externalMetrics: new FakeExternalMetrics(w.external),
  };
}

runMetricsClientContract('StoreMetricsClient', (w) => new StoreMetricsClient(storeFor(w)));

describe('StoreMetricsClient: the conversions the APIs would make', () => {
  const cases = [
    { name: 'whole millicores stay', got: milliCpu(250_000_000), want: 250 },
    { name: 'a nanocore more rounds up (MilliValue)', got: milliCpu(250_000_001), want: 251 },
    { name: 'fractional nanocores are rounded first', got: milliCpu(999_999.6), want: 1 },
    { name: 'bytes in milli', got: milliBytes(1024), want: 1_024_000 },
    { name: 'samples truncate toward zero', got: milliSample(-0.0019), want: -1 },
    { name: 'a tiny negative sample is 0, not -0', got: milliSample(-0.0001), want: 0 },
    { name: 'NaN is no value', got: milliSample(Number.NaN), want: undefined },
  ];
  it.each(cases)('$name', ({ got, want }) => expect(got).toBe(want));
});

describe('StoreMetricsClient: should fail softly', () => {
  it("a store failure is a MetricsReadError naming the store's reason", async () => {
    const o = storeFor({ pods: [], usage: [], custom: [], external: [] });
    const external = new FakeExternalMetrics([]);
    external.behaviour = { kind: 'fail', error: new Error('prometheus timed out') };
    const client = new StoreMetricsClient({ ...o, externalMetrics: external });
    const err: unknown = await client
      .getExternalMetric('depth', 'shop', everything)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricsReadError);
    expect((err as Error).message).toBe('the store could not be read: prometheus timed out');
  });
});
