/**
 * Event deduplication and aggregation, the rules of client-go's EventCorrelator
 * (tools/record/events_cache.go) as pure state: an identical event bumps the count of the one
 * already written (eventLogger.eventObserve), and more than ten events that differ only in their
 * message within ten minutes are combined into one (EventAggregator.EventAggregate). Memory is
 * bounded by LRU caches of 4096 entries (maxLruCacheEntries).
 * @module
 */
import type { EventType, InvolvedObject } from './types.js';

/** Who reports the events (core/v1 EventSource). */
export interface EventSource {
  component: string;
  host?: string;
}

export interface EventInput {
  object: InvolvedObject;
  type: EventType;
  reason: string;
  message: string;
}

/** What to write: a new Event, or a count bump of `existingName`. */
export interface CorrelatedEvent {
  key: string;
  message: string;
  count: number;
  firstTimestampMs: number;
  /** Name of the Event already written for this key: patch it rather than create. */
  existingName?: string;
}

/** What the cache remembers of a written Event (eventLog). */
interface WrittenEvent {
  name: string;
  count: number;
  firstTimestampMs: number;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestampMs: number;
}

export interface EventCorrelatorOptions {
  maxEntries?: number;
  /** Similar events before they are combined; default 10 (defaultAggregateMaxEvents). */
  aggregateMaxEvents?: number;
  /** Default 10 minutes (defaultAggregateIntervalInSeconds). */
  aggregateIntervalMs?: number;
}

/** A Map that forgets its least recently used entry beyond `max` (golang-lru's role upstream). */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

/** The aggregation key: everything but the message (EventAggregatorByReasonFunc). */
function aggregateKey(source: EventSource, e: EventInput): string {
  const o = e.object;
  return [
    source.component,
    source.host ?? '',
    o.kind,
    o.namespace ?? '',
    o.name,
    o.uid ?? '',
    o.apiVersion ?? '',
    e.type,
    e.reason,
  ].join('\u0000');
}

export const combinedPrefix = '(combined from similar events): ';

/** Deduplication and aggregation state for one recorder. */
export class EventCorrelator {
  private readonly written: Lru<WrittenEvent>;
  private readonly aggregates: Lru<AggregateRecord>;
  private readonly maxEvents: number;
  private readonly intervalMs: number;

  constructor(
    private readonly source: EventSource,
    options: EventCorrelatorOptions = {},
  ) {
    const max = options.maxEntries ?? 4096;
    this.written = new Lru(max);
    this.aggregates = new Lru(max);
    this.maxEvents = options.aggregateMaxEvents ?? 10;
    this.intervalMs = options.aggregateIntervalMs ?? 600_000;
  }

  /** Decides how `e` is written at `nowMs`. */
  correlate(e: EventInput, nowMs: number): CorrelatedEvent {
    const aggKey = aggregateKey(this.source, e);
    let record = this.aggregates.get(aggKey);
    if (record === undefined || nowMs - record.lastTimestampMs > this.intervalMs)
      record = { localKeys: new Set(), lastTimestampMs: nowMs };
    record.localKeys.add(e.message);
    record.lastTimestampMs = nowMs;
    this.aggregates.set(aggKey, record);
    const combined = record.localKeys.size >= this.maxEvents;
    const key = combined ? aggKey : `${aggKey}\u0000${e.message}`;
    const message = combined ? `${combinedPrefix}${e.message}` : e.message;
    const prev = this.written.get(key);
    if (prev === undefined) return { key, message, count: 1, firstTimestampMs: nowMs };
    return {
      key,
      message,
      count: prev.count + 1,
      firstTimestampMs: prev.firstTimestampMs,
      existingName: prev.name,
    };
  }

  /** Records that the Event for `c` now exists under `name` (eventLogger.updateState). */
  remember(c: CorrelatedEvent, name: string): void {
    this.written.set(c.key, { name, count: c.count, firstTimestampMs: c.firstTimestampMs });
  }

  /** Forgets a key whose Event vanished (expired by the API server's TTL). */
  forget(key: string): void {
    this.written.delete(key);
  }

  /** Entries held, for tests of the memory bound. */
  get size(): { written: number; aggregates: number } {
    return { written: this.written.size, aggregates: this.aggregates.size };
  }
}
