/**
 * HPA conditions outside the engine: when the target's scale cannot be read (the engine never
 * runs) or cannot be written (the runtime acting as the controller). Same rule as the controller's
 * setConditionInList (horizontal.go): the transition time moves only when the status changes.
 * @module
 */
import type {
  V2HorizontalPodAutoscaler,
  V2HorizontalPodAutoscalerCondition,
} from '@kubernetes/client-node';
import {
  formatHistory,
  type ConditionType,
  type Decision,
  type DecisionCondition,
  type ParsedHistory,
} from '../hpa/index.js';
import { rfc3339 } from './metric-values.js';

const conditionTypes: readonly string[] = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];

/** Conditions from an HPA status (times as Date or string) in the decision's shape. */
export function conditionsOf(
  conditions: readonly V2HorizontalPodAutoscalerCondition[] | undefined,
  nowIso: string,
): DecisionCondition[] {
  return (conditions ?? [])
    .filter((c) => conditionTypes.includes(c.type))
    .map((c) => {
      const t = c.lastTransitionTime as Date | string | undefined;
      const ms = t === undefined ? Number.NaN : typeof t === 'string' ? Date.parse(t) : t.getTime();
      return {
        type: c.type as ConditionType,
        status: c.status === 'True' ? 'True' : 'False',
        reason: c.reason ?? '',
        message: c.message ?? '',
        lastTransitionTime: Number.isNaN(ms) ? nowIso : rfc3339(ms),
      };
    });
}

/** `list` with `type` set; its transition time is kept unless the status changes. */
export function setCondition(
  list: readonly DecisionCondition[],
  type: ConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  nowIso: string,
): DecisionCondition[] {
  const existing = list.find((c) => c.type === type);
  const lastTransitionTime =
    existing !== undefined && existing.status === status ? existing.lastTransitionTime : nowIso;
  const updated: DecisionCondition = { type, status, reason, message, lastTransitionTime };
  return existing === undefined
    ? [...list, updated]
    : list.map((c) => (c === existing ? updated : c));
}

/**
 * The decision for an HPA whose target scale could not be read (reconcileAutoscaler's early
 * return): the status stays as it was, AbleToScale turns False with FailedGetScale, and the memory
 * is untouched (the initial recommendation is recorded only after a successful read).
 */
export function failedGetScaleDecision(
  hpa: V2HorizontalPodAutoscaler,
  error: string,
  nowIso: string,
  history: ParsedHistory | undefined,
): Decision {
  const status = hpa.status;
  const conditions = setCondition(
    conditionsOf(status?.conditions, nowIso),
    'AbleToScale',
    'False',
    'FailedGetScale',
    `the HPA controller was unable to get the target's current scale: ${error}`,
    nowIso,
  );
  const current = status?.currentReplicas ?? 0;
  const ref = hpa.spec?.scaleTargetRef;
  return {
    desiredReplicas: status?.desiredReplicas ?? current,
    currentReplicas: current,
    rescale: false,
    // The scale read failed before any metric was read.
    metricsFailed: false,
    currentMetrics: status?.currentMetrics ?? [],
    conditions,
    history: formatHistory(
      history ?? { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
    ),
    explanation: [
      `the scale of the target ${ref?.kind ?? '?'}/${ref?.name ?? '?'} could not be read: ${error}`,
      "without the target's scale the controller cannot compute anything, so nothing changes until it can be read",
    ],
    metrics: [],
  };
}
