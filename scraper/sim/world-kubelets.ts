/**
 * Simulated kubelets whose pods come and go: one loopback HTTP server answering
 * `/nodes/<name>/metrics/resource` and `/nodes/<name>/stats/summary` from a state function read
 * at each request, for the embedded cluster whose Deployment the HPA resizes.
 * ({@link KubeletSimulator} serves a fixed pod list; this one renders whatever the world holds.)
 * Cumulative CPU comes from the state, integrated on the same simulated clock whose time the
 * samples carry, so the scraper's rates equal the simulated usage at any --sim-speed.
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/observability/index.js';
import { goFloat } from './render.js';
import { formatTime } from '../../src/k8s/index.js';

export interface WorldContainer {
  name: string;
  startTimeMs: number;
  cpuCores: number;
  cpuCoreSeconds: number;
  memoryBytes: number;
}

export interface WorldPod {
  namespace: string;
  name: string;
  uid: string;
  startTimeMs: number;
  containers: WorldContainer[];
}

export interface WorldNode {
  name: string;
  startTimeMs: number;
  pods: WorldPod[];
}

export interface WorldKubeletsOptions {
  /** Every node's state at `atMs`. */
  state: (atMs: number) => WorldNode[];
  nodeNames: readonly string[];
  clock: Clock;
  /** Samples are taken on this grid of the clock; default 1 ms, the request's own instant, so
   * the world is never read ahead of the time its sample carries. */
  sampleEveryMs?: number;
  port?: number;
}

const nodeOverheadCores = 0.05;
const nodeOverheadBytes = 256 * 1024 * 1024;

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

function nodeTotals(n: WorldNode, atMs: number): { cpuCoreSeconds: number; memoryBytes: number } {
  let cpu = (nodeOverheadCores * Math.max(0, atMs - n.startTimeMs)) / 1000;
  let mem = nodeOverheadBytes;
  for (const c of n.pods.flatMap((p) => p.containers)) {
    cpu += c.cpuCoreSeconds;
    mem += c.memoryBytes;
  }
  return { cpuCoreSeconds: cpu, memoryBytes: mem };
}

function family(name: string, type: string, help: string, lines: string[]): string[] {
  return [`# HELP ${name} [STABLE] ${help}`, `# TYPE ${name} ${type}`, ...lines];
}

/** kubelet's /metrics/resource text (resource_metrics.go): families in name order, ms timestamps. */
export function renderResource(n: WorldNode, atMs: number): string {
  const cpu: string[] = [];
  const mem: string[] = [];
  const start: string[] = [];
  const podCpu: string[] = [];
  const podMem: string[] = [];
  for (const p of n.pods) {
    const podLabels = `namespace="${p.namespace}",pod="${p.name}"`;
    for (const c of p.containers) {
      const labels = `{container="${c.name}",${podLabels}}`;
      cpu.push(
        `container_cpu_usage_seconds_total${labels} ${goFloat(round6(c.cpuCoreSeconds))} ${atMs}`,
      );
      mem.push(`container_memory_working_set_bytes${labels} ${goFloat(c.memoryBytes)} ${atMs}`);
      start.push(
        `container_start_time_seconds${labels} ${goFloat(Math.floor(c.startTimeMs / 1000))}`,
      );
    }
    podCpu.push(
      `pod_cpu_usage_seconds_total{${podLabels}} ${goFloat(round6(p.containers.reduce((s, c) => s + c.cpuCoreSeconds, 0)))} ${atMs}`,
    );
    podMem.push(
      `pod_memory_working_set_bytes{${podLabels}} ${goFloat(p.containers.reduce((s, c) => s + c.memoryBytes, 0))} ${atMs}`,
    );
  }
  const t = nodeTotals(n, atMs);
  return [
    ...family(
      'container_cpu_usage_seconds_total',
      'counter',
      'Cumulative cpu time consumed by the container in core-seconds',
      cpu,
    ),
    ...family(
      'container_memory_working_set_bytes',
      'gauge',
      'Current working set of the container in bytes',
      mem,
    ),
    ...family(
      'container_start_time_seconds',
      'gauge',
      'Start time of the container since unix epoch in seconds',
      start,
    ),
    ...family(
      'node_cpu_usage_seconds_total',
      'counter',
      'Cumulative cpu time consumed by the node in core-seconds',
      [`node_cpu_usage_seconds_total ${goFloat(round6(t.cpuCoreSeconds))} ${atMs}`],
    ),
    ...family(
      'node_memory_working_set_bytes',
      'gauge',
      'Current working set of the node in bytes',
      [`node_memory_working_set_bytes ${goFloat(t.memoryBytes)} ${atMs}`],
    ),
    ...family(
      'pod_cpu_usage_seconds_total',
      'counter',
      'Cumulative cpu time consumed by the pod in core-seconds',
      podCpu,
    ),
    ...family(
      'pod_memory_working_set_bytes',
      'gauge',
      'Current working set of the pod in bytes',
      podMem,
    ),
    ...family(
      'resource_scrape_error',
      'gauge',
      '1 if there was an error while getting container metrics, 0 otherwise',
      ['resource_scrape_error 0'],
    ),
    '',
  ].join('\n');
}

