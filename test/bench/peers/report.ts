/**
 * The Markdown report of `bench:peers` and the panels of its chart, from the measured runs. Every
 * figure is printed for both processes with the ratio scaleplane / peer; goals are checked against
 * the measured values and stated as met or not met.
 * @module
 */
import type { Panel } from './chart.js';
import { fmt } from './chart.js';
import type { CustomResult, LoadRun } from './custom.js';
import {
  CONTAINERS_PER_POD,
  PODS_PER_NODE,
  RESOLUTION_S,
  type PeerName,
  type ResourceRun,
} from './resource.js';

export interface Meta {
  date: string;
  machine: string;
  loadBefore: string;
  loadAfter: string;
  versions: string[];
  commands: string[];
  method: string[];
  smoke: boolean;
}

const KIB = 1024;
const MIB = 2 ** 20;
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a) ? `${fmt(a / b)}×` : 'n/a';
const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

function pair(
  runs: ResourceRun[],
  nodes: number,
): { sp: ResourceRun; ms: ResourceRun } | undefined {
  const sp = runs.find((r) => r.nodes === nodes && r.peer === 'scaleplane');
  const ms = runs.find((r) => r.nodes === nodes && r.peer === 'metrics-server');
  return sp && ms ? { sp, ms } : undefined;
}

/** CPU milliseconds per node per 15 s cycle. */
const cpuPerNodeMs = (r: ResourceRun): number => (r.cpuPerCycleS / r.nodes) * 1000;
const rssPerNodeKib = (r: ResourceRun): number => r.rssBytes / r.nodes / KIB;

function resourceSection(runs: ResourceRun[]): string[] {
  const sizes = [...new Set(runs.map((r) => r.nodes))].sort((a, b) => a - b);
  const out = [
    `## Resource path: kubelet \`/metrics/resource\` → metrics.k8s.io`,
    '',
    `Simulated nodes × ${PODS_PER_NODE} pods × ${CONTAINERS_PER_POD} containers, HTTPS, ${RESOLUTION_S} s resolution.`,
    '',
    '| nodes | figure | scaleplane | metrics-server | ratio scaleplane / metrics-server | goal |',
    '|---:|---|---:|---:|---:|---|',
  ];
  const goals: string[] = [];
  for (const n of sizes) {
    const p = pair(runs, n);
    if (!p) continue;
    const { sp, ms } = p;
    const row = (fig: string, a: number, b: number, goal = '', withRatio = true): void => {
      out.push(
        `| ${n.toLocaleString('en-US')} | ${fig} | ${fmt(a)} | ${fmt(b)} | ${withRatio ? ratio(a, b) : ''} | ${goal} |`,
      );
    };
    row('CPU per node per cycle (ms)', cpuPerNodeMs(sp), cpuPerNodeMs(ms), '≤ 0.5×');
    row('CPU per cycle, whole process (s)', sp.cpuPerCycleS, ms.cpuPerCycleS);
    row(
      `mCPU per node at ${RESOLUTION_S} s`,
      cpuPerNodeMs(sp) / RESOLUTION_S,
      cpuPerNodeMs(ms) / RESOLUTION_S,
    );
    row('RSS per node (KiB, steady RSS / nodes)', rssPerNodeKib(sp), rssPerNodeKib(ms), '≤ 0.5×');
    row('RSS, whole process (MiB)', sp.rssBytes / MIB, ms.rssBytes / MIB);
    row(
      'kubelet requests per node per cycle',
      sp.scrapesPerNodePerCycle,
      ms.scrapesPerNodePerCycle,
      '1 = every node every cycle',
      false,
    );
    row('nodes in NodeMetricsList after the window', sp.nodesServed, ms.nodesServed, `${n}`, false);
    row('measured window (s)', sp.windowS, ms.windowS, '', false);
    row('machine load average (1 min) at the end of the window', sp.load1, ms.load1, '', false);
    goals.push(
      `- ${n.toLocaleString('en-US')} nodes: CPU per node ${ratio(cpuPerNodeMs(sp), cpuPerNodeMs(ms))} (goal ≤ 0.5×: ${met(cpuPerNodeMs(sp) <= 0.5 * cpuPerNodeMs(ms))}); RSS per node ${ratio(rssPerNodeKib(sp), rssPerNodeKib(ms))} (goal ≤ 0.5×: ${met(rssPerNodeKib(sp) <= 0.5 * rssPerNodeKib(ms))}).`,
    );
  }
  const lo = pair(runs, sizes[0] ?? 0);
  const hi = pair(runs, sizes[sizes.length - 1] ?? 0);
  if (lo && hi && sizes.length > 1) {
    const dn = hi.sp.nodes - lo.sp.nodes;
    const slope = (a: ResourceRun, b: ResourceRun): number => (b.rssBytes - a.rssBytes) / dn / KIB;
    const cpuSlope = (a: ResourceRun, b: ResourceRun): number =>
      ((b.cpuPerCycleS - a.cpuPerCycleS) / dn) * 1000;
    const sp = slope(lo.sp, hi.sp);
    const ms = slope(lo.ms, hi.ms);
    out.push(
      `| ${sizes[0]}→${sizes[sizes.length - 1]} | RSS per added node (KiB, slope between the sizes) | ${fmt(sp)} | ${fmt(ms)} | ${ratio(sp, ms)} | |`,
    );
    const cs = cpuSlope(lo.sp, hi.sp);
    const cm = cpuSlope(lo.ms, hi.ms);
    out.push(
      `| ${sizes[0]}→${sizes[sizes.length - 1]} | CPU per added node per cycle (ms, slope) | ${fmt(cs)} | ${fmt(cm)} | ${ratio(cs, cm)} | |`,
    );
  }
  return [...out, '', '**Goals (resource path)**', '', ...goals, ''];
}

