/**
 * The embedded HPA engine: kube-controller-manager's horizontal pod autoscaler algorithm as a pure
 * function from a snapshot (HPA, scale, pods, metric values, remembered state, time) to a decision
 * with the controller's conditions, status metrics, new memory and an explanation. The parsed
 * input (evaluateInput) is what the runtime feeds; the scenario JSON (evaluate) is the CLI's.
 *
 * @example
 * const parsed = parseScenario(JSON.parse(text));
 * if ('scenario' in parsed) console.log(evaluate(parsed.scenario).desiredReplicas);
 * @module
 */
export { evaluate, evaluateInput, defaultMetricSpec } from './evaluate.js';
export { parseScenario, type Issue } from './parse-scenario.js';
export { inputFromScenario } from './scenario-input.js';
export { formatDecisionText } from './format-text.js';
export { formatHistory, parseHistory } from './history.js';
export { formatMilli } from './parse-cache.js';
export { MetricError } from './errors.js';
export {
  metricCall,
  metricSpecs,
  selectorKey,
  labelSelectorOf,
  type MetricCall,
  type MetricFetch,
} from './metric-fetch.js';
export * from './metric-results.js';
export type * from './input.js';
export * from './types.js';
