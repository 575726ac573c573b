/**
 * The runtime as the HPA controller (the simulated cluster): after the engine decides, write the
 * target's replicas and keep the status the next sync reads, with the tail of horizontal.go
 * reconcileAutoscaler: a successful rescale stores the scale event and sets lastScaleTime; a
 * failed one keeps the recommendations but not the scale event, sets AbleToScale=False
 * FailedUpdateScale and leaves desiredReplicas as it was (setCurrentReplicasInStatus).
 * @module
 */
import type { V2HorizontalPodAutoscalerStatus } from '@kubernetes/client-node';
import type { ScaleTargetRef } from '../cluster/index.js';
import {
  formatHistory,
  type Decision,
  type DecisionCondition,
  type Evaluation,
  type ParsedHistory,
} from '../hpa/index.js';
import { setCondition } from './conditions.js';
import type { ScaleWriter } from './types.js';
import type { ObservedTarget } from './observed-scale-events.js';

/** What the controller remembers of one HPA between syncs. */
export interface ControllerMemory {
  history?: ParsedHistory;
  /** Recommend mode: the target as last seen, to notice the real controller's rescales. */
  observed?: ObservedTarget;
  /** The status as written by the last sync (API JSON: times are RFC 3339 strings). */
  status?: V2HorizontalPodAutoscalerStatus;
}

export interface ControllerEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface ActOutcome {
  decision: Decision;
  memory: ControllerMemory;
  /** The write failed. */
  failed: boolean;
  /** Why, when it failed: the FailedUpdateScale message. */
  failure?: string;
  event?: ControllerEvent;
}

function statusOf(
  current: number,
  desired: number,
  currentMetrics: readonly unknown[] | undefined,
  conditions: DecisionCondition[],
  lastScaleTime: unknown,
): V2HorizontalPodAutoscalerStatus {
  const status = {
    currentReplicas: current,
    desiredReplicas: desired,
    ...(lastScaleTime === undefined ? {} : { lastScaleTime }),
    currentMetrics: currentMetrics ?? [],
    conditions,
  };
  // Kept as the API would serve it (RFC 3339 strings); the engine reads strings as well as Dates.
  return status as unknown as V2HorizontalPodAutoscalerStatus;
}

/** The memory after a failed scale read: same history, the status with the new conditions. */
export function afterFailedGetScale(
  prev: ControllerMemory,
  hpaStatus: V2HorizontalPodAutoscalerStatus | undefined,
  conditions: DecisionCondition[],
): ControllerMemory {
  const status = { ...hpaStatus, conditions } as unknown as V2HorizontalPodAutoscalerStatus;
  return { ...prev, status };
}

/**
 * Applies the engine's decision through `writer`. When the metrics failed, the controller leaves
 * desiredReplicas and the metric statuses as they were.
 */
export async function actAsController(
  writer: ScaleWriter,
  target: { namespace: string; ref: ScaleTargetRef },
  evaluation: Evaluation,
  prev: ControllerMemory,
  nowIso: string,
): Promise<ActOutcome> {
  const { decision } = evaluation;
  const lastScaleTime = prev.status?.lastScaleTime;
  if (!decision.rescale) {
    const status = decision.metricsFailed
      ? statusOf(
          decision.currentReplicas,
          prev.status?.desiredReplicas ?? decision.currentReplicas,
          prev.status?.currentMetrics,
          decision.conditions,
          lastScaleTime,
        )
      : statusOf(
          decision.currentReplicas,
          decision.desiredReplicas,
          decision.currentMetrics,
          decision.conditions,
          lastScaleTime,
        );
    return { decision, memory: { history: evaluation.history, status }, failed: false };
  }
  const reason = decision.rescaleReason ?? '';
  try {
    await writer.setReplicas(target.namespace, target.ref, decision.desiredReplicas);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const conditions = setCondition(
      decision.conditions,
      'AbleToScale',
      'False',
      'FailedUpdateScale',
      `the HPA controller was unable to update the target scale: ${error}`,
      nowIso,
    );
    const history: ParsedHistory = {
      recommendations: evaluation.history.recommendations,
      scaleUpEvents: prev.history?.scaleUpEvents ?? [],
      scaleDownEvents: prev.history?.scaleDownEvents ?? [],
    };
    const desired = prev.status?.desiredReplicas ?? decision.currentReplicas;
    const status = statusOf(
      decision.currentReplicas,
      desired,
      prev.status?.currentMetrics,
      conditions,
      lastScaleTime,
    );
    const failure = `the target scale could not be updated to ${decision.desiredReplicas}: ${error}`;
    const failedDecision: Decision = {
      ...decision,
      conditions,
      history: formatHistory(history),
      explanation: [...decision.explanation, failure],
    };
    const message = `New size: ${decision.desiredReplicas}; reason: ${reason}; error: ${error}`;
    return {
      decision: failedDecision,
      memory: { history, status },
      failed: true,
      failure,
      event: { type: 'Warning', reason: 'FailedRescale', message },
    };
  }
  const status = statusOf(
    decision.currentReplicas,
    decision.desiredReplicas,
    decision.currentMetrics,
    decision.conditions,
    nowIso,
  );
  const event: ControllerEvent = {
    type: 'Normal',
    reason: 'SuccessfulRescale',
    message: `New size: ${decision.desiredReplicas}; reason: ${reason}`,
  };
  return { decision, memory: { history: evaluation.history, status }, failed: false, event };
}
