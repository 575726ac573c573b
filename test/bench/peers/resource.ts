/**
 * Resource path: metrics-server and scaleplane scraping the same HTTPS kubelets (N nodes × 30
 * pods × 2 containers) at a 15 s resolution, one peer at a time. Each peer is started fresh,
 * warmed up for full cycles, then measured over whole periods: CPU from /proc (user + system of
 * the process, all threads) over the window divided by the periods it spans, RSS as the median of
 * samples every 5 s, and the kubelet requests it made (which must be one per node per period).
 * @module
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlane } from '../../e2e/control-plane.js';
import { startMetricsServer, startScaleplane, type PeerProcess } from '../../e2e/peers/index.js';
import { servingCert } from '../../e2e/peers/process.js';
import { ApiClient, createNodes, deleteSimNodes } from './cluster.js';
import { cpuSeconds, median, peerPid, rssBytes } from './proc.js';
import { forkTlsKubelets, type ForkedTlsKubelets } from './tls-kubelets.js';

export const RESOLUTION_S = 15;
export const PODS_PER_NODE = 30;
export const CONTAINERS_PER_POD = 2;

export type PeerName =
  'scaleplane' | 'metrics-server' | 'prometheus-adapter' | 'prometheus-adapter-defaults';

export interface ResourceRun {
  peer: PeerName;
  nodes: number;
  windowS: number;
  cpuSeconds: number;
  /** CPU seconds per cycle: CPU over the window / (kubelet requests in it / nodes). */
  cpuPerCycleS: number;
  rssBytes: number;
  /** Kubelet requests per node per period over the window (1 = every node every cycle). */
  scrapesPerNodePerCycle: number;
  /** Nodes in the peer's NodeMetricsList after the window. */
  nodesServed: number;
  /** 1-minute load average of the machine at the end of the window. */
  load1: number;
}

export interface ResourceOptions {
  sizes: number[];
  warmupCycles: number;
  measuredCycles: number;
  log: (msg: string) => void;
}

const total = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

async function measurePeer(
  peer: PeerProcess,
  name: PeerName,
  kubelets: ForkedTlsKubelets,
  nodes: number,
  o: ResourceOptions,
): Promise<ResourceRun> {
  const pid = await peerPid(peer.pid);
  const started = total(await kubelets.counts());
  const warmDeadline = Date.now() + (o.warmupCycles + 4) * RESOLUTION_S * 1000;
  const warmUntil = Date.now() + o.warmupCycles * RESOLUTION_S * 1000;
  for (;;) {
    const done = total(await kubelets.counts()) - started;
    if (done >= o.warmupCycles * nodes && Date.now() >= warmUntil) break;
    if (Date.now() > warmDeadline)
      throw new Error(`${name} scraped only ${done} of ${o.warmupCycles * nodes} during warm-up`);
    await sleep(1000);
  }
  const count0 = total(await kubelets.counts());
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const windowMs = o.measuredCycles * RESOLUTION_S * 1000;
  const rss: number[] = [];
  while (performance.now() - t0 < windowMs) {
    await sleep(Math.min(5000, windowMs - (performance.now() - t0)));
    rss.push(rssBytes(pid));
  }
  const cpu = cpuSeconds(pid) - cpu0;
  const windowS = (performance.now() - t0) / 1000;
  const requests = total(await kubelets.counts()) - count0;
  const list = await peer.getJson<{ items: unknown[] }>('/apis/metrics.k8s.io/v1beta1/nodes');
  const cycles = windowS / RESOLUTION_S;
  return {
    peer: name,
    nodes,
    windowS,
    cpuSeconds: cpu,
    // Per scrape of every node, not per period: a peer that scraped fewer nodes than periods
    // allow is not credited for the cycles it skipped.
    cpuPerCycleS: requests > 0 ? cpu / (requests / nodes) : NaN,
    rssBytes: median(rss),
    scrapesPerNodePerCycle: requests / nodes / cycles,
    nodesServed: list.items.length,
    load1: loadavg()[0]!,
  };
}

/** Runs both peers at every size; metrics-server first at each size. */
export async function resourceBench(
  cluster: ControlPlane,
  o: ResourceOptions,
): Promise<ResourceRun[]> {
  const api = new ApiClient(cluster);
  const cert = await servingCert(cluster, 'bench-kubelets');
  const runs: ResourceRun[] = [];
  try {
    for (const nodes of o.sizes) {
      o.log(`resource: starting ${nodes} TLS kubelets`);
      const kubelets = await forkTlsKubelets({
        nodes,
        podsPerNode: PODS_PER_NODE,
        containersPerPod: CONTAINERS_PER_POD,
        nodeNamePrefix: `sim-${nodes}-`,
        certPem: cert.certPem,
        keyPem: cert.keyPem,
      });
      try {
        const t = Date.now();
        await createNodes(api, kubelets.ports);
        o.log(
          `resource: created ${nodes} Node objects in ${((Date.now() - t) / 1000).toFixed(1)} s`,
        );
        const common = { metricResolution: `${RESOLUTION_S}s`, readyTimeoutMs: 180_000 };
        const launchers: [PeerName, () => Promise<PeerProcess>][] = [
          [
            'metrics-server',
            () => startMetricsServer(cluster, { ...common, name: `metrics-server-${nodes}` }),
          ],
          [
            'scaleplane',
            () => startScaleplane(cluster, { ...common, name: `scaleplane-${nodes}` }),
          ],
        ];
        for (const [name, start] of launchers) {
          o.log(`resource: ${name} at ${nodes} nodes`);
          const peer = await start();
          try {
            const run = await measurePeer(peer, name, kubelets, nodes, o);
            o.log(`resource: ${JSON.stringify(run)}`);
            runs.push(run);
          } finally {
            await peer.stop();
          }
        }
      } finally {
        await deleteSimNodes(api);
        await kubelets.stop();
      }
    }
  } finally {
    api.close();
  }
  return runs;
}
