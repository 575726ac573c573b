/**
 * Resource-metrics parity with metrics-server v0.8.0: both processes scrape the same scripted
 * kubelets (Node objects in a real kube-apiserver pointing at loopback) at the same resolution, and
 * after each of its own scrapes each must serve the same pods and nodes with the same values (CPU
 * within 1%, memory exact), timestamps of the sample it scraped and windows between its last two
 * samples; both drop the same pods (missing series, restarts, new containers, pods not Running).
 * The kubelets' script runs on each client's own scrape count (peers/scripted-kubelets.ts), so the
 * two loops see the same inputs however they are phased.
 */
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quantity } from '../../src/k8s/index.js';
import {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  startControlPlane,
  type ControlPlane,
} from './control-plane.js';
import {
  servingCert,
  startMetricsServer,
  startScaleplane,
  type PeerProcess,
} from './peers/index.js';
import { INTENDED } from './peers/intended.js';
import { ResourceObserver, type PodView, type UsageView } from './peers/resource-observer.js';
import {
  CHANGE_AT,
  createWorld,
  LAST_INDEX,
  NODE_CASES,
  NS,
  OTHER_NS,
  POD_CASES,
  RESOLUTION_MS,
  scriptedNodes,
  type PodCase,
  type Served,
} from './peers/resource-world.js';
import { ScriptedKubelets } from './peers/scripted-kubelets.js';

const PEERS = ['metrics-server', 'scaleplane'] as const;
type PeerName = (typeof PEERS)[number];
const SERVED_NODES = NODE_CASES.filter((n) => n.served).map((n) => n.name);
const INDICES = Array.from({ length: LAST_INDEX }, (_, i) => i + 1);
const CPU_TOLERANCE = 0.01;

/** metrics-server's Go client sends a User-Agent; scaleplane's node:http client sends none. */
function clientOf(req: IncomingMessage): string {
  const ua = req.headers['user-agent'];
  if (ua === undefined) return 'scaleplane';
  return /^(metrics-server|Go-http-client)\//.test(ua) ? 'metrics-server' : `unknown:${ua}`;
}

const names = (p: PodView | undefined): Served => (p ? [...p.containers.keys()].sort() : 'dropped');

function expectCpu(actual: number, expected: number, what: string): void {
  expect(
    Math.abs(actual - expected),
    `${what}: cpu ${actual} cores, expected ${expected}`,
  ).toBeLessThanOrEqual(expected * CPU_TOLERANCE + 1e-9);
}

