/**
 * One HPA sync as a pure function (horizontal.go reconcileAutoscaler): the parsed input in, the
 * decision, conditions and new controller memory out. Time is input.nowMs; nothing is shared
 * between calls. `evaluate` is the same for a scenario in the contract's JSON shape.
 * @module
 */
import { explainDecision } from './explain.js';
import { formatHistory, pruneHistory, storeScaleEvent } from './history.js';
import type { EngineDecision, EngineInput, Evaluation } from './input.js';
import { reconcile } from './reconcile.js';
import { inputFromScenario } from './scenario-input.js';
import { startSync, type Sync, type SyncOutcome } from './sync.js';
import type { Decision, Scenario } from './types.js';

export { defaultMetricSpec } from './reconcile.js';

/** reconcileAutoscaler's ending: a rescale is reported and remembered; otherwise the size stays. */
function finish(sync: Sync, outcome: SyncOutcome): number {
  if (!outcome.rescale) return sync.currentReplicas;
  const desired = outcome.desiredReplicas;
  const message = `the HPA controller was able to update the target scale to ${desired}`;
  sync.conditions.set('AbleToScale', 'True', 'SucceededRescale', message);
  sync.history = storeScaleEvent(
    sync.history,
    sync.behavior,
    sync.currentReplicas,
    desired,
    sync.nowMs,
  );
  return desired;
}

/**
 * Evaluates one HPA sync, as kube-controller-manager's HPA controller would at `input.nowMs`.
 * Pure: no clock, no I/O, no state shared between calls; the returned history is the memory to
 * pass to the next call. Metric failures become conditions, never exceptions.
 */
export function evaluateInput(input: EngineInput): Evaluation {
  const sync = startSync(input);
  const outcome = reconcile(sync);
  const desiredReplicas = finish(sync, outcome);
  const windowSeconds = sync.options.downscaleStabilizationWindowSeconds;
  const history = pruneHistory(sync.history, sync.behavior, windowSeconds, sync.nowMs);
  const decision: EngineDecision = {
    desiredReplicas,
    currentReplicas: sync.currentReplicas,
    rescale: outcome.rescale,
    rescaleReason: outcome.rescaleReason,
    metricsFailed: outcome.metricsFailed,
    tolerances: sync.tolerances.facts(),
    currentMetrics: outcome.statuses,
    conditions: sync.conditions.list(),
    history: formatHistory(history),
    explanation: [],
    metrics: outcome.metrics,
    limits: outcome.limits,
  };
  const { tolerances, minReplicas, maxReplicas } = sync;
  decision.explanation = explainDecision(decision, outcome, {
    tolerances,
    minReplicas,
    maxReplicas,
  });
  return { decision, history };
}

/** evaluateInput for a scenario in the contract's JSON shape (hpa-scenario.md), as `hpa evaluate` reads it. */
export function evaluate(scenario: Scenario): Decision {
  return evaluateInput(inputFromScenario(scenario)).decision;
}
