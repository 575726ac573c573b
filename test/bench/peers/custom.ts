/**
 * Custom path: prometheus-adapter and scaleplane over one real Prometheus and one rules file (the
 * parity test's world, test/e2e/peers/custom-world.ts), one peer at a time. For each peer: an idle
 * window (the Prometheus load it makes on its own), then autocannon with 100 keep-alive HTTPS
 * connections as the cluster admin, straight to the peer (no aggregator in between), over a mix
 * of custom-metric requests and then of external-metric requests. Prometheus load is Prometheus'
 * own count of API requests (`prometheus_http_requests_total` by handler) over each window.
 * @module
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlane } from '../../e2e/control-plane.js';
import { createObjects, NODES, renderSeries, writeRules } from '../../e2e/peers/custom-world.js';
import {
  startPrometheusAdapter,
  startScaleplane,
  type PeerProcess,
} from '../../e2e/peers/index.js';
import {
  startExporter,
  startPrometheus,
  type PrometheusServer,
} from '../../support/prometheus-server.js';
import { cpuSeconds, peerPid } from './proc.js';
import type { PeerName } from './resource.js';

export const CONNECTIONS = 100;
const CM = '/apis/custom.metrics.k8s.io';
const EM = '/apis/external.metrics.k8s.io/v1beta1';

/** What an HPA asks for: pods by selector (the common case), single objects, other resources. */
export const MIXES: Record<'custom' | 'external', string[]> = {
  custom: [
    `${CM}/v1beta2/namespaces/cm-a/pods/*/http_requests_per_second?labelSelector=app%3Dweb`,
    `${CM}/v1beta2/namespaces/cm-a/pods/*/queue_length?labelSelector=app%3Ddb`,
    `${CM}/v1beta1/namespaces/cm-b/pods/*/jobs_running?labelSelector=app%3Dweb`,
    `${CM}/v1beta2/namespaces/cm-a/pods/web-0/queue_length`,
    `${CM}/v1beta2/namespaces/cm-a/services/*/service_latency_seconds`,
    `${CM}/v1beta2/namespaces/cm-b/deployments.apps/api/deployment_backlog`,
  ],
  external: [
    `${EM}/namespaces/default/queue_depth?labelSelector=queue%3Djobs`,
    `${EM}/namespaces/default/queue_depth`,
    `${EM}/namespaces/cm-a/topic_lag?labelSelector=topic%3Dt1`,
    `${EM}/namespaces/cm-b/topic_lag`,
  ],
};

export interface LoadRun {
  peer: PeerName;
  mix: 'custom' | 'external';
  durationS: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Prometheus API requests per second during the run, all handlers. */
  promQueriesPerS: number;
  promByHandler: Record<string, number>;
  /** Peer CPU seconds per 1,000 answered requests. */
  cpuPerThousandS: number;
  /** 1-minute load average of the machine at the end of the run. */
  load1: number;
}

export interface IdleRun {
  peer: PeerName;
  windowS: number;
  promQueriesPerS: number;
  promByHandler: Record<string, number>;
}

export interface CustomResult {
  loads: LoadRun[];
  idle: IdleRun[];
  /** Status and item count of each path once, per peer, before the load. */
  probes: { peer: PeerName; path: string; status: number; items: number }[];
}

