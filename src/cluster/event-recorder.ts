/**
 * core/v1 Events through the API, as client-go's recorder writes them
 * (tools/record/event.go recordToSink): correlated first, then created, or patched with the new
 * count when an identical event was already written; a patch that finds the Event gone (the API
 * server expires Events after an hour) creates it again. Writes go one at a time, in order, from a
 * bounded queue, and a failure is logged, never thrown: an Event is worth less than the work that
 * reports it.
 * @module
 */
import type { Clock, Logger } from '../observability/index.js';
import {
  EventCorrelator,
  type CorrelatedEvent,
  type EventCorrelatorOptions,
  type EventSource,
} from './event-correlator.js';
import { isNotFoundError, type KubeApi } from './kube-api.js';
import type { EventRecorder, EventType, InvolvedObject } from './types.js';
import { formatTime } from '../k8s/index.js';

export interface KubeEventRecorderOptions {
  api: KubeApi;
  clock: Clock;
  logger: Logger;
  /** source.component and reportingComponent; source.host and reportingInstance. */
  source: EventSource;
  correlator?: EventCorrelatorOptions;
  /** Events waiting beyond this are dropped (and logged); default 1000. */
  maxQueued?: number;
}

/** Events in the involved object's namespace; cluster-scoped objects report to `default` (ref.go). */
function namespaceOf(object: InvolvedObject): string {
  return object.namespace || 'default';
}

/** EventRecorder that writes core/v1 Events. */
export class KubeEventRecorder implements EventRecorder {
  private readonly correlator: EventCorrelator;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private seq = 0;

  constructor(private readonly o: KubeEventRecorderOptions) {
    this.correlator = new EventCorrelator(o.source, o.correlator);
  }

  recordEvent(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    if (this.queued >= (this.o.maxQueued ?? 1000)) {
      this.o.logger.warn('event dropped', {
        reason,
        object: `${object.kind}/${object.namespace ?? ''}/${object.name}`,
        queued: this.queued,
      });
      return Promise.resolve();
    }
    this.queued++;
    this.tail = this.tail.then(async () => {
      try {
        await this.write(object, type, reason, message);
      } catch (err) {
        this.o.logger.warn('event not recorded', {
          reason,
          object: `${object.kind}/${object.namespace ?? ''}/${object.name}`,
          err,
        });
      } finally {
        this.queued--;
      }
    });
    return this.tail;
  }

  private async write(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const nowMs = this.o.clock.now();
    const c = this.correlator.correlate({ object, type, reason, message }, nowMs);
    if (c.existingName !== undefined) {
      try {
        await this.patch(object, c, nowMs);
        this.correlator.remember(c, c.existingName);
        return;
      } catch (err) {
        if (!isNotFoundError(err)) throw err;
        this.correlator.forget(c.key);
      }
    }
    const name = await this.create(object, type, reason, c, nowMs);
    this.correlator.remember(c, name);
  }

  private patch(object: InvolvedObject, c: CorrelatedEvent, nowMs: number): Promise<unknown> {
    return this.o.api.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${encodeURIComponent(namespaceOf(object))}/events/${encodeURIComponent(c.existingName!)}`,
      contentType: 'application/merge-patch+json',
      body: { count: c.count, lastTimestamp: formatTime(nowMs), message: c.message },
    });
  }

  private async create(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    c: CorrelatedEvent,
    nowMs: number,
  ): Promise<string> {
    // `{object}.{unix nanoseconds in hex}` (event.go makeEvent); the sequence keeps names unique within a millisecond.
    const nanos = BigInt(nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${object.name}.${nanos.toString(16)}`;
    const namespace = namespaceOf(object);
    await this.o.api.request({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: object,
        reason,
        message: c.message,
        source: this.o.source.host ? this.o.source : { component: this.o.source.component },
        firstTimestamp: formatTime(c.firstTimestampMs),
        lastTimestamp: formatTime(nowMs),
        count: c.count,
        type,
        reportingComponent: this.o.source.component,
        reportingInstance: this.o.source.host ?? '',
      },
    });
    return name;
  }
}
