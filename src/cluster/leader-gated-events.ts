/**
 * The write seam of leader election: an EventRecorder that passes Events on only while this
 * replica leads. Every replica keeps evaluating HPAs and serving the results; only the leader
 * reports them, so two replicas never write the same disagreement twice (client-go's users gate
 * their controllers the same way, behind OnStartedLeading).
 * @module
 */
import type { Logger } from '../observability/index.js';
import type { LeadershipGate } from './leader-election.js';
import type { EventRecorder, EventType, InvolvedObject } from './types.js';

export interface LeaderGatedEventRecorderOptions {
  inner: EventRecorder;
  gate: LeadershipGate;
  logger: Logger;
}

/** Drops Events (with a debug line) on a replica that does not lead. */
export class LeaderGatedEventRecorder implements EventRecorder {
  constructor(private readonly o: LeaderGatedEventRecorderOptions) {}

  recordEvent(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    if (this.o.gate.isLeader()) return this.o.inner.recordEvent(object, type, reason, message);
    this.o.logger.debug('event left to the leader', {
      reason,
      object: `${object.kind}/${object.namespace ?? ''}/${object.name}`,
    });
    return Promise.resolve();
  }
}