/** The /stats/summary subset the decoders read. */
export function renderSummary(n: WorldNode, atMs: number): string {
  // Sample times keep their milliseconds (the Summary API writes RFC 3339 with nanoseconds): at a
  // compressed --sim-speed, whole seconds would distort the rates between two scrapes.
  const time = new Date(atMs).toISOString();
  const t = nodeTotals(n, atMs);
  return JSON.stringify({
    node: {
      nodeName: n.name,
      startTime: formatTime(n.startTimeMs),
      cpu: { time, usageCoreNanoSeconds: Math.round(t.cpuCoreSeconds * 1e9) },
      memory: { time, workingSetBytes: Math.round(t.memoryBytes) },
    },
    pods: n.pods.map((p) => ({
      podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
      startTime: formatTime(p.startTimeMs),
      containers: p.containers.map((c) => ({
        name: c.name,
        startTime: formatTime(c.startTimeMs),
        cpu: {
          time,
          usageNanoCores: Math.round(c.cpuCores * 1e9),
          usageCoreNanoSeconds: Math.round(c.cpuCoreSeconds * 1e9),
        },
        memory: { time, workingSetBytes: Math.round(c.memoryBytes) },
      })),
    })),
  });
}

/** The server; create with {@link WorldKubelets.start}. */
export class WorldKubelets {
  private constructor(
    private readonly server: http.Server,
    private readonly o: WorldKubeletsOptions,
  ) {
    server.on('request', (req, res) => this.handle(req, res));
  }

  /** Listens on 127.0.0.1 only. */
  static async start(o: WorldKubeletsOptions): Promise<WorldKubelets> {
    const server = http.createServer({ keepAliveTimeout: 120_000 });
    const kubelets = new WorldKubelets(server, o);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
    });
    return kubelets;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Node name to URL: the content of a `--kubelet-static-nodes` file. */
  staticNodes(source: 'resource' | 'summary'): Record<string, string> {
    const path = source === 'resource' ? 'metrics/resource' : 'stats/summary';
    return Object.fromEntries(
      this.o.nodeNames.map((n) => [n, `${this.baseUrl}/nodes/${n}/${path}`]),
    );
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/nodes\/([^/]+)\/(metrics\/resource|stats\/summary)$/.exec(
      (req.url ?? '').split('?')[0]!,
    );
    const name = match ? decodeURIComponent(match[1]!) : undefined;
    if (!match || name === undefined || !this.o.nodeNames.includes(name)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const step = this.o.sampleEveryMs ?? 1;
    const atMs = Math.floor(this.o.clock.now() / step) * step;
    const node = this.o.state(atMs).find((n) => n.name === name)!;
    if (match[2] === 'metrics/resource')
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(renderResource(node, atMs));
    else res.writeHead(200, { 'content-type': 'application/json' }).end(renderSummary(node, atMs));
  }
}
