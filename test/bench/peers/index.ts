/**
 * `npm run bench:peers`: the cost of scaleplane against the processes it replaces, the real
 * metrics-server and prometheus-adapter built from the Go module proxy at the releases pinned in
 * test/tools/build-tools.sh, on one end-to-end control plane on 127.0.0.1 (test/e2e), one process
 * at a time on the same simulated kubelets and the same Prometheus. Writes
 * test/bench/results/peers.md and peers.svg (and peers.png when `rsvg-convert` is installed).
 *
 * Environment (a smoke run writes to a temporary folder unless SCALEPLANE_BENCH_OUT is set):
 * - SCALEPLANE_BENCH_NODES: node counts, comma-separated (default 1000,5000; other values: smoke)
 * - SCALEPLANE_BENCH_CYCLES: measured 15 s cycles per peer and size (default 6); warm-up 2
 * - SCALEPLANE_BENCH_LOAD_S: seconds of load per peer and mix (default 15); idle window the same
 * - SCALEPLANE_BENCH_PATHS: `resource`, `custom` or both (default both)
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startControlPlane } from '../../e2e/control-plane.js';
import { pinnedVersion } from '../../e2e/harness/tools.js';
import { repoRoot } from '../../support/fixtures.js';
import { ensurePrometheus } from '../../support/prometheus-server.js';
import { renderChart } from './chart.js';
import { stopIdleComponents } from './cluster.js';
import { CONNECTIONS, customBench, MIXES, type CustomResult } from './custom.js';
import { chartPanels, renderReport, type Meta } from './report.js';
import {
  CONTAINERS_PER_POD,
  PODS_PER_NODE,
  RESOLUTION_S,
  resourceBench,
  type ResourceRun,
} from './resource.js';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new Error(`${name}=${raw}: want a positive integer`);
  return Number(raw);
}

const FULL_SIZES = [1_000, 5_000];
const sizesEnv = process.env.SCALEPLANE_BENCH_NODES;
const sizes = sizesEnv
  ? sizesEnv.split(',').map((s) => {
      if (!/^\d+$/.test(s.trim()))
        throw new Error(`SCALEPLANE_BENCH_NODES=${sizesEnv}: want counts like 1000,5000`);
      return Number(s.trim());
    })
  : FULL_SIZES;
const measuredCycles = positiveInt('SCALEPLANE_BENCH_CYCLES', 6);
const loadS = positiveInt('SCALEPLANE_BENCH_LOAD_S', 15);
const parts = (process.env.SCALEPLANE_BENCH_PATHS ?? 'resource,custom').split(',');
const smoke =
  sizes.join(',') !== FULL_SIZES.join(',') ||
  measuredCycles < 6 ||
  loadS < 15 ||
  !parts.includes('resource') ||
  !parts.includes('custom');
const outDir =
  process.env.SCALEPLANE_BENCH_OUT ??
  (smoke
    ? mkdtempSync(join(tmpdir(), 'bench-peers-'))
    : join(repoRoot, 'test', 'bench', 'results'));

const t0 = Date.now();
const log = (msg: string): void => {
  console.error(`[bench:peers +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .split('\n')[0]!
      .trim();
  } catch {
    return 'unknown';
  }
}

function versions(prometheusBinary: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const head = firstLine('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']);
  const dirty =
    firstLine('git', ['-C', repoRoot, 'status', '--porcelain']) === ''
      ? ''
      : ', with uncommitted changes';
  return [
    `scaleplane ${pkg.version} (commit ${head}${dirty}), \`node dist/src/main.js serve\` on Node ${process.version}`,
    `metrics-server ${pinnedVersion('METRICS_SERVER')}, prometheus-adapter ${pinnedVersion('PROMETHEUS_ADAPTER')} (built by test/tools/build-tools.sh from the Go module proxy)`,
    `kube-apiserver ${pinnedVersion('KUBERNETES')}, etcd ${pinnedVersion('ETCD')}; ${firstLine(prometheusBinary, ['--version'])}`,
  ];
}

function method(): string[] {
  return [
    'One control plane (etcd, kube-apiserver with the aggregation layer; controller-manager, scheduler and kwok are stopped after the custom phase) on 127.0.0.1; each peer is its own process, started fresh, measured alone, then stopped. Both peers of a path see the same kubelets, the same Node objects and the same Prometheus, in the same run.',
    `Resource path: simulated kubelets over HTTPS (a certificate of the cluster CA, verified by both peers with \`--kubelet-certificate-authority\`) in a separate process, one loopback port per node (so each peer keeps one connection per node, as with real kubelets), ${PODS_PER_NODE} pods × ${CONTAINERS_PER_POD} containers per node, bodies from scraper/sim. Node objects: InternalIP 127.0.0.1, the node's port as the status port (\`--kubelet-use-node-status-port\`), the \`metrics.k8s.io/resource-metrics-path\` annotation, Ready. Both peers run with \`--metric-resolution=${RESOLUTION_S}s\` and the same kubelet flags. No Pod objects are created (150,000 Pods would not fit the control plane on this machine), so both peers scrape, decode and store every pod but serve none, and neither holds a pod informer cache of that size: the figures are the scrape-and-store cost plus the node informer.`,
    `Per peer and size: warm-up of 2 full cycles, then ${measuredCycles} cycles (${measuredCycles * RESOLUTION_S} s) measured. CPU = utime + stime from /proc/<pid>/stat over the window (all threads: Go's GC and scheduler, Node's GC and libuv pool included) / cycles, where cycles = kubelet requests the peer made in the window / nodes (so a peer that skips scrapes is not credited for them); "per node" divides by the node count. RSS = median of VmRSS samples every 5 s in the window; "per node" divides by the node count (whole-process RSS, fixed overhead included; the slope between the two sizes is the per-node increment). The kubelet request count per node per cycle shows each peer scraped every node every cycle.`,
    `Custom path: the parity test's world (test/e2e/peers/custom-world.ts): an exporter scraped every 5 s by a real Prometheus, one prometheus-adapter rules file given to both peers unchanged (\`--config\`), defaults otherwise (relist 10m; scaleplane collects every ${RESOLUTION_S} s). Load: autocannon, ${CONNECTIONS} keep-alive HTTPS connections as the cluster admin (client certificate; both peers authorise through delegated SubjectAccessReview), straight to the peer, cycling through the mix's paths (${MIXES.custom.length} custom, ${MIXES.external.length} external; listed below), ${loadS} s per mix after a 3 s warm-up. Prometheus load = Prometheus' own \`prometheus_http_requests_total\` for \`/api/v1/*\` handlers over the window, read from its /metrics.`,
    'The load generator runs in the bench process on the same 2 cores as the peer, Prometheus and kube-apiserver, so throughput is that of the whole machine, alike for both peers.',
  ];
}

function rasterise(svgFile: string): string | undefined {
  try {
    execFileSync('rsvg-convert', ['-o', svgFile.replace(/\.svg$/, '.png'), svgFile], {
      stdio: 'ignore',
    });
    return svgFile.replace(/\.svg$/, '.png');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const loadBefore = load();
  log(
    `sizes ${sizes.join(', ')}, ${measuredCycles} cycles, ${loadS} s load, parts ${parts.join(', ')}${smoke ? ' (smoke)' : ''}; load ${loadBefore}`,
  );
  const cluster = await startControlPlane({ routing: 'service' });
  log(`control plane up in ${(cluster.timings.totalMs / 1000).toFixed(1)} s`);
  let custom: CustomResult | undefined;
  let resource: ResourceRun[] = [];
  try {
    if (parts.includes('custom'))
      custom = await customBench(cluster, { durationS: loadS, warmupS: 3, idleS: loadS, log });
    log(`stopped ${(await stopIdleComponents(cluster)).join(', ')}`);
    if (parts.includes('resource'))
      resource = await resourceBench(cluster, { sizes, warmupCycles: 2, measuredCycles, log });
  } finally {
    await cluster.stop();
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const meta: Meta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: `${cpus().length} × ${cpu} (${arch()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`,
    loadBefore,
    loadAfter: load(),
    versions: versions(await ensurePrometheus()),
    commands: [
      'npm run bench:peers',
      '# = tsc -p tsconfig.e2e.json && test/tools/build-tools.sh control-plane peers >/dev/null && node --expose-gc dist/test/bench/peers/index.js',
      `# this run: SCALEPLANE_BENCH_NODES=${sizes.join(',')} SCALEPLANE_BENCH_CYCLES=${measuredCycles} SCALEPLANE_BENCH_LOAD_S=${loadS}`,
    ],
    method: method(),
    smoke,
  };
  mkdirSync(outDir, { recursive: true });
  const md = join(outDir, 'peers.md');
  const svg = join(outDir, 'peers.svg');
  writeFileSync(md, renderReport(meta, resource, custom));
  writeFileSync(
    svg,
    renderChart(
      'scaleplane against metrics-server and prometheus-adapter',
      `${meta.date}; ${meta.machine}; load ${meta.loadBefore}`,
      chartPanels(resource, custom),
    ),
  );
  const png = rasterise(svg);
  log(`wrote ${md}, ${svg}${png ? `, ${png}` : ''}`);
  console.log(readFileSync(md, 'utf8'));
}

await main();
