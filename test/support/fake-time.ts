/**
 * Hand-written fake time for loops (design habits 5 and 8): a Clock whose `now` moves only when a
 * test calls `advance`, a Sleep that resolves when fake time reaches its deadline (or early on
 * abort), and a seeded Random.
 */
import type { Clock, Random, Sleep } from '../../src/observability/index.js';

interface Timer {
  atMs: number;
  seq: number;
  resolve: () => void;
}

/** Lets pending promise chains and immediates run. */
export async function flushAsync(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export class FakeTime implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(private nowMs = 1_800_000_000_000) {}

  now(): number {
    return this.nowMs;
  }

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        atMs: this.nowMs + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => done(),
      };
      const done = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', done, { once: true });
    });

  /** Sleeps not yet resolved. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due sleeps in deadline order and letting each reaction run. */
  async advance(ms: number): Promise<void> {
    const targetMs = this.nowMs + ms;
    await flushAsync();
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (next === undefined || next.atMs > targetMs) break;
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.resolve();
      await flushAsync();
    }
    this.nowMs = targetMs;
    await flushAsync();
  }
}

/** mulberry32: a small deterministic Random for jitter. */
export function seededRandom(seed = 42): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
