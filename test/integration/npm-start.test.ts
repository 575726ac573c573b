/**
 * `npm start`'s embedded mode as a person meets it: the built entry started as a child process
 * (no cluster), its printed curl commands run with the real curl on loopback, and php-apache seen
 * scaling up under the walkthrough's load and back down after the 5-minute stabilization window,
 * compressed by --sim-speed. Then SIGTERM, and exit 0.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quantity } from '../../src/k8s/index.js';
import { suiteUnavailable } from '../support/promised-suites.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const entry = join(root, 'dist', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Started {
  const child = spawn(process.execPath, [entry, 'serve', ...args], {
    cwd: root,
    env: {
      ...process.env,
      KUBECONFIG: '/nonexistent',
      HOME: '/nonexistent',
      KUBERNETES_SERVICE_HOST: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  s: Started,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}\nstdout:\n${s.stdout().slice(-3000)}\nstderr:\n${s.stderr().slice(-3000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The printed commands, by the comment line above each. */
function printedCommands(stdout: string): Map<string, string> {
  const lines = stdout.split('\n');
  const commands = new Map<string, string>();
  lines.forEach((line, i) => {
    if (line.startsWith('curl ') && lines[i - 1]?.startsWith('# '))
      commands.set(lines[i - 1]!.slice(2), line);
  });
  return commands;
}

/** Runs a printed command through the shell exactly as pasted. */
async function curl(command: string, extra = ''): Promise<string> {
  const { stdout } = await run(
    '/bin/sh',
    ['-c', `${command} --silent --show-error --fail-with-body ${extra}`],
    { timeout: 10_000 },
  );
  return stdout;
}

interface SyncLine {
  from: number;
  to: number;
}

function syncLines(stdout: string): SyncLine[] {
  return [...stdout.matchAll(/^sync \S+ default\/php-apache replicas (\d+) -> (\d+) /gm)].map(
    (m) => ({ from: Number(m[1]), to: Number(m[2]) }),
  );
}

/** `npm test` builds first (pretest); a bare `vitest run` without a build says why it skips. */
const skip = suiteUnavailable(
  'npm start',
  existsSync(entry) ? undefined : `${entry} is missing: run \`npm run build\` (npm test does)`,
  'test/integration/npm-start.test.ts',
);

describe.skipIf(skip)('npm start: the embedded cluster', () => {
  let s: Started;
  let commands: Map<string, string>;

  beforeAll(async () => {
    s = start(['--sim-speed', '20', '--secure-port', '0']);
    await waitFor(
      'the printed curl commands',
      () => s.stdout().includes('One line per HPA sync follows'),
      30_000,
      s,
    );
    commands = printedCommands(s.stdout());
  }, 40_000);

  afterAll(async () => {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await s.exited;
  });

  it('prints a command per API with a CA file and a token, on 127.0.0.1', () => {
    expect([...commands.keys()]).toEqual([
      'node metrics (metrics.k8s.io)',
      'pod metrics (metrics.k8s.io)',
      'Pods custom metric packets_per_second',
      'External metric queue_messages_ready',
      'why php-apache has its size',
    ]);
    for (const c of commands.values())
      expect(c).toMatch(
        /^curl --cacert '\/\S+\/ca\.crt' -H 'Authorization: Bearer [\w-]{20,}' 'https:\/\/127\.0\.0\.1:\d+\//,
      );
  });

  it('the printed commands answer with the real curl', async () => {
    await waitFor(
      'a first scrape',
      () =>
        s.stderr().includes('"msg":"hpa evaluation recovered"') ||
        syncLines(s.stdout()).some((l) => l.to > 1),
      30_000,
      s,
    );
    const nodes = JSON.parse(await curl(commands.get('node metrics (metrics.k8s.io)')!));
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual([
      'embedded-node-0',
      'embedded-node-1',
      'embedded-node-2',
    ]);
    const pods = JSON.parse(await curl(commands.get('pod metrics (metrics.k8s.io)')!));
    expect(pods.kind).toBe('PodMetricsList');
    expect(pods.items.length).toBeGreaterThan(0);
    expect(pods.items[0].metadata.name).toMatch(/^php-apache-/);
    // metrics-server serves CPU as a canonical Quantity: nanocores unless a shorter form is exact.
    expect(Quantity.parse(pods.items[0].containers[0].usage.cpu).milliValue()).toBeGreaterThan(0);
    const custom = JSON.parse(await curl(commands.get('Pods custom metric packets_per_second')!));
    expect(custom.kind).toBe('MetricValueList');
    expect(custom.items[0].metric.name).toBe('packets_per_second');
    expect(custom.items[0].describedObject.kind).toBe('Pod');
    const external = JSON.parse(await curl(commands.get('External metric queue_messages_ready')!));
    expect(external.kind).toBe('ExternalMetricValueList');
    expect(external.items[0].metricLabels).toEqual({ queue: 'worker_tasks' });
    const text = await curl(commands.get('why php-apache has its size')!);
    expect(text).toContain('php-apache');
    expect(text).toMatch(/cpu/);
  }, 45_000);

  it('refuses requests without the token', async () => {
    const withoutToken = commands
      .get('node metrics (metrics.k8s.io)')!
      .replace(/-H 'Authorization: Bearer [^']+' /, '');
    const { stdout } = await run(
      '/bin/sh',
      ['-c', `${withoutToken} --silent --write-out '\\n%{http_code}'`],
      { timeout: 10_000 },
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('401');
  });

  it('php-apache scales up under load and back down after the stabilization window', async () => {
    await waitFor(
      'a scale up',
      () => syncLines(s.stdout()).some((l) => l.to > l.from && l.from >= 1),
      40_000,
      s,
    );
    const up = syncLines(s.stdout()).find((l) => l.to > l.from)!;
    expect(up.to).toBeGreaterThan(1);
    await waitFor(
      'a scale down to 1',
      () =>
        syncLines(s.stdout()).some((l) => l.to < l.from) && syncLines(s.stdout()).at(-1)!.to === 1,
      60_000,
      s,
    );
    const peak = Math.max(...syncLines(s.stdout()).map((l) => l.to));
    expect(peak).toBeGreaterThanOrEqual(4);
    expect(s.stdout()).toMatch(/ScaleDownStabilized/);
  }, 90_000);

  it('stops on SIGTERM with exit code 0', async () => {
    s.child.kill('SIGTERM');
    const code = await Promise.race([
      s.exited,
      new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000)),
    ]);
    expect(code).toBe(0);
    expect(s.stderr()).toContain('"msg":"stopped"');
  }, 20_000);
});
