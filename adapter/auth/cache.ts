/**
 * A bounded cache whose entries expire, for webhook answers (k8s.io/apimachinery util/cache
 * LRUExpireCache, used by the token and SubjectAccessReview caches): least recently used entries
 * leave first when full, and every entry has its own time to live.
 * @module
 */
import type { Clock } from '../../src/observability/index.js';

interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

export class ExpiringCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  /** The live value for `key`, refreshing its recency; expired entries are dropped. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAtMs <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` for `ttlMs`; a non-positive TTL stores nothing. */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs: this.clock.now() + ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
