/**
 * The HPA status conditions a sync sets, keeping each condition's lastTransitionTime from the
 * previous status while its status does not change (horizontal.go setConditionInList).
 * @module
 */
import type { V2HorizontalPodAutoscalerCondition } from '@kubernetes/client-node';
import { formatTime, timeMs } from './time.js';
import type { ConditionType, DecisionCondition } from './types.js';

const order: readonly ConditionType[] = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];

/** The conditions of one sync, starting from the previous status's transition times. */
export class ConditionSet {
  readonly #current = new Map<ConditionType, DecisionCondition>();
  readonly #previous: readonly V2HorizontalPodAutoscalerCondition[];
  readonly #now: string;

  /** `now` is the sync's time as RFC 3339, the transition time of whatever changes. */
  constructor(previous: readonly V2HorizontalPodAutoscalerCondition[] | undefined, now: string) {
    this.#previous = previous ?? [];
    this.#now = now;
  }

  /** horizontal.go setCondition: the transition time moves only when the status changes. */
  set(type: ConditionType, status: 'True' | 'False', reason: string, message: string): void {
    const existing = this.#current.get(type) ?? this.#previousOf(type);
    const lastTransitionTime =
      existing !== undefined && existing.status === status
        ? existing.lastTransitionTime
        : this.#now;
    this.#current.set(type, { type, status, reason, message, lastTransitionTime });
  }

  get(type: ConditionType): DecisionCondition | undefined {
    return this.#current.get(type);
  }

  /** The conditions set this sync, in the order the controller first sets them. */
  list(): DecisionCondition[] {
    const out: DecisionCondition[] = [];
    for (const type of order) {
      const c = this.#current.get(type);
      if (c !== undefined) out.push(c);
    }
    return out;
  }

  #previousOf(type: ConditionType): { status: string; lastTransitionTime: string } | undefined {
    const prev = this.#previous.find((c) => c.type === type);
    if (prev === undefined) return undefined;
    const ms = timeMs(prev.lastTransitionTime);
    // A previous condition without a time (Go's zero time) gets this sync's time.
    return {
      status: prev.status,
      lastTransitionTime: ms === undefined ? this.#now : formatTime(ms),
    };
  }
}
