import { describe, expect, it } from 'vitest';
import {
  ResourceStore,
  type DropCounts,
  type MetricsBatch,
  type MetricsPoint,
  type MetricsSink,
  type ResourceMetricsReader,
  type StoreStatus,
} from '../../../src/store/index.js';
import { FakeTime } from '../../support/fake-time.js';

const T = 1_800_000_000_000;
const MiB = 1024 * 1024;
const sec = (s: number): number => T + s * 1000;

/** A point `startS` / `tsS` seconds after T, with `cpu` core-seconds and `mem` bytes. */
function pt(startS: number | null, tsS: number, cpu: number, mem = 4 * MiB): MetricsPoint {
  return {
    startTimeMs: startS === null ? 0 : sec(startS),
    timestampMs: sec(tsS),
    cpuUsageCoreSeconds: cpu,
    memoryWorkingSetBytes: mem,
  };
}

interface Tick {
  nodes?: Record<string, MetricsPoint>;
  pods?: Record<string, Record<string, MetricsPoint>>;
}

function batch(tick: Tick): MetricsBatch {
  return {
    nodes: new Map(Object.entries(tick.nodes ?? {})),
    pods: new Map(
      Object.entries(tick.pods ?? {}).map(([key, cs]) => [
        key,
        { containers: new Map(Object.entries(cs)) },
      ]),
    ),
  };
}

interface Served {
  timestampS: number;
  windowS: number;
  cpuNanoCores: number;
  memoryBytes: number;
}

interface StoreCase {
  name: string;
  resolutionS?: number;
  ticks: Tick[];
  /** The one pod `ns/p` (container `c1`) or node `n1` as served after the last tick, or null. */
  pod?: Served | null;
  node?: Served | null;
  /** Drops returned by the last tick. */
  dropped?: DropCounts;
  ready: boolean;
}

const one = (p: MetricsPoint): Tick => ({ pods: { 'ns/p': { c1: p } } });
const node = (p: MetricsPoint): Tick => ({ nodes: { n1: p } });

