/**
 * What the API layer costs per request. Macro: a PodMetricsList of 1,000 pods and a custom-metric
 * selector query (50 pods), 100 concurrent keep-alive connections from autocannon on loopback,
 * against the adapter app (candidate), a bare node:http server writing the same bytes (baseline)
 * and a one-middleware express app writing the same bytes (the framework's floor), over plain
 * HTTP and over the adapter's TLS server. The servers run in a worker thread so autocannon does
 * not share their event loop. Micro: building the 1,000-pod body from the fragment and body
 * memos, from scratch with the direct formatters, with src/k8s Quantity, and as an object graph
 * with JSON.stringify.
 */
import express from 'express';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Registry } from 'prom-client';
import { createApiApp } from '../../adapter/index.js';
import { formatBytes, formatNanoCores } from '../../adapter/resource/index.js';
import { listPodItems } from '../../adapter/resource/select.js';
import { BodyCache } from '../../adapter/resource/body-cache.js';
import { FragmentCache } from '../../adapter/resource/fragments.js';
import { listJson, Writer, type PodItem } from '../../adapter/resource/serialize.js';
import { createSecureServer } from '../../adapter/tls/index.js';
import { everything, formatDuration, parseFieldSelector, Quantity } from '../../src/k8s/index.js';
import { createSelfMetrics, silentLogger } from '../../src/observability/index.js';
import type { PodMetricsValue } from '../../src/store/index.js';
import { FakeClusterView, pod } from '../support/fake-cluster.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
  type FakeCustomSample,
} from '../support/fake-readers.js';

const ROLE = 'adapter-bench-server';
const NAMESPACES = 10;
const PODS_PER_NAMESPACE = 100;
const CONNECTIONS = 100;
const DURATION_S = 8;
const WARMUP_S = 1;
const NOW_MS = Date.UTC(2024, 4, 1, 12, 0, 0);

const PATHS = {
  'PodMetricsList, 1,000 pods': '/apis/metrics.k8s.io/v1beta1/pods',
  'custom metric by selector, 50 pods':
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns-0/pods/*/http_requests?labelSelector=app%3Dweb',
} as const;

/** 1,000 pods in 10 namespaces, two containers each; half of each namespace is app=web. */
function fixture(): {
  cluster: FakeClusterView;
  resource: FakeResourceMetrics;
  custom: FakeCustomMetrics;
} {
  const pods = [];
  const values: PodMetricsValue[] = [];
  const samples: FakeCustomSample[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    for (let i = 0; i < PODS_PER_NAMESPACE; i++) {
      const namespace = `ns-${n}`;
      const name = `deployment-${n}-7d9f8b6c5d-${i.toString(36).padStart(5, 'x')}`;
      pods.push(
        pod(namespace, name, {
          app: i % 2 === 0 ? 'web' : 'api',
          'pod-template-hash': '7d9f8b6c5d',
        }),
      );
      const containers = [
        {
          name: 'app',
          usage: { cpuNanoCores: 123_456_789 + i * 7919, memoryBytes: (200 + i) * 1024 * 1024 + i },
        },
        {
          name: 'sidecar',
          usage: { cpuNanoCores: 1_000_000 * (i % 13), memoryBytes: 32 * 1024 * 1024 },
        },
      ];
      values.push({ namespace, name, timestampMs: NOW_MS - 15_000, windowMs: 15_000, containers });
      samples.push({
        groupResource: { group: '', resource: 'pods' },
        namespace,
        name,
        metric: 'http_requests',
        value: 10 + i / 3,
        timestampMs: NOW_MS - 5_000,
      });
    }
  }
  return {
    cluster: new FakeClusterView({ pods }),
    resource: new FakeResourceMetrics([], values),
    custom: new FakeCustomMetrics(samples),
  };
}

interface Urls {
  httpApp: string;
  httpBare: string;
  /** An express app with one middleware writing the same bytes: the framework's own floor. */
  httpExpress: string;
  tlsApp: string;
  tlsBare: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Worker side: the adapter app and a bare server with the app's own response bytes, on HTTP and TLS. */
async function serveInWorker(): Promise<void> {
  const f = fixture();
  const app = createApiApp({
    ...f,
    external: new FakeExternalMetrics(),
    health: { live: [], ready: [] },
    metrics: createSelfMetrics(new Registry()),
    logger: silentLogger,
    now: () => NOW_MS,
    version: { gitVersion: 'v0.1.0' },
  });
  const httpApp = await listen(createServer(app));
  const bodies = new Map<string, Buffer>();
  for (const path of Object.values(PATHS))
    bodies.set(path, Buffer.from(await (await fetch(`${httpApp}${path}`)).arrayBuffer()));
  const bare = (req: { url?: string }, res: ServerResponse): void => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, {
      'Content-Type': 'application/json',
      'Content-Length': body?.length ?? 0,
    });
    res.end(body);
  };
  const httpBare = await listen(createServer(bare));
  const minimal = express();
  minimal.set('etag', false);
  minimal.use((req, res) => {
    res.status(200).setHeader('Content-Type', 'application/json');
    res.end(bodies.get(req.url));
  });
  const httpExpress = await listen(createServer(minimal));
  const tlsOptions = {
    certDir: mkdtempSync(join(tmpdir(), 'adapter-bench-')),
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  };
  const tlsApp = (await createSecureServer(app, tlsOptions)).url();
  const tlsBare = (await createSecureServer(bare, tlsOptions)).url();
  parentPort!.postMessage({ httpApp, httpBare, httpExpress, tlsApp, tlsBare } satisfies Urls);
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) await serveInWorker();

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  throughput: { average: number };
  errors: number;
  non2xx: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

