/**
 * Scripted kubelets for the resource-metrics parity test: one HTTPS server on 127.0.0.1 serving
 * `/metrics/resource` for several nodes under `/nodes/<name>/metrics/resource` (the path the
 * nodes' `metrics.k8s.io/resource-metrics-path` annotation names), in the text shape the kubelet
 * writes (families and float formatting from scraper/sim/render.ts).
 *
 * Unlike scraper/sim's simulator (plain HTTP, a fixed set of pods), what a node reports is a script
 * over each client's own scrape count: the k-th scrape of a node by metrics-server and the k-th by
 * scaleplane see the same pods, containers, restarts and missing series, however the two scrape
 * loops are phased. CPU counters grow at a constant rate from each container's start (as that
 * client saw it), so every window yields the scripted rate; every body's timestamp is the moment it
 * was served, and each serving is logged per client so tests can check timestamps and windows.
 * @module
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { goFloat } from '../../../scraper/sim/render.js';

/** Series a container can lack. */
export type ContainerSeries = 'cpu' | 'memory' | 'start';

/** One container; indices count the scrapes of its node by one client, from 0. */
export interface ScriptedContainer {
  name: string;
  cpuCores: number;
  memoryBytes: number;
  /** How long before the scrape where it first appears it started. Default one hour. */
  ageMs?: number;
  /** First scrape index reporting it (default 0). */
  from?: number;
  /** First scrape index no longer reporting it. */
  until?: number;
  /** Restarts at this index: started `restartAgeMs` before that scrape, counter from zero. */
  restartAt?: number;
  restartAgeMs?: number;
  /** The counter drops at this index (to one second's worth) while the start time stays. */
  counterResetAt?: number;
  /** Series left out from index `from` (default 0) on. */
  omit?: { series: ContainerSeries; from?: number };
}

export interface ScriptedPod {
  namespace: string;
  name: string;
  containers: ScriptedContainer[];
  from?: number;
  until?: number;
}

export interface ScriptedNode {
  name: string;
  cpuCores: number;
  memoryBytes: number;
  pods: ScriptedPod[];
  /** A node-level series left out from index `from` (default 0) on. */
  omit?: { series: 'cpu' | 'memory'; from?: number };
}

/** One body served. */
export interface Serving {
  client: string;
  node: string;
  index: number;
  atMs: number;
}

interface ContainerState {
  startMs: number;
  /** The counter is cpuCores × (now − counterBaseMs). */
  counterBaseMs: number;
}

/** Identifies the scraping process of a request (by default its User-Agent's product). */
export type ClientOf = (req: IncomingMessage) => string;

const defaultClientOf: ClientOf = (req) =>
  (req.headers['user-agent'] ?? '').split('/')[0] || 'no-user-agent';

const HOUR_MS = 3_600_000;
const active = (index: number, from = 0, until = Infinity): boolean =>
  index >= from && index < until;

/** The server; create with {@link ScriptedKubelets.start}. */
export class ScriptedKubelets {
  readonly servings: Serving[] = [];
  private readonly scrapes = new Map<string, number>();
  private readonly state = new Map<string, ContainerState>();
  private readonly byName: Map<string, ScriptedNode>;
  private readonly bootMs = Date.now() - 2 * HOUR_MS;

  private constructor(
    private readonly server: https.Server,
    nodes: readonly ScriptedNode[],
    private readonly clientOf: ClientOf,
  ) {
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    server.on('request', (req, res) => this.handle(req, res));
  }

