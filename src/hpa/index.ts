/**
 * The embedded HPA engine: kube-controller-manager's horizontal pod autoscaler algorithm as a pure
 * function from a snapshot (HPA, scale, pods, metric values, remembered state, time) to a decision
 * with the controller's conditions, status metrics, new memory and an explanation.
 *
 * @example
 * const parsed = parseScenario(JSON.parse(text));
 * if ('scenario' in parsed) console.log(evaluate(parsed.scenario).desiredReplicas);
 * @module
 */
export { evaluate, defaultMetricSpec } from './evaluate.js';
export { parseScenario, type Issue } from './parse-scenario.js';
export { formatDecisionText } from './format-text.js';
export * from './types.js';
