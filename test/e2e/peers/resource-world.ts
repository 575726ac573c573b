/**
 * The world of the resource-metrics parity test: scripted kubelets (scripted-kubelets.ts), the
 * Node and Pod objects that point both peers at them, and what metrics-server v0.8.0 serves for
 * each pod at each of its scrapes, read from its source (pkg/storage/pod.go Store and GetMetrics,
 * pkg/scraper/client/resource/decode.go checkContainerMetrics, pkg/server/informer.go).
 *
 * Scrape indices count one client's scrapes of one node from 0; a pod needs two points, so nothing
 * is served at index 0. Every scripted change happens at index {@link CHANGE_AT}.
 * @module
 */
import type { ControlPlane } from '../control-plane.js';
import { waitFor } from '../harness/wait.js';
import { INTENDED } from './intended.js';
import { ScriptedKubelets, type ScriptedNode, type ScriptedPod } from './scripted-kubelets.js';

export const NS = 'parity';
export const OTHER_NS = 'parity-other';
/** metrics-server's minimum is 10s; the fresh-container rule needs ages in [10s, resolution). */
export const RESOLUTION_MS = 12_000;
export const CHANGE_AT = 2;
/** Observations run through this index of every node. */
export const LAST_INDEX = 4;
const MI = 2 ** 20;
const FRESH_WINDOW_AGE_MS = 10_500;

/** What a peer serves for a pod at one index: its container names, or nothing. */
export type Served = readonly string[] | 'dropped';

/** One pod of the table. */
export interface PodCase {
  /** Test name. */
  name: string;
  node: string;
  pod: ScriptedPod;
  /** Pod object phase; 'none' creates no Pod object. Default Running. */
  phase?: 'Running' | 'Pending' | 'none';
  labels?: Record<string, string>;
  /** metrics-server's answer at indices 1..LAST_INDEX (index 0 serves nothing). */
  metricsServer: readonly Served[];
  /** Index served with the fresh-container rule: the window runs from the container's start. */
  freshAt?: number;
  /** Where scaleplane deliberately answers otherwise: its answers and the README wording. */
  intended?: { scaleplane: readonly Served[]; why: string };
}

const c = (name: string, cpuCores: number, memoryBytes: number, extra = {}) => ({
  name,
  cpuCores,
  memoryBytes,
  ...extra,
});
const pod = (name: string, containers: ScriptedPod['containers'], extra = {}, ns = NS) => ({
  namespace: ns,
  name,
  containers,
  ...extra,
});
const all = (served: Served): Served[] => Array.from({ length: LAST_INDEX }, () => served);
/** Served at indices 1..LAST_INDEX from `from` on (index `from` itself included). */
const from = (index: number, served: Served): Served[] =>
  Array.from({ length: LAST_INDEX }, (_, i) => (i + 1 >= index ? served : 'dropped'));
const dropAtChange = (served: Served): Served[] =>
  Array.from({ length: LAST_INDEX }, (_, i) => (i + 1 === CHANGE_AT ? 'dropped' : served));

/** README "Intended differences" wording for the counter cases. */
const COUNTER_DOWN = INTENDED.counterDown;