  static async start(o: {
    nodes: readonly ScriptedNode[];
    cert: { certPem: string; keyPem: string };
    clientOf?: ClientOf;
  }): Promise<ScriptedKubelets> {
    const server = https.createServer({ cert: o.cert.certPem, key: o.cert.keyPem });
    const kubelets = new ScriptedKubelets(server, o.nodes, o.clientOf ?? defaultClientOf);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return kubelets;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The value of the `metrics.k8s.io/resource-metrics-path` annotation of a node. */
  static pathFor(node: string): string {
    return `/nodes/${node}/metrics/resource`;
  }

  /** Servings to `client` of `node`, in order. */
  servedTo(client: string, node: string): Serving[] {
    return this.servings.filter((s) => s.client === client && s.node === node);
  }

  /** Scrapes of `node` by `client` so far. */
  scrapeCount(client: string, node: string): number {
    return this.scrapes.get(`${client}\0${node}`) ?? 0;
  }

  /** A container's current start time as `client` saw it (after any scripted restart). */
  startOf(client: string, namespace: string, pod: string, container: string): number | undefined {
    return this.state.get(`${client}\0${namespace}/${pod}/${container}`)?.startMs;
  }

  clients(): string[] {
    return [...new Set(this.servings.map((s) => s.client))].sort();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/nodes\/([^/]+)\/metrics\/resource$/.exec((req.url ?? '').split('?')[0]!);
    const node = match ? this.byName.get(decodeURIComponent(match[1]!)) : undefined;
    if (!node) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const client = this.clientOf(req);
    const key = `${client}\0${node.name}`;
    const index = this.scrapes.get(key) ?? 0;
    this.scrapes.set(key, index + 1);
    const atMs = Date.now();
    this.servings.push({ client, node: node.name, index, atMs });
    const body = this.render(client, node, index, atMs);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  }

  /** A container's start and counter base as `client` sees it at scrape `index`. */
  private containerState(
    client: string,
    pod: ScriptedPod,
    c: ScriptedContainer,
    index: number,
    atMs: number,
  ): ContainerState {
    const key = `${client}\0${pod.namespace}/${pod.name}/${c.name}`;
    let s = this.state.get(key);
    if (!s) {
      const startMs = secondsFloor(atMs - (c.ageMs ?? HOUR_MS));
      s = { startMs, counterBaseMs: startMs };
      this.state.set(key, s);
    }
    if (index === c.restartAt) {
      const startMs = secondsFloor(atMs - (c.restartAgeMs ?? 2_000));
      s = { startMs, counterBaseMs: startMs };
      this.state.set(key, s);
    }
    if (index === c.counterResetAt) {
      s = { ...s, counterBaseMs: atMs - 1000 };
      this.state.set(key, s);
    }
    return s;
  }

  private render(client: string, node: ScriptedNode, index: number, atMs: number): string {
    const cpu: string[] = [];
    const mem: string[] = [];
    const start: string[] = [];
    let nodeMemory = node.memoryBytes;
    for (const pod of node.pods) {
      if (!active(index, pod.from, pod.until)) continue;
      for (const c of pod.containers) {
        if (!active(index, c.from, c.until)) continue;
        const s = this.containerState(client, pod, c, index, atMs);
        const labels = `{container="${c.name}",namespace="${pod.namespace}",pod="${pod.name}"}`;
        const omitted = c.omit && index >= (c.omit.from ?? 0) ? c.omit.series : undefined;
        const counter = (c.cpuCores * Math.max(0, atMs - s.counterBaseMs)) / 1000;
        if (omitted !== 'cpu')
          cpu.push(`container_cpu_usage_seconds_total${labels} ${goFloat(counter)} ${atMs}`);
        if (omitted !== 'memory')
          mem.push(`container_memory_working_set_bytes${labels} ${goFloat(c.memoryBytes)} ${atMs}`);
        if (omitted !== 'start')
          start.push(`container_start_time_seconds${labels} ${goFloat(s.startMs / 1000)}`);
        nodeMemory += c.memoryBytes;
      }
    }
    const nodeOmitted = node.omit && index >= (node.omit.from ?? 0) ? node.omit.series : undefined;
    const nodeCounter = (node.cpuCores * (atMs - this.bootMs)) / 1000;
    return [
      ...family('container_cpu_usage_seconds_total', 'counter', cpu),
      ...family('container_memory_working_set_bytes', 'gauge', mem),
      ...family('container_start_time_seconds', 'gauge', start),
      ...family(
        'node_cpu_usage_seconds_total',
        'counter',
        nodeOmitted === 'cpu'
          ? []
          : [`node_cpu_usage_seconds_total ${goFloat(nodeCounter)} ${atMs}`],
      ),
      ...family(
        'node_memory_working_set_bytes',
        'gauge',
        nodeOmitted === 'memory'
          ? []
          : [`node_memory_working_set_bytes ${goFloat(nodeMemory)} ${atMs}`],
      ),
      ...family('resource_scrape_error', 'gauge', ['resource_scrape_error 0']),
      '',
    ].join('\n');
  }
}

/** Container start times are whole seconds, so both peers compute the same fresh-container age. */
function secondsFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function family(name: string, type: string, lines: string[]): string[] {
  return [`# HELP ${name} [STABLE] ${name}`, `# TYPE ${name} ${type}`, ...lines];
}
