import { describe, expect, it } from 'vitest';
import {
  RatedResourceStore,
  type RatedMetricsBatch,
  type RatedMetricsSink,
  type RatedPoint,
  type ResourceMetricsReader,
  type StoreStatus,
} from '../../../src/store/index.js';

const T = 1_800_000_000_000;
const pt = (tsMs: number, milli: number, bytes: number): RatedPoint => ({
  timestampMs: tsMs,
  cpuNanoCores: milli * 1e6,
  memoryBytes: bytes,
});

function batch(
  windowMs: number,
  nodes: Record<string, RatedPoint> | undefined,
  pods: Record<string, Record<string, RatedPoint>> | undefined,
): RatedMetricsBatch {
  return {
    windowMs,
    nodes: nodes && new Map(Object.entries(nodes)),
    pods:
      pods &&
      new Map(
        Object.entries(pods).map(([k, cs]) => [k, { containers: new Map(Object.entries(cs)) }]),
      ),
  };
}

function store(now: {
  t: number;
}): RatedResourceStore & RatedMetricsSink & ResourceMetricsReader & StoreStatus {
  return new RatedResourceStore({ now: () => now.t, maxAgeMs: 45_000 });
}

const cases = [
  {
    name: 'serves every node and pod with the batch window and the earliest container time',
    batches: [
      batch(
        300_000,
        { n1: pt(T, 250, 1024) },
        {
          'shop/web': { app: pt(T, 50, 10), log: pt(T - 1000, 1, 20) },
          'other/web': { app: pt(T, 3, 30) },
        },
      ),
    ],
    at: T,
    nodes: [['n1', T, 300_000, 250]],
    pods: [
      ['shop/web', T - 1000, 300_000, ['app', 'log']],
      ['other/web', T, 300_000, ['app']],
    ],
    dropped: {},
  },
  {
    name: 'a part not collected keeps its previous values; a collected part is replaced whole',
    batches: [
      batch(60_000, { n1: pt(T, 1, 1) }, { 'shop/a': { app: pt(T, 1, 1) } }),
      batch(60_000, undefined, { 'shop/b': { app: pt(T + 15_000, 2, 2) } }),
    ],
    at: T + 15_000,
    nodes: [['n1', T, 60_000, 1]],
    pods: [['shop/b', T + 15_000, 60_000, ['app']]],
    dropped: {},
  },
  {
    name: 'values older than maxAgeMs are not served',
    batches: [batch(60_000, { n1: pt(T, 1, 1) }, { 'shop/a': { app: pt(T, 1, 1) } })],
    at: T + 45_001,
    nodes: [],
    pods: [],
    dropped: {},
  },
  {
    name: 'a pod without containers is dropped and counted',
    batches: [batch(60_000, {}, { 'shop/a': {} })],
    at: T,
    nodes: [],
    pods: [],
    dropped: { empty_pod: 1 },
  },
];

describe('RatedResourceStore', () => {
  it.each(cases)('$name', ({ batches, at, nodes, pods, dropped }) => {
    const now = { t: T };
    const s = store(now);
    let last = {};
    for (const b of batches) last = s.storeRated(b);
    now.t = at;
    expect(last).toEqual(dropped);
    expect(
      s
        .getNodeMetrics()
        .map((n) => [n.name, n.timestampMs, n.windowMs, n.usage.cpuNanoCores / 1e6]),
    ).toEqual(nodes);
    expect(
      s
        .getPodMetrics(undefined)
        .map((p) => [
          `${p.namespace}/${p.name}`,
          p.timestampMs,
          p.windowMs,
          p.containers.map((c) => c.name),
        ]),
    ).toEqual(pods);
  });

  it('reads by namespace and by name, and is ready once something was stored', () => {
    const s = store({ t: T });
    expect(s.ready()).toBe(false);
    s.storeRated(batch(60_000, {}, {}));
    expect(s.ready()).toBe(false);
    s.storeRated(
      batch(
        60_000,
        { n1: pt(T, 1, 1), n2: pt(T, 2, 2) },
        {
          'shop/a': { app: pt(T, 1, 1) },
          'shop/b': { app: pt(T, 1, 1) },
          'other/a': { app: pt(T, 1, 1) },
        },
      ),
    );
    expect(s.ready()).toBe(true);
    expect(s.getNodeMetrics(['n2', 'nope']).map((n) => n.name)).toEqual(['n2']);
    expect(s.getPodMetrics('shop').map((p) => p.name)).toEqual(['a', 'b']);
    expect(s.getPodMetrics('shop', ['b', 'zz']).map((p) => p.name)).toEqual(['b']);
    expect(s.getPodMetrics(undefined, ['a']).map((p) => p.namespace)).toEqual(['shop', 'other']);
    expect(s.stats()).toEqual({ nodes: 2, pods: 3, containers: 3 });
  });
});