async function load(url: string): Promise<CannonResult> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  if (r.errors > 0 || r.non2xx > 0)
    throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx responses`);
  return r;
}

async function macro(urls: Urls): Promise<void> {
  console.log(
    `## Adapter API under load (${CONNECTIONS} connections, ${DURATION_S} s per run, loopback)\n`,
  );
  console.log('| scenario | transport | server | req/s | p50 ms | p99 ms | MB/s | ratio to bare |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const runs: [string, [string, string][]][] = [
    [
      'http',
      [
        ['bare node:http', urls.httpBare],
        ['express, same bytes', urls.httpExpress],
        ['adapter app', urls.httpApp],
      ],
    ],
    [
      'https',
      [
        ['bare node:https (adapter TLS server)', urls.tlsBare],
        ['adapter app', urls.tlsApp],
      ],
    ],
  ];
  for (const [scenario, path] of Object.entries(PATHS)) {
    for (const [transport, servers] of runs) {
      // The first server of each group is the baseline, measured in the same run.
      let bare: CannonResult | undefined;
      for (const [who, url] of servers) {
        const r = await load(`${url}${path}`);
        bare ??= r;
        const ratio = (r.requests.average / bare.requests.average).toFixed(2);
        console.log(
          `| ${scenario} | ${transport} | ${who} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${(r.throughput.average / 1e6).toFixed(1)} | ${ratio} |`,
        );
      }
    }
  }
  console.log('');
}

/** The same item text, with every quantity through the bigint Quantity (the alternative we measure against). */
function podFragmentViaQuantity(w: Writer, item: PodItem): { pre: string; post: string } {
  const containers = item.metrics.containers
    .map((c) => {
      const cpu = Quantity.fromScaled(Math.trunc(c.usage.cpuNanoCores), -9).toString();
      const memory = Quantity.fromValue(Math.trunc(c.usage.memoryBytes), 'BinarySI').toString();
      return `{"name":${JSON.stringify(c.name)},"usage":{"cpu":"${cpu}","memory":"${memory}"}}`;
    })
    .join(',');
  return {
    pre: `{"metadata":{"name":${JSON.stringify(item.name)},"namespace":${JSON.stringify(item.namespace)},"creationTimestamp":"`,
    post: `","labels":${JSON.stringify(item.labels)}},"timestamp":"${w.time(item.metrics.timestampMs)}","window":"${w.window(item.metrics.windowMs)}","containers":[${containers}]}`,
  };
}