export interface CustomOptions {
  durationS: number;
  warmupS: number;
  idleS: number;
  log: (msg: string) => void;
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Cannon = (opts: unknown) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/** Prometheus API requests so far, by handler (Prometheus' own counter). */
async function promRequests(prom: PrometheusServer): Promise<Record<string, number>> {
  const text = await (await fetch(`${prom.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^prometheus_http_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const handler = /handler="([^"]*)"/.exec(m[1]!)?.[1] ?? '';
    if (!handler.startsWith('/api/v1/')) continue;
    out[handler] = (out[handler] ?? 0) + Number(m[2]);
  }
  return out;
}

function rates(
  before: Record<string, number>,
  after: Record<string, number>,
  seconds: number,
): { total: number; byHandler: Record<string, number> } {
  const byHandler: Record<string, number> = {};
  let total = 0;
  for (const [h, v] of Object.entries(after)) {
    const d = v - (before[h] ?? 0);
    if (d <= 0) continue;
    byHandler[h] = d / seconds;
    total += d / seconds;
  }
  return { total, byHandler };
}

function cannon(
  cluster: ControlPlane,
  peer: PeerProcess,
  paths: string[],
  durationS: number,
): Promise<CannonResult> {
  return autocannon({
    url: peer.url,
    connections: CONNECTIONS,
    duration: durationS,
    headers: { accept: 'application/json' },
    // Long enough that a queued request is measured as slow rather than dropped.
    timeout: 60,
    requests: paths.map((path) => ({ method: 'GET', path })),
    tlsOptions: {
      ca: cluster.pki.ca.certPem,
      cert: cluster.pki.admin.certPem,
      key: cluster.pki.admin.keyPem,
    },
  });
}

async function measurePeer(
  cluster: ControlPlane,
  prom: PrometheusServer,
  peer: PeerProcess,
  name: PeerName,
  o: CustomOptions,
  result: CustomResult,
): Promise<void> {
  const pid = await peerPid(peer.pid);
  // Wait for answers with data (scaleplane collects on its first cycle).
  const first = MIXES.custom[0]!;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await peer.get(first);
    if (res.status === 200 && (JSON.parse(res.body) as { items?: unknown[] }).items?.length) break;
    if (Date.now() > deadline)
      throw new Error(
        `${name} never answered ${first} with items: ${res.status} ${res.body.slice(0, 300)}`,
      );
    await sleep(1000);
  }
  for (const path of [...MIXES.custom, ...MIXES.external]) {
    const res = await peer.get(path);
    let items = 0;
    try {
      items = (JSON.parse(res.body) as { items?: unknown[] }).items?.length ?? 0;
    } catch {
      // not JSON: counted as zero items
    }
    result.probes.push({ peer: name, path, status: res.status, items });
  }
  const idle0 = await promRequests(prom);
  const tIdle = performance.now();
  await sleep(o.idleS * 1000);
  const idleS = (performance.now() - tIdle) / 1000;
  const idle = rates(idle0, await promRequests(prom), idleS);
  result.idle.push({
    peer: name,
    windowS: idleS,
    promQueriesPerS: idle.total,
    promByHandler: idle.byHandler,
  });
  for (const mix of ['custom', 'external'] as const) {
    await cannon(cluster, peer, MIXES[mix], o.warmupS);
    const p0 = await promRequests(prom);
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const r = await cannon(cluster, peer, MIXES[mix], o.durationS);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const p = rates(p0, await promRequests(prom), seconds);
    const run: LoadRun = {
      peer: name,
      mix,
      durationS: r.duration,
      requestsPerS: r.requests.average,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      promQueriesPerS: p.total,
      promByHandler: p.byHandler,
      cpuPerThousandS: r.requests.total > 0 ? (cpu / r.requests.total) * 1000 : NaN,
      load1: loadavg()[0]!,
    };
    o.log(`custom: ${JSON.stringify(run)}`);
    if (r.requests.total === 0)
      o.log(`custom: no answers from ${name}: ${JSON.stringify(r).slice(0, 2000)}`);
    result.loads.push(run);
  }
}

/** Runs both peers against one Prometheus; prometheus-adapter first. */
export async function customBench(cluster: ControlPlane, o: CustomOptions): Promise<CustomResult> {
  const exporter = await startExporter(renderSeries);
  const prom = await startPrometheus([exporter.target], 5);
  const result: CustomResult = { loads: [], idle: [], probes: [] };
  try {
    await createObjects(cluster);
    const configFile = writeRules(cluster);
    await prom.waitForSeries('http_requests_total', 12, 60_000);
    // rate(...[30s]) needs two samples of every series.
    await prom.waitForQuery('rate(http_requests_total[30s])', 12, 60_000);
    const adapter = (name: string, extraArgs: string[]) => () =>
      startPrometheusAdapter(cluster, { prometheusUrl: prom.url, configFile, name, extraArgs });
    const launchers: [PeerName, () => Promise<PeerProcess>][] = [
      // prometheus-adapter lists the objects of every `<resource>/*` request from kube-apiserver
      // (custom-metrics-apiserver ListObjectNames), through client-go's default client-side limit
      // of 5 requests/s: the baseline is the adapter with that limit lifted, as an operator would
      // run it under load; its defaults are measured as well.
      [
        'prometheus-adapter',
        adapter('bench-prometheus-adapter', ['--client-qps=1000', '--client-burst=1000']),
      ],
      ['prometheus-adapter-defaults', adapter('bench-prometheus-adapter-defaults', [])],
      [
        'scaleplane',
        () =>
          startScaleplane(cluster, {
            metricResolution: '15s',
            prometheusUrl: prom.url,
            configFile,
            name: 'bench-scaleplane-custom',
          }),
      ],
    ];
    for (const [name, start] of launchers) {
      o.log(`custom: ${name}`);
      const peer = await start();
      try {
        await measurePeer(cluster, prom, peer, name, o, result);
      } finally {
        await peer.stop();
      }
    }
  } finally {
    await prom.stop();
    await exporter.close();
    // The world's two Nodes have no kubelet: keep them out of the resource path's node lists.
    await cluster.kube.run(['delete', 'node', '--ignore-not-found', ...Object.keys(NODES)]);
  }
  return result;
}
