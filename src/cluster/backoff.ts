/**
 * Restart delays for broken watches: capped exponential backoff with jitter that starts over after
 * a quiet spell, the policy client-go's reflector uses (reflector.go NewReflectorWithOptions:
 * `wait.NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0, clock)`).
 * @module
 */
import type { Clock, Random } from '../observability/index.js';

export interface BackoffOptions {
  /** First delay; default 800 ms. */
  initialMs?: number;
  /** Largest un-jittered delay; default 30 s. */
  maxMs?: number;
  /** Growth per step; default 2. */
  factor?: number;
  /** Each delay `d` becomes `d + random() * jitter * d` (wait.Jitter); default 1. */
  jitter?: number;
  /** A failure this long after the previous one starts from `initialMs` again; default 2 min. */
  resetAfterMs?: number;
}

/** One watch's backoff state (wait.exponentialBackoffManagerImpl). */
export class RestartBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private currentMs: number;
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(
    options: BackoffOptions,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.currentMs = this.initialMs;
  }

  /** The delay before the next restart. */
  next(): number {
    const nowMs = this.clock.now();
    if (nowMs - this.lastMs > this.resetAfterMs) this.currentMs = this.initialMs;
    this.lastMs = nowMs;
    const base = this.currentMs;
    this.currentMs = Math.min(this.maxMs, base * this.factor);
    return this.jitter > 0 ? base + this.random() * this.jitter * base : base;
  }
}
