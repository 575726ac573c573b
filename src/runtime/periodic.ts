/**
 * Loop helpers: a drift-free period (ticks at start + n x period, missed ticks skipped as a
 * time.Ticker drops them) and bounded concurrency, the controller's `--concurrent-horizontal-pod-
 * autoscaler-syncs` worker count.
 * @module
 */
import type { Clock, Sleep } from '../observability/index.js';

/**
 * Runs `tick` now and then on every multiple of `periodMs` after the start, until `signal` aborts.
 * `tick` must not reject; a tick longer than the period skips the ticks it overran. A wall clock
 * set back starts the schedule over from now instead of sleeping out the jump.
 */
export async function runEvery(
  periodMs: number,
  clock: Clock,
  sleep: Sleep,
  signal: AbortSignal,
  tick: () => Promise<void>,
): Promise<void> {
  let nextMs = clock.now();
  while (!signal.aborted) {
    await tick();
    nextMs += periodMs;
    const nowMs = clock.now();
    if (nextMs <= nowMs) nextMs += Math.floor((nowMs - nextMs) / periodMs + 1) * periodMs;
    if (nextMs - nowMs > periodMs) nextMs = nowMs + periodMs;
    await sleep(nextMs - nowMs, signal);
  }
}

/** Runs `fn` on every item with at most `limit` in flight; `fn` must not reject. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
