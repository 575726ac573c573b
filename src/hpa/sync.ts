/**
 * The state of one HPA sync: the scenario with its defaults resolved, the conditions being set and
 * the controller memory being updated. Built fresh by every evaluate() call.
 * @module
 */
import type { V2MetricStatus } from '@kubernetes/client-node';
import { behaviorWithDefaults, type Behavior } from './behavior.js';
import { ConditionSet } from './conditions.js';
import { rememberedHistory, type ParsedHistory } from './history.js';
import type { EngineInput } from './input.js';
import { ParseCache } from './parse-cache.js';
import { formatTime } from './time.js';
import { tolerancesForHpa, type Tolerances } from './tolerance.js';
import {
  defaultEngineOptions,
  type EngineOptions,
  type LimitsExplanation,
  type MetricExplanation,
} from './types.js';

/** One sync's inputs with defaults resolved, and the state it updates as it goes. */
export interface Sync {
  input: EngineInput;
  nowMs: number;
  options: EngineOptions;
  cache: ParseCache;
  tolerances: Tolerances;
  minReplicas: number;
  maxReplicas: number;
  behavior: Behavior | undefined;
  conditions: ConditionSet;
  currentReplicas: number;
  history: ParsedHistory;
}

/** What the sync decided, before it is written out. */
export interface SyncOutcome {
  desiredReplicas: number;
  rescale: boolean;
  rescaleReason?: string;
  /** Why the branch was taken when no metrics were read. */
  shortcut?: 'disabled' | 'above-max' | 'below-min';
  statuses: V2MetricStatus[];
  metrics: MetricExplanation[];
  metricsFailed: boolean;
  metricsError?: string;
  winningMetric?: string;
  limits?: LimitsExplanation;
}

/** The kube-controller-manager flags, defaulted field by field. */
export function resolveOptions(partial: Partial<EngineOptions> | undefined): EngineOptions {
  const d = defaultEngineOptions;
  return {
    tolerance: partial?.tolerance ?? d.tolerance,
    cpuInitializationPeriodSeconds:
      partial?.cpuInitializationPeriodSeconds ?? d.cpuInitializationPeriodSeconds,
    initialReadinessDelaySeconds:
      partial?.initialReadinessDelaySeconds ?? d.initialReadinessDelaySeconds,
    downscaleStabilizationWindowSeconds:
      partial?.downscaleStabilizationWindowSeconds ?? d.downscaleStabilizationWindowSeconds,
  };
}

/**
 * The start of horizontal.go reconcileAutoscaler once the scale is read: AbleToScale is
 * SucceededGetScale, minReplicas defaults to 1 and a set behavior gets its API defaults.
 */
export function startSync(input: EngineInput): Sync {
  const { nowMs } = input;
  const options = resolveOptions(input.options);
  const cache = new ParseCache();
  const spec = input.hpa.spec;
  const behavior =
    spec?.behavior === undefined
      ? undefined
      : behaviorWithDefaults(spec.behavior, options.downscaleStabilizationWindowSeconds);
  const currentReplicas = input.scale.specReplicas;
  const conditions = new ConditionSet(input.hpa.status?.conditions, formatTime(nowMs));
  const gotScale = "the HPA controller was able to get the target's current scale";
  conditions.set('AbleToScale', 'True', 'SucceededGetScale', gotScale);
  return {
    input,
    nowMs,
    options,
    cache,
    tolerances: tolerancesForHpa(spec?.behavior, options.tolerance, cache),
    minReplicas: spec?.minReplicas ?? 1,
    maxReplicas: spec?.maxReplicas ?? 0,
    behavior,
    conditions,
    currentReplicas,
    history: rememberedHistory(input.history, currentReplicas, nowMs),
  };
}
