/**
 * Child processes of the end-to-end cluster: each runs in its own process group under a small
 * bash "leash" that kills it when the test process disappears (a vitest worker killed with SIGKILL
 * runs no cleanup hook), writes stdout and stderr to a log file, and is stopped by signalling the
 * whole group, SIGTERM first and SIGKILL after a grace period.
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts `command` in the background and stops it, with its group, when the parent is gone. */
const LEASH = [
  'parent=$1; shift',
  '"$@" & child=$!',
  "trap 'kill -TERM $child 2>/dev/null; wait $child; exit' TERM INT",
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done',
  'kill -TERM "$child" 2>/dev/null; wait "$child"',
].join('\n');

/** What to run. */
export interface ProcessSpec {
  /** Short name used in errors, e.g. `kube-apiserver`. */
  name: string;
  binary: string;
  args: readonly string[];
  /** File receiving stdout and stderr (appended). */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A running component. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** True once the leash (and so the component) has exited. */
  exited(): boolean;
  /** The last `lines` lines of the log, for failure messages. */
  logTail(lines?: number): string;
  /** Stops the process group; resolves when no member is left. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const live = new Set<number>();
process.on('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group exists (signal 0 probes without delivering). */
function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Starts a component in its own process group. */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const log = openSync(spec.logFile, 'a');
  const child = spawn(
    'bash',
    ['-c', LEASH, 'leash', String(process.pid), spec.binary, ...spec.args],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    },
  );
  closeSync(log);
  if (child.pid === undefined) throw new Error(`failed to start ${spec.name}`);
  const pgid = child.pid;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  live.add(pgid);
  let stopping: Promise<void> | undefined;
  return {
    name: spec.name,
    pid: pgid,
    logFile: spec.logFile,
    exited: () => exited,
    logTail: (lines = 40) =>
      readFileSync(spec.logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    stop: (graceMs = 10_000) => {
      stopping ??= (async () => {
        signalGroup(pgid, 'SIGTERM');
        if (!(await waitGroupGone(pgid, graceMs))) {
          signalGroup(pgid, 'SIGKILL');
          await waitGroupGone(pgid, 5_000);
        }
        live.delete(pgid);
      })();
      return stopping;
    },
  };
}
