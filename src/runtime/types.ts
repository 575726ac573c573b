/**
 * What the HPA runtime publishes (the DecisionReader the adapter serves at /hpa) and the hook that
 * lets it act as the controller in the simulated cluster (ScaleWriter).
 * @module
 */
import type { ScaleTargetRef } from '../cluster/index.js';
import type { Decision } from '../hpa/index.js';

/** `scaled`: the decision rescales; `unchanged`: it keeps the size; `failed`: scale or metrics could not be read. */
export type EvaluationResult = 'scaled' | 'unchanged' | 'failed';

/** One HPA's latest evaluation. */
export interface HpaDecisionRecord {
  hpa: { namespace: string; name: string; uid?: string };
  scaleTargetRef: ScaleTargetRef;
  /** RFC 3339. */
  evaluatedAt: string;
  result: EvaluationResult;
  /** The engine's decision (for a target whose scale could not be read: the controller's status with AbleToScale=False). */
  decision: Decision;
  /** The controller's status.desiredReplicas; absent before the controller's first sync. */
  controllerDesiredReplicas?: number;
  /**
   * False when our recommendation has differed from the controller's for two consecutive syncs
   * (one sync of lag is allowed: the controller may not have written its status yet).
   */
  agrees: boolean;
  /** Why they differ, e.g. `scaleplane recommends 5 (cpu resource utilization ...: current 90% against target 50%), controller has 3`. */
  difference?: string;
}

/** Read side of the runtime, served at /hpa. */
export interface DecisionReader {
  getDecision(namespace: string, name: string): HpaDecisionRecord | undefined;
  /** Every HPA's record, ordered by namespace then name. */
  listDecisions(): HpaDecisionRecord[];
}

/** Lets the engine act as the controller: writes the target's spec.replicas through /scale. */
export interface ScaleWriter {
  /** Rejects when the write failed; the runtime then records FailedUpdateScale as the controller does. */
  setReplicas(namespace: string, ref: ScaleTargetRef, replicas: number): Promise<void>;
}
