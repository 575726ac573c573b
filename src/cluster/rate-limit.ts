/**
 * `--client-qps` / `--client-burst`: client-go's client-side rate limit on the Kubernetes API
 * client (rest.Config QPS and Burst, enforced by flowcontrol.NewTokenBucketRateLimiter). A token
 * bucket holding up to `burst` tokens, refilled at `qps` per second; every request (each LIST
 * page, each watch start, discovery, /scale, Event writes) waits for a token, in arrival order.
 * Watches already open are not throttled, as in client-go, where only the request start counts.
 * @module
 */
import type { Clock, Sleep } from '../observability/index.js';
import type { KubeApi, KubeRequest } from './kube-api.js';

/** What the API callers await before each request. */
export interface RateLimiter {
  /** Resolves when the request may start. */
  wait(): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens per second; must be > 0. */
  qps: number;
  /** Bucket size: requests allowed at once after a quiet period; must be >= 1. */
  burst: number;
  clock: Clock;
  sleep: Sleep;
}

/** A token bucket; waiters are served first in, first out, so no caller starves. */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private lastMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: TokenBucketOptions) {
    if (!(o.qps > 0) || !(o.burst >= 1)) throw new RangeError('qps must be > 0 and burst >= 1');
    this.tokens = o.burst;
    this.lastMs = o.clock.now();
  }

  wait(): Promise<void> {
    // Chaining keeps the order of arrival: each waiter starts counting after the one before it.
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.o.clock.now();
    const elapsedMs = Math.max(0, now - this.lastMs);
    this.tokens = Math.min(this.o.burst, this.tokens + (elapsedMs * this.o.qps) / 1000);
    this.lastMs = now;
  }

  private async take(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.o.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.o.qps));
      this.refill();
    }
    this.tokens -= 1;
  }
}

/** `api` with every request waiting for `limiter` first. */
export function rateLimitedApi(api: KubeApi, limiter: RateLimiter): KubeApi {
  return {
    async request<T = unknown>(req: KubeRequest): Promise<T> {
      await limiter.wait();
      return api.request<T>(req);
    },
  };
}

/**
 * The limiter for `--client-qps`/`--client-burst`: undefined when qps is 0 (no limit, the default;
 * client-go's own "negative QPS disables the limiter" spelled as 0 here).
 */
export function clientRateLimiter(o: TokenBucketOptions): RateLimiter | undefined {
  return o.qps > 0 ? new TokenBucket(o) : undefined;
}
