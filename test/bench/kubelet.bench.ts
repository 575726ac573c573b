/**
 * Kubelet scraping cost at 1,000 and 5,000 nodes × 30 pods × 2 containers, against simulated
 * kubelets on loopback in a child process (its CPU is not ours). Three measurements per size, in
 * one run on the same connections:
 *
 * - candidate: the real `KubeletScrapeLoop.runOnce` (jittered start, bounded concurrency, per-node
 *   timeouts, fetch, decode, merge, store into the real ResourceStore), cycles back to back;
 * - fetch+decode: the same HTTP client and decoder, no loop, merge or store;
 * - bare limit: the same HTTP client fetching the same bodies and only counting their lines.
 *
 * The three run in interleaved rounds (loop cycle, bare pass, fetch+decode pass), so changes in
 * machine load affect them alike. CPU is `process.cpuUsage()` per cycle, normalised to a 15 s resolution as mCPU per node:
 * cpu seconds per cycle / 15 s / N × 1000. RSS per node is (RSS after the candidate's cycles −
 * RSS before them) / N, both after a forced GC. Goals: ≤ 0.5 mCPU and ≤ 1 MiB per node, loop
 * ≤ 3× the bare limit.
 */
import { KubeletHttpClient } from '../../scraper/kubelet/client.js';
import { decodeResourceMetrics } from '../../scraper/kubelet/decode-resource.js';
import { KubeletMetricsGetter } from '../../scraper/kubelet/getter.js';
import { StaticTargets } from '../../scraper/kubelet/static-nodes.js';
import { KubeletScrapeLoop } from '../../scraper/loop.js';
import {
  createSelfMetrics,
  realSleep,
  silentLogger,
  systemClock,
} from '../../src/observability/index.js';
import { ResourceStore } from '../../src/store/index.js';
import { forkSimulator } from './sim-kubelets.js';

const sizes = [1_000, 5_000];
const podsPerNode = 30;
const containersPerPod = 2;
const concurrency = 64;
const measuredCycles = 3;
const normalisedResolutionS = 15;

interface Cost {
  cpuSecondsPerCycle: number;
  wallSecondsPerCycle: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const rssBytes = (): number => process.memoryUsage().rss;

function mean(list: Cost[]): Cost {
  const sum = (f: (c: Cost) => number): number => list.reduce((a, c) => a + f(c), 0) / list.length;
  return {
    cpuSecondsPerCycle: sum((c) => c.cpuSecondsPerCycle),
    wallSecondsPerCycle: sum((c) => c.wallSecondsPerCycle),
  };
}

async function measure(cycles: number, run: () => Promise<void>): Promise<Cost> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < cycles; i++) await run();
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuSecondsPerCycle: (cpu.user + cpu.system) / 1e6 / cycles,
    wallSecondsPerCycle: (performance.now() - wall0) / 1000 / cycles,
  };
}

/** Runs `work` over every URL with `concurrency` requests in flight. */
async function pool(
  urls: [string, string][],
  work: (name: string, url: string) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const [name, url] = urls[next++]!;
      await work(name, url);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n += 1;
  return n;
}