/** The same document as an object graph serialised by JSON.stringify. */
function podListViaStringify(w: Writer, items: readonly PodItem[]): string {
  return JSON.stringify({
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: items.map((item) => ({
      metadata: {
        name: item.name,
        namespace: item.namespace,
        creationTimestamp: w.creationTimestamp,
        labels: item.labels,
      },
      timestamp: w.time(item.metrics.timestampMs),
      window: formatDuration(item.metrics.windowMs),
      containers: item.metrics.containers.map((c) => ({
        name: c.name,
        usage: {
          cpu: formatNanoCores(c.usage.cpuNanoCores),
          memory: formatBytes(c.usage.memoryBytes),
        },
      })),
    })),
  });
}

function timeIt(n: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(50, n); i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t) / n;
}

function micro(): void {
  const f = fixture();
  const q = { labelSelector: everything, fieldSelector: parseFieldSelector('') };
  const items = listPodItems(f.cluster, f.resource, undefined, q);
  const n = 300;
  const warm = new FragmentCache(() => NOW_MS);
  const bodies = new BodyCache();
  const fragmentsOf = (w: Writer, cache: FragmentCache) => items.map((item) => cache.pod(w, item));
  // Every variant ends in bytes: res.end encodes a string, which also flattens V8 ropes.
  const rows: [string, number][] = [
    [
      'select + join 1,000 pods with metrics (fake cluster and reader)',
      timeIt(n, () => listPodItems(f.cluster, f.resource, undefined, q)),
    ],
    [
      'candidate, between collections: item memo + body memo hit',
      timeIt(n, () => {
        const w = new Writer(NOW_MS);
        const fragments = fragmentsOf(w, warm);
        return bodies.body('bench', w.creationTimestamp, fragments, () =>
          listJson('PodMetricsList', w, fragments),
        );
      }),
    ],
    [
      'candidate, next second: item memo hit, body joined and encoded',
      timeIt(n, () => {
        const w = new Writer(NOW_MS);
        return Buffer.from(listJson('PodMetricsList', w, fragmentsOf(w, warm)));
      }),
    ],
    [
      'candidate, after a collection: direct formatters, every item rebuilt',
      timeIt(n, () => {
        const w = new Writer(NOW_MS);
        return Buffer.from(
          listJson('PodMetricsList', w, fragmentsOf(w, new FragmentCache(() => NOW_MS))),
        );
      }),
    ],
    [
      'same text with src/k8s Quantity per value',
      timeIt(n, () => {
        const w = new Writer(NOW_MS);
        return Buffer.from(
          listJson(
            'PodMetricsList',
            w,
            items.map((i) => podFragmentViaQuantity(w, i)),
          ),
        );
      }),
    ],
    [
      'object graph + JSON.stringify',
      timeIt(n, () => Buffer.from(podListViaStringify(new Writer(NOW_MS), items))),
    ],
  ];
  const base = rows[3]![1];
  console.log(
    '## Building the 1,000-pod PodMetricsList body, to bytes (per request, one thread)\n',
  );
  console.log('| step | ms | ratio to rebuilding every item |');
  console.log('| --- | ---: | ---: |');
  rows.forEach(([name, ms], i) =>
    console.log(`| ${name} | ${ms.toFixed(3)} | ${i === 0 ? '' : (ms / base).toFixed(2)} |`),
  );
  console.log('');
}

export default async function run(): Promise<void> {
  micro();
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE } });
  try {
    const urls = await new Promise<Urls>((resolve, reject) => {
      worker.once('message', (m: Urls) => resolve(m));
      worker.once('error', reject);
    });
    await macro(urls);
  } finally {
    await worker.terminate();
  }
}