export const POD_CASES: PodCase[] = [
  {
    name: 'steady pod with one container',
    node: 'parity-a',
    pod: pod('steady-one', [c('app', 0.0125, 30 * MI + 4096)]),
    metricsServer: all(['app']),
  },
  {
    name: 'steady pod with three containers',
    node: 'parity-a',
    pod: pod('steady-three', [
      c('app', 0.2, 200 * MI),
      c('proxy', 0.0031, 17 * MI + 1),
      c('log', 0.00007, 5 * MI + 12345),
    ]),
    labels: { app: 'web' },
    metricsServer: all(['app', 'log', 'proxy']),
  },
  {
    name: 'a container without a memory series drops the pod',
    node: 'parity-a',
    pod: pod('missing-memory', [
      c('app', 0.01, 10 * MI),
      c('side', 0.01, 10 * MI, { omit: { series: 'memory' } }),
    ]),
    metricsServer: all('dropped'),
  },
  {
    name: 'a container without a CPU series drops the pod',
    node: 'parity-a',
    pod: pod('missing-cpu', [c('app', 0.01, 10 * MI, { omit: { series: 'cpu' } })]),
    metricsServer: all('dropped'),
  },
  {
    name: 'a container whose CPU counter is zero drops the pod',
    node: 'parity-a',
    pod: pod('zero-cpu', [c('app', 0, 10 * MI), c('side', 0.01, 10 * MI)]),
    metricsServer: all('dropped'),
  },
  {
    name: 'a container without a start time is served',
    node: 'parity-a',
    pod: pod('no-start-time', [c('app', 0.02, 20 * MI, { omit: { series: 'start' } })]),
    metricsServer: all(['app']),
  },
  {
    name: 'a container restarted seconds ago drops the pod for one scrape',
    node: 'parity-a',
    pod: pod('restart-recent', [
      c('app', 0.03, 40 * MI, { restartAt: CHANGE_AT, restartAgeMs: 2_000 }),
      c('side', 0.001, 8 * MI),
    ]),
    metricsServer: dropAtChange(['app', 'side']),
  },
  {
    name: 'a container restarted 10-11s ago is served at once from its start (fresh container)',
    node: 'parity-a',
    pod: pod('restart-fresh', [
      c('app', 0.04, 44 * MI, { restartAt: CHANGE_AT, restartAgeMs: FRESH_WINDOW_AGE_MS }),
    ]),
    freshAt: CHANGE_AT,
    metricsServer: all(['app']),
  },
  {
    name: 'a counter that goes down without a restart leaves the other containers served',
    node: 'parity-a',
    pod: pod('counter-reset', [
      c('app', 0.05, 50 * MI, { counterResetAt: CHANGE_AT }),
      c('side', 0.002, 9 * MI),
    ]),
    metricsServer: all(['app', 'side']).map((s, i) => (i + 1 === CHANGE_AT ? ['side'] : s)),
    intended: { scaleplane: dropAtChange(['app', 'side']), why: COUNTER_DOWN },
  },
  {
    name: 'a single container whose counter goes down',
    node: 'parity-a',
    pod: pod('counter-reset-single', [c('app', 0.05, 51 * MI, { counterResetAt: CHANGE_AT })]),
    // GetMetrics skips the container ("unexpected decrease") but still lists the pod.
    metricsServer: all(['app']).map((s, i) => (i + 1 === CHANGE_AT ? [] : s)),
    intended: { scaleplane: dropAtChange(['app']), why: COUNTER_DOWN },
  },
  {
    name: 'a sidecar appearing drops the pod for one scrape',
    node: 'parity-a',
    pod: pod('sidecar-appears', [
      c('app', 0.006, 12 * MI),
      c('side', 0.004, 6 * MI, { from: CHANGE_AT }),
    ]),
    metricsServer: all(['app', 'side']).map((s, i) =>
      i + 1 < CHANGE_AT ? ['app'] : i + 1 === CHANGE_AT ? 'dropped' : s,
    ),
  },
  {
    name: 'a container going away leaves the rest served',
    node: 'parity-a',
    pod: pod('sidecar-gone', [
      c('app', 0.007, 13 * MI),
      c('side', 0.003, 7 * MI, { until: CHANGE_AT }),
    ]),
    metricsServer: all(['app']).map((s, i) => (i + 1 < CHANGE_AT ? ['app', 'side'] : s)),
  },
  {
    name: 'a pod that is not Running is not served',
    node: 'parity-a',
    pod: pod('pending', [c('app', 0.01, 10 * MI)]),
    phase: 'Pending',
    metricsServer: all('dropped'),
  },
  {
    name: 'a pod the kubelet reports without a Pod object is not served',
    node: 'parity-a',
    pod: pod('no-object', [c('app', 0.01, 10 * MI)]),
    phase: 'none',
    metricsServer: all('dropped'),
  },
  {
    name: 'a new pod whose container started 3s ago is served from its second scrape',
    node: 'parity-b',
    pod: pod('fresh-young', [c('app', 0.015, 15 * MI, { ageMs: 3_000 })], { from: CHANGE_AT }),
    metricsServer: from(CHANGE_AT + 1, ['app']),
  },
  {
    name: 'a new pod whose container started 10-11s ago is served from its first scrape',
    node: 'parity-b',
    pod: pod('fresh-window', [c('app', 0.016, 16 * MI, { ageMs: FRESH_WINDOW_AGE_MS })], {
      from: CHANGE_AT,
    }),
    freshAt: CHANGE_AT,
    metricsServer: from(CHANGE_AT, ['app']),
  },
  {
    name: 'a pod first reported long after its start is served from its second scrape',
    node: 'parity-b',
    pod: pod('fresh-old', [c('app', 0.017, 17 * MI)], { from: CHANGE_AT }),
    metricsServer: from(CHANGE_AT + 1, ['app']),
  },
  {
    name: 'a labelled pod in another namespace',
    node: 'parity-b',
    pod: pod('web-other', [c('app', 0.018, 18 * MI)], {}, OTHER_NS),
    labels: { app: 'web' },
    metricsServer: all(['app']),
  },
  {
    name: 'a pod on a node whose own memory series is missing is still served',
    node: 'parity-c',
    pod: pod('on-partial-node', [c('app', 0.019, 19 * MI)]),
    metricsServer: all(['app']),
  },
];

