/**
 * The engine's input (a scenario: everything the HPA controller reads at one sync) and output (a
 * decision). Kubernetes objects are @kubernetes/client-node types; the metrics APIs
 * (k8s.io/metrics) have no client-node types, so they are modelled here field for field.
 * @module
 */
import type {
  V1LabelSelector,
  V1Pod,
  V2CrossVersionObjectReference,
  V2HorizontalPodAutoscaler,
  V2MetricStatus,
} from '@kubernetes/client-node';
import type { PodReason, ToleranceFacts } from './facts.js';

export type * from './facts.js';

/** metrics.k8s.io/v1beta1 ContainerMetrics: one container's usage (`cpu`, `memory`) as quantities. */
export interface ContainerMetrics {
  name: string;
  usage: Record<string, string>;
}

/** metrics.k8s.io/v1beta1 PodMetrics (k8s.io/metrics pkg/apis/metrics/v1beta1 types.go). */
export interface PodMetrics {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  /** End of the collection window, RFC 3339. */
  timestamp: string;
  /** Length of the collection window as a Go duration ("30s", "1m0s"). */
  window: string;
  containers: ContainerMetrics[];
}

/** The object a custom metric describes (core/v1 ObjectReference, as custom.metrics.k8s.io returns it). */
export interface DescribedObject {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** custom.metrics.k8s.io/v1beta2 MetricIdentifier. */
export interface MetricIdentifier {
  name: string;
  selector?: V1LabelSelector;
}

/** custom.metrics.k8s.io/v1beta2 MetricValue. */
export interface MetricValue {
  describedObject: DescribedObject;
  metric: MetricIdentifier;
  /** RFC 3339. */
  timestamp: string;
  /** Window the value was computed over; the controller assumes 60 s when absent. */
  windowSeconds?: number;
  value: string;
}

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue. */
export interface ExternalMetricValue {
  metricName: string;
  metricLabels: Record<string, string>;
  /** RFC 3339. */
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

/** An unstabilized recommendation the controller remembers (horizontal.go timestampedRecommendation). */
export interface TimestampedRecommendation {
  /** RFC 3339. */
  timestamp: string;
  replicas: number;
}

/** A past rescale, as a non-negative change (horizontal.go timestampedScaleEvent). */
export interface TimestampedScaleEvent {
  /** RFC 3339. */
  timestamp: string;
  replicaChange: number;
}

/** The controller's per-HPA memory between syncs (its recommendations and scale-event maps). */
export interface HpaHistory {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

/** kube-controller-manager flags that shape the algorithm. */
export interface EngineOptions {
  /** --horizontal-pod-autoscaler-tolerance */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period */
  cpuInitializationPeriodSeconds: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay */
  initialReadinessDelaySeconds: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization */
  downscaleStabilizationWindowSeconds: number;
}

/** The kube-controller-manager defaults (pkg/controller/podautoscaler/config/v1alpha1 defaults.go). */
export const defaultEngineOptions: Readonly<EngineOptions> = Object.freeze({
  tolerance: 0.1,
  cpuInitializationPeriodSeconds: 300,
  initialReadinessDelaySeconds: 30,
  downscaleStabilizationWindowSeconds: 300,
});

/** The target's /scale subresource. */
export interface ScaleSnapshot {
  specReplicas: number;
  statusReplicas: number;
  /** status.selector, a label-selector string. */
  selector: string;
}

/** Everything the controller reads at one sync, plus its memory and the clock. */
export interface Scenario {
  /** RFC 3339; the engine never reads the wall clock. */
  now: string;
  hpa: V2HorizontalPodAutoscaler;
  scale: ScaleSnapshot;
  pods: V1Pod[];
  podMetrics: PodMetrics[];
  customMetrics: MetricValue[];
  externalMetrics: ExternalMetricValue[];
  /** Absent on the HPA's first sync: the current size is then recorded as a recommendation. */
  history?: Partial<HpaHistory>;
  options?: Partial<EngineOptions>;
}

/** The HPA condition types the controller sets. */
export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/** autoscaling/v2 HorizontalPodAutoscalerCondition with the transition time as RFC 3339. */
export interface DecisionCondition {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** Which branch of the replica calculator produced a metric's proposal. */
export type ReplicaRule =
  | 'proportional'
  | 'within-tolerance'
  | 'recomputed'
  | 'recomputed-within-tolerance'
  | 'direction-reversed'
  | 'count-reversed'
  | 'scale-from-zero'
  | 'per-pod-average'
  | 'failed';

/** How one metric spec was evaluated, for explainers. */
export interface MetricExplanation {
  index: number;
  type: string;
  /** The controller's description, e.g. "cpu resource utilization (percentage of request)". */
  name: string;
  ok: boolean;
  /** The condition reason when the metric failed (FailedGetResourceMetric, ...). */
  reason?: string;
  error?: string;
  proposal?: number;
  rule: ReplicaRule;
  /** Current value as the status shows it: "50%" or a quantity. */
  current?: string;
  target?: string;
  usageRatio?: number;
  /** The summed value of an AverageValue Object or External metric, as a quantity. */
  total?: string;
  /** The ratio after missing and unready pods were filled in, when that happened. */
  adjustedUsageRatio?: number;
  readyPods?: number;
  ignoredPods: string[];
  unreadyPods: string[];
  missingPods: string[];
  /** Every pod in ignoredPods, unreadyPods and missingPods, with the rule that put it there. */
  podReasons: PodReason[];
  /** What missing pods were counted as: `target` (or 100% of request) on a scale-down, `zero` on a scale-up. */
  missingFill?: 'target' | 'zero';
  /** Percent of request used for missing pods on a utilization scale-down (max(100, target)). */
  missingFillPercent?: number;
  unreadyCountedAsZero?: boolean;
}

/** The stabilization window's effect. */
export interface StabilizationExplanation {
  /** Window used for scale-up (behavior path only). */
  upWindowSeconds?: number;
  downWindowSeconds: number;
  recommendation: number;
  stabilized: number;
  reason?: 'ScaleUpStabilized' | 'ScaleDownStabilized';
}

/** One scaling policy's allowance for this sync. */
export interface PolicyLimit {
  type: string;
  value: number;
  periodSeconds: number;
  periodStartReplicas: number;
  /** Replica count the policy would allow. */
  limit: number;
}

/** The rate limit that applied (behavior path: policies; legacy path: max(2x, 4)). */
export interface RateLimitExplanation {
  direction: 'up' | 'down';
  selectPolicy?: string;
  limit: number;
  policies: PolicyLimit[];
}

/** What held the final number. */
export interface LimitsExplanation {
  /** The largest metric proposal, before stabilization and limits. */
  prenormalized: number;
  stabilization?: StabilizationExplanation;
  rate?: RateLimitExplanation;
  minReplicas: number;
  maxReplicas: number;
  /** The ScalingLimited reason (DesiredWithinRange, TooFewReplicas, ScaleUpLimit, ...). */
  limitReason?: string;
}

/** The controller's decision for one sync. */
export interface Decision {
  desiredReplicas: number;
  currentReplicas: number;
  /** True when the controller would update the target's scale. */
  rescale: boolean;
  /** The rescale reason the controller puts in its event, when it rescales. */
  rescaleReason?: string;
  /** The metrics could not be computed (ScalingActive False for a reason other than ScalingDisabled). */
  metricsFailed: boolean;
  /** The tolerances this sync used; absent when the engine did not run (the scale could not be read). */
  tolerances?: ToleranceFacts;
  currentMetrics: V2MetricStatus[];
  conditions: DecisionCondition[];
  history: HpaHistory;
  explanation: string[];
  metrics: MetricExplanation[];
  limits?: LimitsExplanation;
}

/** The described object of an Object metric (re-exported so callers need not reach into client-node). */
export type ObjectReference = V2CrossVersionObjectReference;
