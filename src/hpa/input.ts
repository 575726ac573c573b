/**
 * The engine's parsed input: everything the controller reads at one sync, with metric values in
 * thousandths, times in ms and the controller's memory typed. The runtime builds it straight from
 * its store and keeps the returned memory as it is; `hpa evaluate` builds it from a scenario
 * (inputFromScenario), parsing the contract's strings once at that edge.
 * @module
 */
import type { V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { ParsedHistory } from './history.js';
import type { MetricFetch } from './metric-fetch.js';
import type { Decision, EngineOptions, ScaleSnapshot, ToleranceFacts } from './types.js';

export type { ParsedHistory } from './history.js';
export type { Recommendation } from './stabilization.js';
export type { ScaleEvent } from './behavior.js';

/** One sync's inputs, parsed. */
export interface EngineInput {
  /** The sync time; the engine never reads the wall clock. */
  nowMs: number;
  hpa: V2HorizontalPodAutoscaler;
  scale: ScaleSnapshot;
  /** The pods the controller's lister returns; those the scale selector picks in the HPA's namespace count. */
  pods: readonly V1Pod[];
  /**
   * What the metrics client answered for each metric spec, by index in spec.metrics (or the
   * default CPU metric); see metricCall for the call each spec makes.
   */
  metrics: readonly (MetricFetch | undefined)[];
  /** Absent on the HPA's first sync: the current size is then recorded as a recommendation. */
  history?: ParsedHistory;
  options?: Partial<EngineOptions>;
}

/** A decision of an engine run: its tolerance facts are always there. */
export type EngineDecision = Decision & { tolerances: ToleranceFacts };

/** A decision and the controller's memory to pass to the next sync, parsed. */
export interface Evaluation {
  decision: EngineDecision;
  history: ParsedHistory;
}
