/**
 * Whether our recommendation and the controller's status.desiredReplicas disagree, and in which
 * rule. The controller writes its status at the end of its own sync, which is not aligned with
 * ours, so one sync of lag is allowed: a difference counts once it is seen on two consecutive
 * syncs, and it is reported once per change, not on every sync.
 * @module
 */
import type { Decision, MetricExplanation } from '../hpa/index.js';

/** Per-HPA memory between syncs. */
export interface DisagreementMemory {
  /** The difference seen on the previous sync (`ours/theirs`). */
  pending?: string;
  /** The difference last reported as an Event. */
  reported?: string;
}

export interface DisagreementVerdict {
  memory: DisagreementMemory;
  agrees: boolean;
  difference?: string;
  /** True on the sync that should emit the Event. */
  report: boolean;
}

function winningMetric(metrics: readonly MetricExplanation[]): MetricExplanation | undefined {
  let best: MetricExplanation | undefined;
  for (const m of metrics)
    if (m.ok && (best === undefined || (m.proposal ?? 0) > (best.proposal ?? 0))) best = m;
  return best;
}

/** The rule that produced the decision's number, in a few words. */
export function describeRule(d: Decision): string {
  const limits = d.limits;
  switch (limits?.limitReason) {
    case 'ScaleUpLimit':
      return `scale-up rate limit from ${d.currentReplicas}`;
    case 'ScaleDownLimit':
      return `scale-down rate limit from ${d.currentReplicas}`;
    case 'TooFewReplicas':
      return `minReplicas ${limits.minReplicas}`;
    case 'TooManyReplicas':
      return `maxReplicas ${limits.maxReplicas}`;
  }
  const s = limits?.stabilization;
  if (s?.reason === 'ScaleDownStabilized')
    return `scale-down stabilization: highest recommendation of the last ${s.downWindowSeconds}s`;
  if (s?.reason === 'ScaleUpStabilized')
    return `scale-up stabilization: lowest recommendation of the last ${s.upWindowSeconds ?? 0}s`;
  const m = winningMetric(d.metrics);
  if (m !== undefined) {
    const within =
      m.rule === 'within-tolerance' || m.rule === 'recomputed-within-tolerance'
        ? ', within tolerance'
        : '';
    return `metric ${m.name}: ${m.current ?? '?'} of target ${m.target ?? '?'}${within}`;
  }
  return d.explanation[0] ?? 'no metrics';
}

/**
 * Judges one sync. `comparable` is false when our evaluation failed or the controller has not
 * written a status yet: nothing is claimed then, and the pending difference starts over.
 */
export function judgeAgreement(
  memory: DisagreementMemory,
  decision: Decision,
  theirs: number | undefined,
  comparable: boolean,
): DisagreementVerdict {
  const ours = decision.desiredReplicas;
  if (!comparable || theirs === undefined)
    return { memory: { reported: memory.reported }, agrees: true, report: false };
  if (ours === theirs) return { memory: {}, agrees: true, report: false };
  const key = `${ours}/${theirs}`;
  if (memory.pending !== key)
    return { memory: { pending: key, reported: memory.reported }, agrees: true, report: false };
  const difference = `scaleplane recommends ${ours} (${describeRule(decision)}), controller has ${theirs}`;
  return {
    memory: { pending: key, reported: key },
    agrees: false,
    difference,
    report: memory.reported !== key,
  };
}
