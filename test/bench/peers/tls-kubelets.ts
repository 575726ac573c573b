/**
 * HTTPS kubelets for `bench:peers`, in a child process so their CPU is counted for neither peer.
 * Each simulated node listens on its own loopback port (real kubelets are distinct hosts, so each
 * scraper keeps one connection per node; a single shared port would make Go's client-side idle
 * pool of 25 connections per host redo TLS handshakes every cycle, a cost no real cluster has).
 * The sockets of every port feed one TLS server holding a certificate of the cluster CA for
 * 127.0.0.1. Bodies come from scraper/sim's SimNode, the renderer of the kubelet benchmark,
 * under `/nodes/<name>/metrics/resource` (the nodes' `metrics.k8s.io/resource-metrics-path`).
 * Requests are counted per client (User-Agent product), so the bench can check that a peer
 * scraped every node in every cycle it measured.
 * @module
 */
import { fork } from 'node:child_process';
import https from 'node:https';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildSimNodes } from '../../../scraper/sim/kubelet-simulator.js';
import type { SimNode } from '../../../scraper/sim/render.js';
import { systemClock } from '../../../src/observability/index.js';

const childFlag = 'SCALEPLANE_BENCH_TLS_KUBELETS_CHILD';

export interface TlsKubeletSpec {
  nodes: number;
  podsPerNode: number;
  containersPerPod: number;
  nodeNamePrefix: string;
  certPem: string;
  keyPem: string;
}

/** Node name to its loopback port. */
export type NodePorts = Record<string, number>;

type ToChild =
  { type: 'start'; spec: TlsKubeletSpec } | { type: 'counts' } | { type: 'cpu' } | { type: 'stop' };

export interface ForkedTlsKubelets {
  ports: NodePorts;
  /** Successful `/metrics/resource` answers so far, by client (User-Agent product). */
  counts(): Promise<Record<string, number>>;
  /** CPU seconds the child has used so far. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** The path both peers are pointed at by the node annotation. */
export function metricsPath(node: string): string {
  return `/nodes/${node}/metrics/resource`;
}

/** Forks the kubelets and resolves once every port listens. */
export async function forkTlsKubelets(spec: TlsKubeletSpec): Promise<ForkedTlsKubelets> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [childFlag]: '1' },
    stdio: 'inherit',
    execArgv: ['--max-old-space-size=4096'],
  });
  const ask = <T>(m: ToChild): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`TLS kubelets exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (reply) => {
        child.off('exit', onExit);
        resolve(reply as T);
      });
      child.send(m);
    });
  const ports = await ask<NodePorts>({ type: 'start', spec });
  return {
    ports,
    counts: () => ask<Record<string, number>>({ type: 'counts' }),
    cpuSeconds: () => ask<number>({ type: 'cpu' }),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' } satisfies ToChild);
      await exited;
    },
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

async function startChild(spec: TlsKubeletSpec): Promise<{ ports: NodePorts; close: () => void }> {
  const nodes = buildSimNodes(
    {
      nodes: spec.nodes,
      podsPerNode: spec.podsPerNode,
      containersPerPod: spec.containersPerPod,
      nodeNamePrefix: spec.nodeNamePrefix,
    },
    systemClock,
  );
  const byName = new Map<string, SimNode>(nodes.map((n) => [n.name, n]));
  const tlsServer = https.createServer({ cert: spec.certPem, key: spec.keyPem });
  // Longer than a scrape period, so both peers keep one connection per node between cycles.
  tlsServer.keepAliveTimeout = 120_000;
  tlsServer.on('request', (req, res) => {
    const match = /^\/nodes\/([^/]+)\/metrics\/resource$/.exec((req.url ?? '').split('?')[0]!);
    const node = match ? byName.get(decodeURIComponent(match[1]!)) : undefined;
    if (!node) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const client = (req.headers['user-agent'] ?? '').split('/')[0] || 'no-user-agent';
    counts[client] = (counts[client] ?? 0) + 1;
    const atMs = Math.floor(Date.now() / 1000) * 1000;
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      .end(node.body('resource', atMs));
  });
  const counts: Record<string, number> = {};
  const listeners: net.Server[] = [];
  const ports: NodePorts = {};
  for (const node of nodes) {
    const l = net.createServer((socket) => tlsServer.emit('connection', socket));
    ports[node.name] = await listen(l);
    listeners.push(l);
  }
  countsRef = counts;
  return {
    ports,
    close: () => {
      for (const l of listeners) l.close();
      tlsServer.closeAllConnections();
    },
  };
}

let countsRef: Record<string, number> = {};

function runChild(): void {
  let close: (() => void) | undefined;
  process.on('message', (m: ToChild) => {
    if (m.type === 'start') {
      void startChild(m.spec).then((s) => {
        close = s.close;
        process.send!(s.ports);
      });
    } else if (m.type === 'counts') {
      process.send!({ ...countsRef });
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      process.send!((u.user + u.system) / 1e6);
    } else {
      close?.();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.env[childFlag] === '1') runChild();