describe('resource metrics parity with metrics-server', () => {
  let cluster: ControlPlane;
  let kubelets: ScriptedKubelets;
  const peers = new Map<PeerName, PeerProcess>();
  const observers = new Map<PeerName, ResourceObserver>();
  let observedMs = 0;

  const servingAt = (peer: PeerName, node: string, index: number) =>
    kubelets.servedTo(peer, node).find((s) => s.index === index);
  /** The window a peer must report at `index`: the gap between its last two samples. */
  const windowAt = (peer: PeerName, node: string, index: number): number =>
    servingAt(peer, node, index)!.atMs - servingAt(peer, node, index - 1)!.atMs;

  beforeAll(async () => {
    cluster = await startControlPlane({ routing: 'service' });
    const cert = await servingCert(cluster, 'scripted-kubelets');
    kubelets = await ScriptedKubelets.start({ nodes: scriptedNodes(), cert, clientOf });
    await createWorld(cluster, kubelets.port);
    const resolution = `${RESOLUTION_MS / 1000}s`;
    const [ms, sp] = await Promise.all([
      startMetricsServer(cluster, { metricResolution: resolution }),
      startScaleplane(cluster, { metricResolution: resolution }),
    ]);
    peers.set('metrics-server', ms);
    peers.set('scaleplane', sp);
    const nodeOf = new Map(POD_CASES.map((p) => [`${p.pod.namespace}/${p.pod.name}`, p.node]));
    const nodes = NODE_CASES.map((n) => n.name);
    for (const name of PEERS)
      observers.set(name, new ResourceObserver(peers.get(name)!, name, kubelets, nodeOf, nodes));
    const t0 = Date.now();
    const deadline = t0 + (LAST_INDEX + 4) * RESOLUTION_MS;
    const observed = [...SERVED_NODES, 'parity-c'];
    while (![...observers.values()].every((o) => o.reached(observed, LAST_INDEX))) {
      if (Date.now() > deadline)
        throw new Error(
          `peers did not reach scrape ${LAST_INDEX} of every node: ${[...observers.values()]
            .map((o) => `${o.client}: ${[...o.observations.keys()].sort().join(' ')}`)
            .join('; ')}\n${cluster.logs(20)}`,
        );
      await Promise.all([...observers.values()].map((o) => o.poll()));
      await sleep(600);
    }
    observedMs = Date.now() - t0;
  }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
    await kubelets?.close();
  }, 60_000);

  it('has both peers scrape every kubelet once per resolution, and nobody else', () => {
    console.log(
      `observed ${LAST_INDEX + 1} scrapes in ${observedMs} ms; polls ${[...observers.values()]
        .map((o) => `${o.client} ${o.polls} (${o.discarded} discarded)`)
        .join(', ')}`,
    );
    expect(kubelets.clients()).toEqual([...PEERS]);
    for (const peer of PEERS)
      for (const node of [...SERVED_NODES, 'parity-c']) {
        const times = kubelets.servedTo(peer, node).map((s) => s.atMs);
        expect(times.length, `${peer} scrapes of ${node}`).toBeGreaterThan(LAST_INDEX);
        for (let i = 1; i < times.length; i++)
          expect(
            Math.abs(times[i]! - times[i - 1]! - RESOLUTION_MS),
            `${peer} ${node} interval ${i}`,
          ).toBeLessThan(1500);
      }
  });

  describe.each(POD_CASES)('pod: $name', (pc: PodCase) => {
    const key = `${pc.pod.namespace}/${pc.pod.name}`;
    const expected = (peer: PeerName): readonly Served[] =>
      peer === 'scaleplane' && pc.intended ? pc.intended.scaleplane : pc.metricsServer;

    it.each(INDICES)('serves the same containers after scrape %i', (index) => {
      const got = PEERS.map((peer) =>
        names(observers.get(peer)!.get(pc.node, index)?.pods.get(key)),
      );
      expect(got, `${key} at index ${index}: [metrics-server, scaleplane]`).toEqual(
        PEERS.map((peer) => expected(peer)[index - 1]),
      );
    });

    it('serves the scripted usage, the scraped timestamp and the window of its own samples', () => {
      for (const index of INDICES) {
        const views = PEERS.map((peer) => observers.get(peer)!.get(pc.node, index)?.pods.get(key));
        for (const [i, peer] of PEERS.entries()) {
          const view = views[i];
          if (!view || view.containers.size === 0) continue;
          const at = servingAt(peer, pc.node, index)!;
          const what = `${peer} ${key} index ${index}`;
          expect(view.timestampS, `${what} timestamp`).toBe(Math.floor(at.atMs / 1000));
          const window =
            pc.freshAt === index
              ? at.atMs -
                kubelets.startOf(peer, pc.pod.namespace, pc.pod.name, pc.pod.containers[0]!.name)!
              : windowAt(peer, pc.node, index);
          expect(
            Math.abs(view.windowMs - window),
            `${what} window ${view.windowMs} ms, expected ${window} ms`,
          ).toBeLessThanOrEqual(1);
          for (const [name, usage] of view.containers) {
            const script = pc.pod.containers.find((ct) => ct.name === name)!;
            expectCpu(usage.cpuCores, script.cpuCores, `${what} ${name}`);
            expect(usage.memoryBytes, `${what} ${name} memory`).toBe(script.memoryBytes);
          }
        }
        const [a, b] = views;
        if (a && b)
          for (const [name, ua] of a.containers) {
            const ub: UsageView | undefined = b.containers.get(name);
            if (!ub) continue;
            expectCpu(
              ub.cpuCores,
              ua.cpuCores,
              `scaleplane vs metrics-server ${key} ${name} index ${index}`,
            );
            expect(ub.memoryBytes).toBe(ua.memoryBytes);
          }
      }
    });
  });

  it(`intended: ${INTENDED.counterDown} (the single container: metrics-server's null timestamp)`, () => {
    // metrics-server keeps the pod and skips the container whose counter went down; with no
    // container left the pod has no sample time, so its timestamp is metav1.Time's zero (null).
    // scaleplane drops the pod for that scrape (asserted per index above).
    let seen = 0;
    for (const pc of POD_CASES.filter((p) => p.intended))
      for (const index of INDICES) {
        const served = pc.metricsServer[index - 1]!;
        if (served === 'dropped' || served.length > 0) continue;
        const key = `${pc.pod.namespace}/${pc.pod.name}`;
        const ms = observers.get('metrics-server')!.get(pc.node, index)?.pods.get(key);
        const sp = observers.get('scaleplane')!.get(pc.node, index)?.pods.get(key);
        expect(ms, `metrics-server ${key} at index ${index}`).toBeDefined();
        expect(ms!.containers.size).toBe(0);
        expect(ms!.timestamp, `metrics-server ${key} timestamp at index ${index}`).toBeNull();
        expect(sp, `scaleplane ${key} at index ${index}`).toBeUndefined();
        seen += 1;
      }
    expect(seen, 'pods served with no containers').toBeGreaterThan(0);
  });

  it(`intended: ${INTENDED.counterDown} (counted)`, async () => {
    const text = (await peers.get('scaleplane')!.get('/metrics')).body;
    const counted = [
      ...text.matchAll(
        /^scaleplane_dropped_points_total\{[^}]*reason="counter_reset"[^}]*\} (\S+)$/gm,
      ),
    ].reduce((n, m) => n + Number(m[1]), 0);
    // One pod with two containers and one with a single container went down once each.
    expect(counted, 'scaleplane_dropped_points_total{reason="counter_reset"}').toBeGreaterThan(0);
  });

  describe.each(NODE_CASES)('node: $name', ({ name, served, node }) => {
    it(
      served ? 'is served by both with the same usage and its own window' : 'is served by neither',
      async () => {
        for (const index of INDICES) {
          const views = PEERS.map((peer) => observers.get(peer)!.get(name, index)?.node);
          if (!served) {
            expect(views).toEqual([undefined, undefined]);
            continue;
          }
          for (const [i, peer] of PEERS.entries()) {
            const view = views[i];
            expect(view, `${peer} node ${name} index ${index}`).toBeDefined();
            const at = servingAt(peer, name, index)!;
            expect(view!.timestampS).toBe(Math.floor(at.atMs / 1000));
            expect(Math.abs(view!.windowMs - windowAt(peer, name, index))).toBeLessThanOrEqual(1);
            expectCpu(view!.cpuCores, node!.cpuCores, `${peer} node ${name} index ${index}`);
          }
          expect(views[1]!.memoryBytes, `node ${name} memory at index ${index}`).toBe(
            views[0]!.memoryBytes,
          );
        }
        const gets = await Promise.all(
          PEERS.map((peer) => peers.get(peer)!.get(`/apis/metrics.k8s.io/v1beta1/nodes/${name}`)),
        );
        expect(gets.map((g) => g.status)).toEqual(served ? [200, 200] : [404, 404]);
      },
    );
  });

  const statusOf = (body: string): unknown => {
    const s = JSON.parse(body) as {
      kind?: string;
      code?: number;
      reason?: string;
      message?: string;
    };
    return { kind: s.kind, code: s.code, reason: s.reason, message: s.message };
  };

  const steadyGets: { name: string; path: string }[] = [
    ...POD_CASES.map((pc) => ({
      name: `pod ${pc.pod.namespace}/${pc.pod.name}`,
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${pc.pod.namespace}/pods/${pc.pod.name}`,
    })),
    {
      name: 'pod in a namespace that does not exist',
      path: '/apis/metrics.k8s.io/v1beta1/namespaces/nowhere/pods/x',
    },
    { name: 'node that does not exist', path: '/apis/metrics.k8s.io/v1beta1/nodes/nowhere' },
  ];

  it.each(steadyGets)(
    'answers GET of a $name with the same status and Status',
    async ({ path }) => {
      const res = await Promise.all(PEERS.map((peer) => peers.get(peer)!.get(path)));
      expect(res[1]!.status, `scaleplane vs metrics-server status for ${path}`).toBe(
        res[0]!.status,
      );
      if (res[0]!.status !== 200) expect(statusOf(res[1]!.body)).toEqual(statusOf(res[0]!.body));
    },
  );

  const lists: { name: string; path: string }[] = [
    { name: 'all pods', path: '/apis/metrics.k8s.io/v1beta1/pods' },
    {
      name: 'pods of one namespace',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${OTHER_NS}/pods`,
    },
    {
      name: 'pods by label, all namespaces',
      path: '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb',
    },
    {
      name: 'pods by label, one namespace',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods?labelSelector=app%3Dweb`,
    },
    {
      name: 'pods by set-based label',
      path: `/apis/metrics.k8s.io/v1beta1/pods?labelSelector=case+in+(steady-one,restart-recent,pending)`,
    },
    {
      name: 'pods by field',
      path: `/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3Dsteady-one`,
    },
    {
      name: 'pods by field, negated',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods?fieldSelector=metadata.name!%3Dsteady-one`,
    },
    { name: 'nodes', path: '/apis/metrics.k8s.io/v1beta1/nodes' },
    {
      name: 'nodes by label',
      path: '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=kubernetes.io%2Fhostname%3Dparity-b',
    },
  ];

  it.each(lists)('lists the same $name', async ({ path }) => {
    const res = await Promise.all(PEERS.map((peer) => peers.get(peer)!.get(path)));
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    const items = res.map((r) =>
      (
        JSON.parse(r.body) as {
          items: {
            metadata: { name: string; namespace?: string };
            containers?: { name: string }[];
          }[];
        }
      ).items
        .map(
          (i) =>
            `${i.metadata.namespace ?? ''}/${i.metadata.name}:${(i.containers ?? [])
              .map((c) => c.name)
              .sort()
              .join(',')}`,
        )
        .sort(),
    );
    expect(items[1], `scaleplane vs metrics-server for ${path}`).toEqual(items[0]);
    expect(items[0]!.length, `${path} lists something`).toBeGreaterThan(0);
  });

  const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
  it.each([
    { name: 'nodes', path: '/apis/metrics.k8s.io/v1beta1/nodes' },
    { name: 'pods of one namespace', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods` },
    { name: 'one pod', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/steady-three` },
  ])('answers a Table request for $name with the same columns and rows', async ({ path }) => {
    type Table = {
      kind: string;
      columnDefinitions: { name: string; type: string; format: string }[];
      rows: { cells: unknown[] }[];
    };
    const tables = await Promise.all(
      PEERS.map(
        async (peer) => JSON.parse((await peers.get(peer)!.get(path, TABLE)).body) as Table,
      ),
    );
    expect(tables.map((t) => t.kind)).toEqual(['Table', 'Table']);
    const columns = (t: Table) => t.columnDefinitions.map((c) => `${c.name}:${c.type}:${c.format}`);
    expect(columns(tables[1]!)).toEqual(columns(tables[0]!));
    // Name and memory cells exactly, CPU within 1% like the JSON values: each peer's rate is over
    // its own scrape times, so the last nanocore differs (`14999999n` beside `15m`); the window
    // column differs for the same reason and is left out.
    const at = (name: string) => tables[0]!.columnDefinitions.findIndex((c) => c.name === name);
    const [nameAt, cpuAt, memoryAt] = [at('Name'), at('cpu'), at('memory')];
    const rows = (t: Table) =>
      t.rows
        .map((r) => ({
          name: String(r.cells[nameAt]),
          cpu: Quantity.parse(String(r.cells[cpuAt])).asApproximateFloat64(),
          memory: String(r.cells[memoryAt]),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const [ms, ours] = [rows(tables[0]!), rows(tables[1]!)];
    expect(ms.length).toBeGreaterThan(0);
    expect(ours.map((r) => [r.name, r.memory])).toEqual(ms.map((r) => [r.name, r.memory]));
    ours.forEach((r, i) =>
      expect(Math.abs(r.cpu - ms[i]!.cpu), `${path} ${r.name} cpu`).toBeLessThanOrEqual(
        ms[i]!.cpu * 0.01,
      ),
    );
  });

  it('lists the same metrics.k8s.io resources in discovery', async () => {
    const docs = await Promise.all(
      PEERS.map((peer) =>
        peers.get(peer)!.getJson<{
          resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
        }>('/apis/metrics.k8s.io/v1beta1'),
      ),
    );
    const view = (d: (typeof docs)[number]) =>
      d.resources
        .map((r) => ({
          name: r.name,
          kind: r.kind,
          namespaced: r.namespaced,
          verbs: [...r.verbs].sort(),
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
    expect(view(docs[1]!)).toEqual(view(docs[0]!));
  });

  it(`changes nothing after scrape ${CHANGE_AT + 1}: the steady state both serve is the same`, async () => {
    const lists = await Promise.all(
      PEERS.map((peer) =>
        peers
          .get(peer)!
          .getJson<{ items: { metadata: { name: string; namespace: string } }[] }>(
            '/apis/metrics.k8s.io/v1beta1/pods',
          ),
      ),
    );
    const keys = lists.map((l) =>
      l.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort(),
    );
    const expectedKeys = POD_CASES.filter((pc) => pc.metricsServer[LAST_INDEX - 1] !== 'dropped')
      .map((pc) => `${pc.pod.namespace}/${pc.pod.name}`)
      .sort();
    expect(keys[0]).toEqual(expectedKeys);
    expect(keys[1]).toEqual(expectedKeys);
  });
});