/** Nodes: a and b complete; c lacks node_memory_working_set_bytes; ghost's kubelet answers 404. */
export const NODE_CASES: { name: string; served: boolean; node?: Omit<ScriptedNode, 'pods'> }[] = [
  {
    name: 'parity-a',
    served: true,
    node: { name: 'parity-a', cpuCores: 0.75, memoryBytes: 3 * 2 ** 30 },
  },
  {
    name: 'parity-b',
    served: true,
    node: { name: 'parity-b', cpuCores: 0.33, memoryBytes: 2 * 2 ** 30 + 7 },
  },
  {
    name: 'parity-c',
    served: false,
    node: { name: 'parity-c', cpuCores: 0.1, memoryBytes: 2 ** 30, omit: { series: 'memory' } },
  },
  { name: 'parity-ghost', served: false },
];

/** The scripted nodes (ghost has none: its annotated path is unknown to the kubelets). */
export function scriptedNodes(): ScriptedNode[] {
  return NODE_CASES.flatMap(({ node }) =>
    node
      ? [{ ...node, pods: POD_CASES.filter((p) => p.node === node.name).map((p) => p.pod) }]
      : [],
  );
}

/** Node objects pointing at the kubelets, not managed by kwok. */
function nodeObject(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, parity: 'true' },
      annotations: { 'metrics.k8s.io/resource-metrics-path': ScriptedKubelets.pathFor(name) },
    },
    spec: {},
  };
}

function podObject(p: PodCase): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.pod.name,
      namespace: p.pod.namespace,
      labels: p.labels ?? { case: p.pod.name },
    },
    spec: {
      nodeName: p.node,
      automountServiceAccountToken: false,
      tolerations: [{ operator: 'Exists' }],
      containers: p.pod.containers.map((ct) => ({
        name: ct.name,
        image: 'registry.invalid/app:1',
      })),
    },
  };
}

async function waitServiceAccount(cluster: ControlPlane, ns: string): Promise<void> {
  await waitFor(
    `the ${ns} default ServiceAccount`,
    async () =>
      (await cluster.kube.run(['get', 'serviceaccount', 'default', '-n', ns])).code === 0
        ? true
        : undefined,
    { timeoutMs: 60_000 },
  );
}

/** Creates the namespaces, Nodes (status: loopback address, kubelet port, Ready) and Pods. */
export async function createWorld(cluster: ControlPlane, kubeletPort: number): Promise<void> {
  const { kube } = cluster;
  await kube.apply(
    [OTHER_NS, NS].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  await kube.apply(NODE_CASES.map((n) => nodeObject(n.name)));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const nodeStatus = {
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'scripted',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  };
  await kube.ok([
    'patch',
    'nodes',
    ...NODE_CASES.map((n) => n.name),
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify(nodeStatus),
  ]);
  await Promise.all([waitServiceAccount(cluster, NS), waitServiceAccount(cluster, OTHER_NS)]);
  const withObject = POD_CASES.filter((p) => p.phase !== 'none');
  await kube.apply(withObject.map(podObject));
  const running = withObject.filter((p) => (p.phase ?? 'Running') === 'Running');
  const podStatus = JSON.stringify({ status: { phase: 'Running', startTime: now } });
  for (const ns of [NS, OTHER_NS]) {
    const names = running.filter((p) => p.pod.namespace === ns).map((p) => p.pod.name);
    if (names.length)
      await kube.ok([
        'patch',
        'pods',
        '-n',
        ns,
        ...names,
        '--subresource=status',
        '--type=merge',
        '-p',
        podStatus,
      ]);
  }
}
