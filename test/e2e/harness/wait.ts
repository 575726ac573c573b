/**
 * Polling and loopback port helpers for the end-to-end harness.
 * @module
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port that was free on `host` a moment ago (the kernel picks it; races are unlikely). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** Options of {@link waitFor}. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before each attempt; a returned message aborts the wait (e.g. a process died). */
  abort?: () => string | undefined;
}

/**
 * Polls `probe` until it returns a value other than undefined, and returns that value. Errors
 * thrown by the probe count as "not yet"; the last one is reported when the time is up.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new Error(`gave up waiting for ${what}: ${aborted}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const cause = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