function load(r: CustomResult, peer: string, mix: string): LoadRun | undefined {
  return r.loads.find((l) => l.peer === peer && l.mix === mix);
}

function customSection(r: CustomResult): string[] {
  const out = [
    '## Custom path: Prometheus → custom.metrics.k8s.io and external.metrics.k8s.io',
    '',
    'prometheus-adapter here runs with `--client-qps=1000 --client-burst=1000` (see below for its defaults).',
    '',
    '| mix | figure | scaleplane | prometheus-adapter | ratio scaleplane / prometheus-adapter | goal |',
    '|---|---|---:|---:|---:|---|',
  ];
  const goals: string[] = [];
  for (const mix of ['custom', 'external'] as const) {
    const sp = load(r, 'scaleplane', mix);
    const pa = load(r, 'prometheus-adapter', mix);
    if (!sp || !pa) continue;
    const row = (fig: string, a: number, b: number, goal = '', withRatio = true): void => {
      out.push(
        `| ${mix} | ${fig} | ${fmt(a)} | ${fmt(b)} | ${withRatio ? ratio(a, b) : ''} | ${goal} |`,
      );
    };
    row('throughput (req/s)', sp.requestsPerS, pa.requestsPerS, '≥ 5×');
    row('latency p50 (ms)', sp.p50Ms, pa.p50Ms);
    row('latency p99 (ms)', sp.p99Ms, pa.p99Ms, 'lower');
    row(
      'Prometheus API requests during the load (per s)',
      sp.promQueriesPerS,
      pa.promQueriesPerS,
      'lower',
    );
    row('peer CPU per 1,000 requests (s)', sp.cpuPerThousandS, pa.cpuPerThousandS);
    row('errors + non-2xx answers', sp.errors + sp.non2xx, pa.errors + pa.non2xx, '0', false);
    row('of which timeouts (60 s)', sp.timeouts, pa.timeouts, '', false);
    row('machine load average (1 min) at the end of the run', sp.load1, pa.load1, '', false);
    goals.push(
      `- ${mix}: throughput ${ratio(sp.requestsPerS, pa.requestsPerS)} (goal ≥ 5×: ${met(sp.requestsPerS >= 5 * pa.requestsPerS)}); p99 ${fmt(sp.p99Ms)} vs ${fmt(pa.p99Ms)} ms (goal lower: ${met(sp.p99Ms < pa.p99Ms)}); Prometheus load ${fmt(sp.promQueriesPerS)} vs ${fmt(pa.promQueriesPerS)} req/s (goal less: ${met(sp.promQueriesPerS < pa.promQueriesPerS)}).`,
    );
  }
  const idleSp = r.idle.find((i) => i.peer === 'scaleplane');
  const idlePa = r.idle.find((i) => i.peer === 'prometheus-adapter');
  if (idleSp && idlePa)
    out.push(
      `| idle | Prometheus API requests with no client traffic (per s) | ${fmt(idleSp.promQueriesPerS)} | ${fmt(idlePa.promQueriesPerS)} | ${ratio(idleSp.promQueriesPerS, idlePa.promQueriesPerS)} | |`,
    );
  const defaults = r.loads.filter((l) => l.peer === 'prometheus-adapter-defaults');
  if (defaults.length) {
    out.push(
      '',
      'prometheus-adapter with its default flags (`--client-qps=5 --client-burst=10`: every `<resource>/*` request lists the objects from kube-apiserver under that client-side limit), same load:',
      '',
      '| mix | req/s | p50 ms | p99 ms | errors + non-2xx (timeouts) | Prometheus API req/s | scaleplane / this throughput |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const d of defaults) {
      const sp = load(r, 'scaleplane', d.mix);
      out.push(
        `| ${d.mix} | ${fmt(d.requestsPerS)} | ${fmt(d.p50Ms)} | ${fmt(d.p99Ms)} | ${d.errors + d.non2xx} (${d.timeouts}) | ${fmt(d.promQueriesPerS)} | ${sp ? ratio(sp.requestsPerS, d.requestsPerS) : 'n/a'} |`,
      );
    }
    if (defaults.some((d) => d.requestsPerS === 0))
      out.push(
        '',
        'A throughput of 0 means no request was answered within the window: autocannon counts a request neither as answered nor as a timeout while it is still in flight when the run ends. Single requests of the same paths are answered (table of requests below), so the adapter queues the concurrent ones rather than refusing them.',
      );
  }
  out.push(
    '',
    'Prometheus API requests by handler (per s):',
    '',
    '| peer | window | by handler |',
    '|---|---|---|',
  );
  for (const l of r.loads) out.push(`| ${l.peer} | ${l.mix} load | ${handlers(l.promByHandler)} |`);
  for (const i of r.idle)
    out.push(`| ${i.peer} | idle ${fmt(i.windowS)} s | ${handlers(i.promByHandler)} |`);
  out.push(
    '',
    'Each request of the mixes, answered once by each peer before the load (status, items):',
    '',
  );
  out.push(
    '| path | scaleplane | prometheus-adapter | prometheus-adapter, defaults |',
    '|---|---|---|---|',
  );
  const paths = [...new Set(r.probes.map((p) => p.path))];
  for (const path of paths) {
    const cell = (peer: PeerName): string => {
      const p = r.probes.find((x) => x.peer === peer && x.path === path);
      return p ? `${p.status}, ${p.items}` : 'n/a';
    };
    out.push(
      `| \`${path}\` | ${cell('scaleplane')} | ${cell('prometheus-adapter')} | ${cell('prometheus-adapter-defaults')} |`,
    );
  }
  return [...out, '', '**Goals (custom path)**', '', ...goals, ''];
}

