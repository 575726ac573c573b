/**
 * A real Prometheus for integration tests: the pinned release test/tools/build-tools.sh builds from
 * the Go module proxy (built on first use, as helm is; $PROMETHEUS_BINARY overrides it) on
 * 127.0.0.1 with a port it picks, a temporary TSDB directory, and a scrape config pointing at
 * exporters the test serves on 127.0.0.1. Never skipped: a binary that cannot be built fails the
 * test with the build's error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTool, TOOL_BUILD_TIMEOUT_MS } from './pinned-tools.js';

/**
 * Absolute path of the Prometheus binary the tests run: $PROMETHEUS_BINARY when set, otherwise the
 * pinned build (memoised per process; the first call on a cold machine waits minutes for the
 * build, or for a build already running, hence {@link PROMETHEUS_START_TIMEOUT_MS}).
 */
export function ensurePrometheus(): Promise<string> {
  const override = process.env.PROMETHEUS_BINARY;
  return override ? Promise.resolve(override) : buildTool('prometheus');
}

/**
 * Hook budget for the first {@link startPrometheus} of a test file: a cold build of the pinned
 * binary, then start-up.
 */
export const PROMETHEUS_START_TIMEOUT_MS = TOOL_BUILD_TIMEOUT_MS + 60_000;

export interface Exporter {
  /** `127.0.0.1:<port>`, the scrape target. */
  target: string;
  close(): Promise<void>;
}

/** Serves `render()` as Prometheus text on 127.0.0.1 at any path. */
export async function startExporter(render: () => string): Promise<Exporter> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(render());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface PrometheusServer {
  url: string;
  /** Polls /api/v1/series until `match` selects at least `count` series. */
  waitForSeries(match: string, count: number, timeoutMs?: number): Promise<void>;
  /** Polls an instant query until it returns at least `count` samples. */
  waitForQuery(query: string, count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function poll(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  proc: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(
        `prometheus exited (${proc.exitCode}) while waiting for ${what}:\n${output()}`,
      );
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}:\n${output().slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function getJson(url: string): Promise<{ status?: string; data?: unknown }> {
  const res = await fetch(url);
  return (await res.json()) as { status?: string; data?: unknown };
}

function scrapeConfig(targets: readonly string[], scrapeIntervalS: number): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalS}s`,
    `  evaluation_interval: ${scrapeIntervalS}s`,
    'scrape_configs:',
    '  - job_name: test',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
}

function waiters(
  url: string,
  proc: ChildProcess,
  out: () => string,
): Pick<PrometheusServer, 'waitForSeries' | 'waitForQuery'> {
  const data = async (path: string, params: Record<string, string>): Promise<unknown> =>
    (await getJson(`${url}${path}?${new URLSearchParams(params).toString()}`)).data;
  return {
    waitForSeries: (match, count, timeoutMs = 20_000) =>
      poll(
        `series ${match}`,
        timeoutMs,
        async () => {
          const series = await data('/api/v1/series', { 'match[]': match });
          return Array.isArray(series) && series.length >= count;
        },
        proc,
        out,
      ),
    waitForQuery: (query, count, timeoutMs = 20_000) =>
      poll(
        `query ${query}`,
        timeoutMs,
        async () => {
          const result = (
            (await data('/api/v1/query', { query })) as { result?: unknown[] } | undefined
          )?.result;
          return Array.isArray(result) && result.length >= count;
        },
        proc,
        out,
      ),
  };
}

/** Starts Prometheus scraping `targets` every `scrapeIntervalS` seconds and waits for /-/ready. */
export async function startPrometheus(
  targets: readonly string[],
  scrapeIntervalS = 1,
): Promise<PrometheusServer> {
  const binary = await ensurePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), scrapeConfig(targets, scrapeIntervalS));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const out = (): string => output;
  try {
    await poll('/-/ready', 30_000, async () => (await fetch(`${url}/-/ready`)).ok, proc, out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop, ...waiters(url, proc, out) };
}
