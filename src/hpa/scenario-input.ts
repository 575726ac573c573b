/**
 * The scenario contract's edge: a validated scenario (Kubernetes and metrics API objects as JSON)
 * to the engine's parsed input. Metric values are selected by the contract's matching rules and
 * parsed once here; the history's timestamps become ms.
 * @module
 */
import { selectPods } from './compute-metrics.js';
import { parseHistory } from './history.js';
import type { EngineInput } from './input.js';
import { fetchFrom, metricCall, metricSpecs, type MetricFetch } from './metric-fetch.js';
import { snapshotMetrics } from './metrics-client.js';
import { ParseCache } from './parse-cache.js';
import { timeMs } from './time.js';
import type { Scenario } from './types.js';

/** What the metrics client would have answered for each metric spec, from the scenario's values. */
function fetchFromScenario(scenario: Scenario): (MetricFetch | undefined)[] {
  const namespace = scenario.hpa.metadata?.namespace;
  const selected = selectPods(scenario.pods, scenario.scale.selector, namespace);
  // Without a usable selector the controller stops before reading any metric.
  if (!Array.isArray(selected)) return [];
  const source = snapshotMetrics({
    namespace,
    podNames: new Set(selected.map((p) => p.metadata?.name ?? '')),
    podMetrics: scenario.podMetrics,
    customMetrics: scenario.customMetrics,
    externalMetrics: scenario.externalMetrics,
    cache: new ParseCache(),
  });
  return metricSpecs(scenario.hpa).map((spec) => {
    const call = metricCall(spec);
    return call === undefined ? undefined : fetchFrom(source, call);
  });
}

/** The engine input a scenario describes. */
export function inputFromScenario(scenario: Scenario): EngineInput {
  const input: EngineInput = {
    nowMs: timeMs(scenario.now) ?? 0,
    hpa: scenario.hpa,
    scale: scenario.scale,
    pods: scenario.pods,
    metrics: fetchFromScenario(scenario),
  };
  if (scenario.history !== undefined) input.history = parseHistory(scenario.history);
  if (scenario.options !== undefined) input.options = scenario.options;
  return input;
}
