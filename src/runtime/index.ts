/**
 * The HPA runtime: the embedded engine run on every HPA of the cluster each sync period, with
 * each HPA's history kept as the controller keeps it, published as a DecisionReader.
 * @module
 */
export type * from './types.js';
export { HpaRuntime, type HpaRuntimeOptions } from './hpa-runtime.js';
export { collectInputs, type ScenarioInputs } from './inputs.js';
export {
  fetchMetrics,
  MetricsReadError,
  type MetricsClient,
  type FetchError,
  type FetchedMetrics,
} from './metrics-client.js';
export { StoreMetricsClient, type StoreMetricsClientOptions } from './store-metrics-client.js';
export {
  resolveObjectResource,
  guessResource,
  type ObjectResourceResolver,
} from './object-resource.js';
export {
  judgeAgreement,
  describeRule,
  type DisagreementMemory,
  type DisagreementVerdict,
} from './disagreement.js';
export { rfc3339, milliQuantity } from './metric-values.js';
export {
  explainHpa,
  type ExplainRequest,
  type ExplainReport,
  type ExplainResult,
  type ExplainedMetric,
} from './explain.js';
export {
  createHpaExplainCommand,
  hpaExplainCommand,
  type HpaExplainDeps,
  type ExplainIo,
} from './explain-command.js';
export { formatExplainText } from './explain-format.js';
export { ExplainError } from './explain-errors.js';
