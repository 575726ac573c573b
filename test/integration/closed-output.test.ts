/**
 * `scaleplane serve | head -3`: the real built process, whose stdout and stderr readers go away
 * while it serves. It must keep serving without spinning (no write loop on the broken pipes,
 * little CPU) and end on the first SIGTERM within the grace period, exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

const entry = join(repoRoot, 'dist', 'src', 'main.js');
const GRACE_MS = 2_000;
/** USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

/** CPU time used so far (user + system, seconds) and write syscalls made, from /proc. */
function usage(pid: number): { cpuSeconds: number; writes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const writes = Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
  return { cpuSeconds: ticks / TICKS_PER_SECOND, writes };
}

/** An unauthenticated request: refused with 401, which --v=2 logs, so stderr is written. */
function poke(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/apis/metrics.k8s.io/v1beta1/nodes',
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve with its output pipes closed by the reader', () => {
  let child: ChildProcess;
  let dir: string;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  let port = 0;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
    dir = mkdtempSync(join(tmpdir(), 'scaleplane-pipe-'));
    child = spawn(
      process.execPath,
      [
        entry,
        'serve',
        '--embedded',
        '--secure-port=0',
        '--bind-address=127.0.0.1',
        '--v=2',
        '--sim-speed=20',
        `--shutdown-grace-period=${GRACE_MS}ms`,
      ],
      {
        cwd: dir,
        env: { ...process.env, KUBECONFIG: '/nonexistent', HOME: dir, KUBERNETES_SERVICE_HOST: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`serve did not start\nstdout:\n${out}\nstderr:\n${err.slice(-3000)}`)),
        30_000,
      );
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          port = Number(m[1]);
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // The reader goes away, as `head -3` does after its third line: both pipes are closed.
    child.stdout!.destroy();
    child.stderr!.destroy();
  }, 40_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps serving without spinning once its writes fail with EPIPE', async () => {
    expect(await poke(port)).toBe(401);
    await sleep(500);
    const before = usage(child.pid!);
    const startedMs = Date.now();
    for (let i = 0; i < 4; i++) {
      expect(await poke(port)).toBe(401);
      await sleep(500);
    }
    const after = usage(child.pid!);
    const seconds = (Date.now() - startedMs) / 1000;
    // A write loop on the broken pipe makes tens of thousands of write calls a second and takes
    // every cycle the machine gives it; serving a few requests takes a few.
    expect((after.writes - before.writes) / seconds).toBeLessThan(500);
    expect((after.cpuSeconds - before.cpuSeconds) / seconds).toBeLessThan(0.5);
  }, 20_000);

  it('exits 0 within the grace period on the first SIGTERM', async () => {
    const sentMs = Date.now();
    child.kill('SIGTERM');
    const outcome = await Promise.race([exited, sleep(GRACE_MS + 3_000).then(() => undefined)]);
    expect(outcome, 'still running after the grace period').toBeDefined();
    expect(outcome!.signal).toBeNull();
    expect(outcome!.code).toBe(0);
    expect(outcome!.atMs - sentMs).toBeLessThan(GRACE_MS + 3_000);
  }, 20_000);
});