const cases: StoreCase[] = [
  {
    name: 'CPU rate between two cumulative points, window = their time difference',
    ticks: [one(pt(0, 120, 1)), one(pt(0, 125, 6, 5 * MiB))],
    pod: { timestampS: 125, windowS: 5, cpuNanoCores: 1e9, memoryBytes: 5 * MiB },
    ready: true,
  },
  {
    name: 'one point alone is not served: the store waits for a second scrape',
    ticks: [one(pt(0, 120, 1))],
    pod: null,
    ready: false,
  },
  {
    name: 'the same point stored twice gives no window (non_increasing_timestamp)',
    ticks: [one(pt(0, 110, 1)), one(pt(0, 110, 1))],
    pod: null,
    dropped: { non_increasing_timestamp: 1 },
    ready: false,
  },
  {
    name: 'a repeated newest point keeps serving the pair it already had',
    ticks: [one(pt(0, 110, 1)), one(pt(0, 120, 3)), one(pt(0, 120, 3))],
    pod: { timestampS: 120, windowS: 10, cpuNanoCores: 0.2e9, memoryBytes: 4 * MiB },
    dropped: {},
    ready: true,
  },
  {
    name: 'counter reset (CPU decreases) is dropped, never a negative or huge rate',
    ticks: [one(pt(0, 110, 20)), one(pt(0, 120, 10))],
    pod: null,
    dropped: { counter_reset: 1 },
    ready: false,
  },
  {
    name: 'after a counter reset the next point pairs with the reset point',
    ticks: [one(pt(0, 110, 20)), one(pt(0, 120, 10)), one(pt(0, 130, 15))],
    pod: { timestampS: 130, windowS: 10, cpuNanoCores: 0.5e9, memoryBytes: 4 * MiB },
    ready: true,
  },
  {
    name: 'restarted container (started after the stored point) is dropped until it has two points',
    ticks: [one(pt(0, 100, 50)), one(pt(150, 200, 2))],
    pod: null,
    dropped: { container_restart: 1 },
    ready: false,
  },
  {
    name: 'restarted container is served again from its second point',
    ticks: [one(pt(0, 100, 50)), one(pt(150, 200, 2)), one(pt(150, 215, 5))],
    pod: { timestampS: 215, windowS: 15, cpuNanoCores: 0.2e9, memoryBytes: 4 * MiB },
    ready: true,
  },
  {
    name: 'restarted container young enough is served from its start time (pod.go fresh rule)',
    resolutionS: 60,
    ticks: [one(pt(0, 10, 1)), one(pt(15, 25, 5, 5 * MiB))],
    pod: { timestampS: 25, windowS: 10, cpuNanoCores: 0.5e9, memoryBytes: 5 * MiB },
    ready: true,
  },
  {
    name: 'fresh container is served in one scrape when 10s <= age < resolution',
    resolutionS: 60,
    ticks: [one(pt(0, 10, 10))],
    pod: { timestampS: 10, windowS: 10, cpuNanoCores: 1e9, memoryBytes: 4 * MiB },
    ready: true,
  },
  {
    name: 'fresh container younger than 10s is not served in one scrape',
    resolutionS: 60,
    ticks: [one(pt(0, 9, 10))],
    pod: null,
    ready: false,
  },
  {
    name: 'fresh container whose start is after its sample time is not served',
    resolutionS: 60,
    ticks: [one(pt(0, -10, 10))],
    pod: null,
    ready: false,
  },
  {
    name: 'container older than the resolution is not served from its start time',
    resolutionS: 15,
    ticks: [one(pt(0, 15, 10))],
    pod: null,
    ready: false,
  },
  {
    name: 'unknown start time (0) never looks like a restart',
    ticks: [one(pt(null, 120, 1)), one(pt(null, 125, 6, 5 * MiB))],
    pod: { timestampS: 125, windowS: 5, cpuNanoCores: 1e9, memoryBytes: 5 * MiB },
    ready: true,
  },
  {
    name: 'a start time that moves backwards is dropped (start_time_decreased)',
    ticks: [one(pt(50, 100, 1)), one(pt(40, 110, 2))],
    pod: null,
    dropped: { start_time_decreased: 1 },
    ready: false,
  },
  {
    name: 'a point older than the stored previous one is not served',
    ticks: [one(pt(0, 1115, 20)), one(pt(0, 1125, 40)), one(pt(0, 115, 10))],
    pod: null,
    dropped: { non_increasing_timestamp: 1 },
    ready: false,
  },
  {
    name: 'a point between the stored previous and last pairs with the previous',
    ticks: [one(pt(0, 115, 10)), one(pt(0, 125, 50, 5 * MiB)), one(pt(0, 120, 35, 5 * MiB))],
    pod: { timestampS: 120, windowS: 5, cpuNanoCores: 5e9, memoryBytes: 5 * MiB },
    ready: true,
  },
  {
    name: 'a pod missing from the next batch is forgotten',
    ticks: [one(pt(0, 110, 1)), one(pt(0, 120, 6)), {}],
    pod: null,
    ready: false,
  },
  {
    name: 'node: CPU rate and window from two points',
    ticks: [node(pt(null, 100, 100)), node(pt(null, 115, 130, 8 * MiB))],
    node: { timestampS: 115, windowS: 15, cpuNanoCores: 2e9, memoryBytes: 8 * MiB },
    ready: true,
  },
  {
    name: 'node: a counter reset (reboot) is dropped',
    ticks: [node(pt(null, 100, 100)), node(pt(null, 115, 3))],
    node: null,
    dropped: { counter_reset: 1 },
    ready: false,
  },
  {
    name: 'node: started after the stored point is a node restart',
    ticks: [node(pt(0, 100, 100)), node(pt(105, 115, 3))],
    node: null,
    dropped: { node_restart: 1 },
    ready: false,
  },
  {
    name: 'node: no fresh rule, one point is never served',
    resolutionS: 60,
    ticks: [node(pt(0, 10, 10))],
    node: null,
    ready: false,
  },
];

function served(reader: ResourceMetricsReader): { pod: Served | null; node: Served | null } {
  const p = reader.getPodMetrics('ns', ['p'])[0];
  const n = reader.getNodeMetrics(['n1'])[0];
  const c = p?.containers[0];
  return {
    pod:
      p && c
        ? { timestampS: (p.timestampMs - T) / 1000, windowS: p.windowMs / 1000, ...c.usage }
        : null,
    node: n
      ? { timestampS: (n.timestampMs - T) / 1000, windowS: n.windowMs / 1000, ...n.usage }
      : null,
  };
}

