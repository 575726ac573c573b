/**
 * Simulated kubelets: one node:http server on loopback serving N nodes × P pods × C containers,
 * each node under its own path (`/nodes/<name>/metrics/resource`, `/nodes/<name>/stats/summary`),
 * as kwok serves many fake nodes on one port. Used by the embedded demo cluster, the scraper's
 * tests and the kubelet benchmark. Bodies are rendered once per time quantum and node, so the
 * simulator is not the bottleneck; per-node faults make hostile kubelets on demand.
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../src/observability/index.js';
import { SimNode, type SimContainerRef, type SimPod, type SimUsageFn } from './render.js';

/** A misbehaviour of one simulated kubelet. */
export type SimFault =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; code: number }
  | { kind: 'truncated' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'garbage' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'contentType'; value: string };

export type SimPodRefFn = (
  nodeIndex: number,
  podIndex: number,
  nodeName: string,
) => { namespace: string; name: string };

export interface KubeletSimulatorOptions {
  nodes: number;
  podsPerNode: number;
  containersPerPod: number;
  clock?: Clock;
  /** CPU of a container in cores; default a steady, distinct value per container. */
  cpuCores?: SimUsageFn;
  /** Working set of a container in bytes; default a steady, distinct value per container. */
  memoryBytes?: SimUsageFn;
  /** Names pods; default `<node>-p<i>` in namespaces `sim-0`..`sim-3`. */
  podRef?: SimPodRefFn;
  /** When nodes booted; pods start one second apart after it. Default an hour before now. */
  startTimeMs?: number;
  /** Samples are taken on this time grid and bodies cached within it; default 1000 ms. */
  sampleEveryMs?: number;
  nodeNamePrefix?: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
}

const defaultCpu: SimUsageFn = (r) => 0.01 + 0.001 * r.podIndex + 0.0005 * r.containerIndex;
const defaultMemory: SimUsageFn = (r) =>
  32 * 2 ** 20 + r.podIndex * 2 ** 20 + r.containerIndex * 4 * 2 ** 20;
const defaultPodRef: SimPodRefFn = (_n, p, nodeName) => ({
  namespace: `sim-${p % 4}`,
  name: `${nodeName}-p${p}`,
});

const contentTypes = {
  resource: 'text/plain; version=0.0.4; charset=utf-8',
  summary: 'application/json',
} as const;

/** Builds the nodes of a simulated cluster. */
export function buildSimNodes(o: KubeletSimulatorOptions, clock: Clock): SimNode[] {
  const startMs = o.startTimeMs ?? clock.now() - 3_600_000;
  const podRef = o.podRef ?? defaultPodRef;
  return Array.from({ length: o.nodes }, (_, n) => {
    const nodeName = `${o.nodeNamePrefix ?? 'sim-node-'}${n}`;
    const pods: SimPod[] = Array.from({ length: o.podsPerNode }, (_p, p) => {
      const { namespace, name } = podRef(n, p, nodeName);
      const podStartMs = startMs + (p + 1) * 1000;
      const containers = Array.from({ length: o.containersPerPod }, (_c, c) => {
        const ref: SimContainerRef = {
          nodeName,
          nodeIndex: n,
          namespace,
          podName: name,
          podIndex: p,
          containerName: `c${c}`,
          containerIndex: c,
        };
        return { name: `c${c}`, startTimeMs: podStartMs + c * 100, ref };
      });
      return { namespace, name, uid: `${nodeName}-uid-${p}`, startTimeMs: podStartMs, containers };
    });
    return new SimNode(
      nodeName,
      startMs,
      pods,
      o.cpuCores ?? defaultCpu,
      o.memoryBytes ?? defaultMemory,
    );
  });
}

/** The simulator server; create with {@link KubeletSimulator.start}. */
export class KubeletSimulator {
  private readonly faults = new Map<string, SimFault>();
  private readonly byName: Map<string, SimNode>;
  private requestCount = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly nodes: SimNode[],
    private readonly clock: Clock,
    private readonly sampleEveryMs: number,
  ) {
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    server.on('request', (req, res) => this.handle(req, res));
  }

  /** Starts listening on 127.0.0.1. */
  static async start(o: KubeletSimulatorOptions): Promise<KubeletSimulator> {
    const clock = o.clock ?? systemClock;
    const server = http.createServer({ keepAliveTimeout: 120_000 });
    const sim = new KubeletSimulator(
      server,
      buildSimNodes(o, clock),
      clock,
      o.sampleEveryMs ?? 1000,
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
    });
    return sim;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  urlFor(nodeName: string, source: 'resource' | 'summary'): string {
    return `${this.baseUrl}/nodes/${nodeName}/${source === 'resource' ? 'metrics/resource' : 'stats/summary'}`;
  }

  /** Node name to URL, the content of a `--kubelet-static-nodes` file. */
  staticNodes(source: 'resource' | 'summary'): Record<string, string> {
    return Object.fromEntries(this.nodes.map((n) => [n.name, this.urlFor(n.name, source)]));
  }

  /** Makes `nodeName` misbehave, or behave again with `undefined`. */
  setFault(nodeName: string, fault: SimFault | undefined): void {
    if (fault === undefined) this.faults.delete(nodeName);
    else this.faults.set(nodeName, fault);
  }

  /** Requests received so far. */
  get requests(): number {
    return this.requestCount;
  }

  /** Closes the server and every open connection, hanging ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requestCount += 1;
    const match = /^\/nodes\/([^/]+)\/(metrics\/resource|stats\/summary)$/.exec(
      (req.url ?? '').split('?')[0]!,
    );
    const node = match ? this.byName.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !node) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const kind = match[2] === 'metrics/resource' ? 'resource' : 'summary';
    const atMs = Math.floor(this.clock.now() / this.sampleEveryMs) * this.sampleEveryMs;
    const fault = this.faults.get(node.name);
    if (fault) return serveFault(fault, res, () => node.body(kind, atMs), contentTypes[kind]);
    res.writeHead(200, { 'content-type': contentTypes[kind] }).end(node.body(kind, atMs));
  }
}

function serveFault(
  fault: SimFault,
  res: http.ServerResponse,
  body: () => Buffer,
  contentType: string,
): void {
  switch (fault.kind) {
    case 'slow': {
      const timer = setTimeout(
        () => res.writeHead(200, { 'content-type': contentType }).end(body()),
        fault.delayMs,
      );
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'status':
      res.writeHead(fault.code, { 'content-type': 'text/plain' }).end('simulated failure\n');
      return;
    case 'truncated': {
      const b = body();
      res.writeHead(200, { 'content-type': contentType, 'content-length': String(b.length) });
      res.write(b.subarray(0, Math.floor(b.length / 2)), () => res.destroy());
      return;
    }
    case 'huge':
      return streamHuge(res, fault.bytes, contentType);
    case 'garbage':
      res.writeHead(200, { 'content-type': contentType }).end(garbage(4096));
      return;
    case 'hang':
      return;
    case 'reset':
      res.destroy();
      return;
    case 'contentType':
      res.writeHead(200, { 'content-type': fault.value }).end(body());
      return;
  }
}

/** Streams `bytes` of well-formed comment lines without a Content-Length, minding backpressure. */
function streamHuge(res: http.ServerResponse, bytes: number, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType });
  const line = Buffer.from(`# padding ${'x'.repeat(1013)}\n`);
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      sent += line.length;
      if (!res.write(line)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Deterministic bytes that are neither valid text exposition nor JSON. */
function garbage(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}