function handlers(h: Record<string, number>): string {
  const e = Object.entries(h).sort(([a], [b]) => (a < b ? -1 : 1));
  return e.length ? e.map(([k, v]) => `\`${k}\` ${fmt(v)}`).join(', ') : 'none';
}

/** The full Markdown document. */
export function renderReport(
  meta: Meta,
  resource: ResourceRun[],
  custom: CustomResult | undefined,
): string {
  return [
    '# scaleplane against metrics-server and prometheus-adapter (`npm run bench:peers`)',
    '',
    meta.smoke
      ? '> **Smoke run** (reduced node count or durations): figures are not the benchmark.\n'
      : '',
    `Measured ${meta.date}. Chart of the same figures: [peers.svg](peers.svg).`,
    '',
    `- Machine: ${meta.machine}`,
    `- Load average (1, 5, 15 min) before: ${meta.loadBefore}; after: ${meta.loadAfter} (the machine is shared with other engineers' tests)`,
    ...meta.versions.map((v) => `- ${v}`),
    '',
    '**Commands**',
    '',
    '```sh',
    ...meta.commands,
    '```',
    '',
    '**Method**',
    '',
    ...meta.method.map((m) => `- ${m}`),
    '',
    ...(resource.length ? resourceSection(resource) : ['## Resource path', '', 'not run', '']),
    ...(custom ? customSection(custom) : ['## Custom path', '', 'not run', '']),
  ].join('\n');
}

/** The chart's panels, the report's headline figures. */
export function chartPanels(resource: ResourceRun[], custom: CustomResult | undefined): Panel[] {
  const panels: Panel[] = [];
  const sizes = [...new Set(resource.map((r) => r.nodes))].sort((a, b) => a - b);
  for (const n of sizes) {
    const p = pair(resource, n);
    if (!p) continue;
    panels.push({
      title: `CPU per node per cycle, ${n.toLocaleString('en-US')} nodes`,
      unit: 'ms',
      better: 'lower',
      scaleplane: cpuPerNodeMs(p.sp),
      peer: cpuPerNodeMs(p.ms),
      peerName: 'metrics-server',
    });
    panels.push({
      title: `RSS per node, ${n.toLocaleString('en-US')} nodes`,
      unit: 'KiB',
      better: 'lower',
      scaleplane: rssPerNodeKib(p.sp),
      peer: rssPerNodeKib(p.ms),
      peerName: 'metrics-server',
    });
  }
  for (const mix of ['custom', 'external'] as const) {
    const sp = custom && load(custom, 'scaleplane', mix);
    const pa = custom && load(custom, 'prometheus-adapter', mix);
    if (!sp || !pa) continue;
    const base = { peerName: 'prometheus-adapter', scaleplane: 0, peer: 0 };
    panels.push({
      ...base,
      title: `${mix} metrics: throughput`,
      unit: 'req/s',
      better: 'higher',
      scaleplane: sp.requestsPerS,
      peer: pa.requestsPerS,
    });
    panels.push({
      ...base,
      title: `${mix} metrics: p50 latency`,
      unit: 'ms',
      better: 'lower',
      scaleplane: sp.p50Ms,
      peer: pa.p50Ms,
    });
    panels.push({
      ...base,
      title: `${mix} metrics: p99 latency`,
      unit: 'ms',
      better: 'lower',
      scaleplane: sp.p99Ms,
      peer: pa.p99Ms,
    });
    panels.push({
      ...base,
      title: `${mix} metrics: Prometheus load`,
      unit: 'API req/s',
      better: 'lower',
      scaleplane: sp.promQueriesPerS,
      peer: pa.promQueriesPerS,
    });
  }
  return panels;
}