async function scenario(nodes: number): Promise<string[]> {
  const sim = await forkSimulator({ nodes, podsPerNode, containersPerPod, sampleEveryMs: 1_000 });
  const urls = Object.entries(sim.urls);
  const client = new KubeletHttpClient({
    source: 'resource',
    maxBodyBytes: 10 * 1024 * 1024,
    maxSockets: concurrency,
  });
  let bytes = 0;
  const bare = async (): Promise<void> =>
    pool(urls, async (_n, url) => {
      const body = await client.get(url);
      bytes += body.length;
      countLines(body);
    });
  const fetchDecode = async (): Promise<void> =>
    pool(urls, async (name, url) => {
      decodeResourceMetrics(await client.get(url), Date.now(), name);
    });

  await bare(); // warm-up: connections, JIT
  const bodyBytes = bytes;
  gc();
  const rssBefore = rssBytes();
  const metrics = createSelfMetrics();
  const store = new ResourceStore({
    now: Date.now,
    metricResolutionMs: normalisedResolutionS * 1000,
  });
  const loop = new KubeletScrapeLoop({
    targets: new StaticTargets(urls.map(([nodeName, url]) => ({ nodeName, url, ready: true }))),
    getter: new KubeletMetricsGetter({
      client,
      decoder: decodeResourceMetrics,
      clock: systemClock,
      observeSeconds: (s) => metrics.kubeletRequestDuration.observe(s),
    }),
    sink: store,
    // Cycles run back to back through runOnce; a long resolution only keeps the tick deadline from
    // cutting a cycle that a loaded machine slowed down (the jitter window is 4 s either way).
    resolutionMs: 60_000,
    requestTimeoutMs: 10_000,
    maxConcurrency: concurrency,
    clock: systemClock,
    sleep: realSleep,
    random: Math.random,
    logger: silentLogger,
    metrics,
  });
  let served = 0;
  const cycle = async (): Promise<void> => {
    const r = await loop.runOnce();
    if (r.succeeded !== nodes)
      throw new Error(`cycle scraped ${r.succeeded}/${nodes} nodes: ${JSON.stringify(r.failures)}`);
    served = store.getPodMetrics(undefined).length;
  };
  await cycle(); // first points: nothing to pair yet, and JIT for the decoder
  // Interleaved rounds, so a change in machine load hits all three measurements alike.
  const costs = { candidate: [] as Cost[], decode: [] as Cost[], bare: [] as Cost[] };
  let simCpuSeconds = 0;
  for (let round = 0; round < measuredCycles; round++) {
    costs.candidate.push(await measure(1, cycle));
    const simCpu0 = await sim.cpuSeconds();
    costs.bare.push(await measure(1, bare));
    simCpuSeconds += (await sim.cpuSeconds()) - simCpu0;
    costs.decode.push(await measure(1, fetchDecode));
  }
  gc();
  const rssGrowth = rssBytes() - rssBefore;
  const [candidate, decodeCost, bareCost] = [costs.candidate, costs.decode, costs.bare].map(
    mean,
  ) as [Cost, Cost, Cost];
  const simCpuPerCycle = simCpuSeconds / measuredCycles;
  client.close();
  await sim.stop();
  if (served !== nodes * podsPerNode)
    throw new Error(`store serves ${served} pods, want ${nodes * podsPerNode}`);

  const mcpu = (c: Cost): number => (c.cpuSecondsPerCycle / normalisedResolutionS / nodes) * 1000;
  const f = (v: number, d = 3): string => v.toFixed(d);
  return [
    `| ${nodes} | CPU per cycle (s) | ${f(candidate.cpuSecondsPerCycle)} | ${f(decodeCost.cpuSecondsPerCycle)} | ${f(bareCost.cpuSecondsPerCycle)} | ${f(candidate.cpuSecondsPerCycle / bareCost.cpuSecondsPerCycle, 2)}× | ≤ 3× |`,
    `| ${nodes} | mCPU per node at 15 s | ${f(mcpu(candidate), 4)} | ${f(mcpu(decodeCost), 4)} | ${f(mcpu(bareCost), 4)} | | ≤ 0.5 |`,
    `| ${nodes} | wall per cycle (s) | ${f(candidate.wallSecondsPerCycle, 2)} | ${f(decodeCost.wallSecondsPerCycle, 2)} | ${f(bareCost.wallSecondsPerCycle, 2)} | | jitter window ${f(Math.min(8 * nodes, 4000) / 1000, 1)} s in the loop |`,
    `| ${nodes} | RSS growth (MiB total / KiB per node) | ${f(rssGrowth / 2 ** 20, 1)} / ${f(rssGrowth / 1024 / nodes, 1)} | | | | ≤ 1024 KiB per node |`,
    `| ${nodes} | body bytes per cycle (MiB), simulator CPU per cycle (s) | ${f(bodyBytes / 2 ** 20, 1)} | | ${f(simCpuPerCycle, 2)} (child) | | |`,
  ];
}

export default async function kubeletBench(): Promise<void> {
  console.log(
    `## kubelet scrape: nodes × ${podsPerNode} pods × ${containersPerPod} containers, concurrency ${concurrency}, ${measuredCycles} measured cycles\n`,
  );
  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.log('(run with --expose-gc for stable RSS figures)\n');
  const rows: string[] = [];
  for (const nodes of sizes) rows.push(...(await scenario(nodes)));
  console.log(
    '| nodes | measure | loop: fetch+decode+merge+store | fetch+decode | bare: fetch+split lines | loop/bare | goal |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('');
}