describe('ResourceStore: semantics', () => {
  it.each(cases)('$name', ({ resolutionS, ticks, pod, node: nodeValue, dropped, ready }) => {
    const time = new FakeTime(sec(130));
    const store = new ResourceStore({
      now: () => time.now(),
      metricResolutionMs: (resolutionS ?? 15) * 1000,
    });
    let last: DropCounts = {};
    for (const tick of ticks) last = store.store(batch(tick));
    const got = served(store);
    if (pod !== undefined) expect(got.pod).toEqual(pod);
    if (nodeValue !== undefined) expect(got.node).toEqual(nodeValue);
    if (dropped !== undefined) expect(last).toEqual(dropped);
    expect(store.ready()).toBe(ready);
  });
});

describe('ResourceStore: pods, reads and state', () => {
  const twoTicks = (store: ResourceStore, second: Tick, first: Tick = second): DropCounts => {
    store.store(batch(first));
    return store.store(batch(second));
  };
  const newStore = (time: FakeTime, opts: { maxAgeMs?: number } = {}) =>
    new ResourceStore({ now: () => time.now(), ...opts });

  it('a pod is served only when every container has a pair (incomplete_pod)', () => {
    const store = newStore(new FakeTime(sec(125)));
    store.store(batch({ pods: { 'ns/p': { c1: pt(0, 110, 1) } } }));
    const dropped = store.store(
      batch({ pods: { 'ns/p': { c1: pt(0, 120, 6), c2: pt(0, 120, 8) } } }),
    );
    expect(store.getPodMetrics('ns')).toEqual([]);
    expect(dropped).toEqual({ incomplete_pod: 1 });
  });

  it('a pod takes the time and window of its earliest container', () => {
    const store = newStore(new FakeTime(sec(125)));
    store.store(batch({ pods: { 'ns/p': { c1: pt(0, 110, 1), c2: pt(0, 115, 2) } } }));
    store.store(
      batch({ pods: { 'ns/p': { c1: pt(0, 120, 6, 6 * MiB), c2: pt(0, 125, 7, 7 * MiB) } } }),
    );
    const [p] = store.getPodMetrics('ns', ['p']);
    expect(p).toMatchObject({
      namespace: 'ns',
      name: 'p',
      timestampMs: sec(120),
      windowMs: 10_000,
    });
    expect(new Map(p?.containers.map((c) => [c.name, c.usage]))).toEqual(
      new Map([
        ['c1', { cpuNanoCores: 0.5e9, memoryBytes: 6 * MiB }],
        ['c2', { cpuNanoCores: 0.5e9, memoryBytes: 7 * MiB }],
      ]),
    );
  });

  it('a pod without containers is refused (empty_pod)', () => {
    const store = newStore(new FakeTime(sec(125)));
    const dropped = store.store({
      nodes: new Map(),
      pods: new Map([['ns/p', { containers: new Map() }]]),
    });
    expect(dropped).toEqual({ empty_pod: 1 });
    expect(store.stats().pods).toBe(0);
  });

  const readTick: Tick = {
    nodes: { n1: pt(null, 120, 10), n2: pt(null, 120, 20) },
    pods: { 'a/p': { c: pt(0, 120, 1) }, 'a/q': { c: pt(0, 120, 1) }, 'b/p': { c: pt(0, 120, 1) } },
  };
  /** The same series 10s later, each having used 1 more core-second. */
  const later = (tick: Tick): Tick => {
    const move = (pt: MetricsPoint): MetricsPoint => ({
      ...pt,
      timestampMs: pt.timestampMs + 10_000,
      cpuUsageCoreSeconds: pt.cpuUsageCoreSeconds + 1,
    });
    const mapValues = <V, W>(rec: Record<string, V>, fn: (v: V) => W) =>
      Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, fn(v)]));
    return {
      nodes: mapValues(tick.nodes ?? {}, move),
      pods: mapValues(tick.pods ?? {}, (cs) => mapValues(cs, move)),
    };
  };
  const keys = (values: Array<{ namespace?: string; name: string }>) =>
    values.map((v) => (v.namespace ? `${v.namespace}/${v.name}` : v.name)).sort();

  it.each([
    { name: 'every node', read: (s: ResourceStore) => s.getNodeMetrics(), expected: ['n1', 'n2'] },
    {
      name: 'named nodes, unknown names skipped',
      read: (s: ResourceStore) => s.getNodeMetrics(['n2', 'nope']),
      expected: ['n2'],
    },
    {
      name: 'every pod in every namespace',
      read: (s: ResourceStore) => s.getPodMetrics(undefined),
      expected: ['a/p', 'a/q', 'b/p'],
    },
    {
      name: 'every pod of one namespace',
      read: (s: ResourceStore) => s.getPodMetrics('a'),
      expected: ['a/p', 'a/q'],
    },
    {
      name: 'named pods of one namespace',
      read: (s: ResourceStore) => s.getPodMetrics('a', ['q', 'zz']),
      expected: ['a/q'],
    },
    {
      name: 'a name across all namespaces',
      read: (s: ResourceStore) => s.getPodMetrics(undefined, ['p']),
      expected: ['a/p', 'b/p'],
    },
    {
      name: 'an unknown namespace',
      read: (s: ResourceStore) => s.getPodMetrics('zz'),
      expected: [],
    },
  ])('reads $name', ({ read, expected }) => {
    const store = newStore(new FakeTime(sec(131)));
    twoTicks(store, later(readTick), readTick);
    expect(keys(read(store))).toEqual(expected);
  });

  it('stale data is not served, and is again once fresh points arrive', async () => {
    const time = new FakeTime(sec(130));
    const store = newStore(time, { maxAgeMs: 30_000 });
    twoTicks(store, later(readTick), readTick);
    expect(store.getNodeMetrics()).toHaveLength(2);
    await time.advance(30_001);
    expect(store.getNodeMetrics()).toEqual([]);
    expect(store.getPodMetrics(undefined)).toEqual([]);
    expect(store.ready()).toBe(true);
    store.store(batch(later(later(readTick))));
    expect(store.getPodMetrics(undefined)).toHaveLength(3);
  });

  it('the default max age is three resolutions', async () => {
    const time = new FakeTime(sec(130) + 45_000);
    const store = new ResourceStore({ now: () => time.now(), metricResolutionMs: 15_000 });
    twoTicks(store, later(readTick), readTick);
    expect(store.getNodeMetrics()).toHaveLength(2);
    await time.advance(1);
    expect(store.getNodeMetrics()).toHaveLength(0);
  });

  it("readers never see half a tick: values already read stay as they were, and are the reader's own", () => {
    const store = newStore(new FakeTime(sec(135)));
    twoTicks(store, later(readTick), readTick);
    const before = store.getPodMetrics('a');
    const snapshot = JSON.stringify(before);
    store.store(batch(later(later(readTick))));
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(store.getPodMetrics('a').map((p) => p.timestampMs)).toEqual([sec(140), sec(140)]);
    const mine = store.getPodMetrics('a', ['p']);
    mine[0]!.containers[0]!.usage.cpuNanoCores = -1;
    mine[0]!.timestampMs = 0;
    expect(store.getPodMetrics('a', ['p'])[0]).toMatchObject({
      timestampMs: sec(140),
      containers: [{ usage: { cpuNanoCores: 0.1e9 } }],
    });
  });

  it('memory stays bounded: only series of the last batch are kept', () => {
    const store = newStore(new FakeTime(sec(130)));
    for (let i = 0; i < 50; i++) {
      const pods: Tick['pods'] = {};
      for (let j = 0; j < 20; j++)
        pods[`ns/p-${i}-${j}`] = { a: pt(0, 100 + i, i + 1), b: pt(0, 100 + i, i + 1) };
      store.store(batch({ nodes: { n1: pt(null, 100 + i, i + 1) }, pods }));
    }
    const stats = store.stats();
    expect(stats).toMatchObject({ nodes: 1, pods: 20, containers: 40 });
    expect(stats.approxBytes).toBeGreaterThan(40 * 100);
    expect(stats.approxBytes).toBeLessThan(40 * 5_000);
  });

  it('ready() follows the last tick, as upstream storage.Ready()', () => {
    const store = newStore(new FakeTime(sec(131)));
    expect(store.ready()).toBe(false);
    twoTicks(store, later(readTick), readTick);
    expect(store.ready()).toBe(true);
    store.store(batch({}));
    expect(store.ready()).toBe(false);
  });

  it('implements the sink, reader and status seams', () => {
    const store = newStore(new FakeTime(sec(131)));
    const seams: [MetricsSink, ResourceMetricsReader, StoreStatus] = [store, store, store];
    expect(seams).toHaveLength(3);
  });
});
