/**
 * Starts the adapter application on 127.0.0.1:0 with fakes, for HTTP tests with fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createApiApp, type ApiAppOptions } from '../../adapter/index.js';
import {
  createSelfMetrics,
  silentLogger,
  type SelfMetrics,
} from '../../src/observability/index.js';
import { FakeClusterView } from '../support/fake-cluster.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
} from '../support/fake-readers.js';
import type { StatusDoc } from './docs.js';

/** 2024-05-01T12:00:00Z, the wall clock every test app sees. */
export const NOW_MS = Date.UTC(2024, 4, 1, 12, 0, 0);

export interface Running {
  url: string;
  metrics: SelfMetrics;
  close(): Promise<void>;
  get(path: string, init?: RequestInit): Promise<Response>;
}

/** Options with fakes everywhere; `overrides` replace any of them. */
export function appOptions(overrides: Partial<ApiAppOptions> = {}): ApiAppOptions {
  return {
    resource: new FakeResourceMetrics(),
    custom: new FakeCustomMetrics(),
    external: new FakeExternalMetrics(),
    cluster: new FakeClusterView(),
    health: { live: [], ready: [] },
    metrics: createSelfMetrics(new Registry()),
    logger: silentLogger,
    now: () => NOW_MS,
    version: { gitVersion: 'v0.1.0' },
    ...overrides,
  };
}

export async function startApp(overrides: Partial<ApiAppOptions> = {}): Promise<Running> {
  const opts = appOptions(overrides);
  const server: Server = createServer(createApiApp(opts));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    metrics: opts.metrics,
    get: (path, init) => fetch(`${url}${path}`, init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The body of a response as JSON of the expected document type, with its status and content type. */
export async function json<T = StatusDoc>(
  res: Response,
): Promise<{ code: number; type: string | null; body: T }> {
  return { code: res.status, type: res.headers.get('content-type'), body: (await res.json()) as T };
}
