/**
 * Configuration: the serve flags, the --config file and prometheus-adapter rules, validated with
 * every issue reported by field path.
 * @module
 */
export * from './issues.js';
export * from './flag-spec.js';
export * from './peer-flags.js';
export * from './serve-config.js';
export * from './resource-source.js';
export {
  configuredRuleKeys,
  idleSettingWarnings,
  isRulesWithoutPrometheus,
} from './serve-halves.js';
export {
  parseServeConfig,
  ruleKeys,
  maxConfigBytes,
  type ReadFile,
  type RulesValidator,
} from './parse-serve.js';
export { readConfigFile } from './load.js';
export * from './rules.js';
export {
  compileGoRegex,
  goExpand,
  goRegexExec,
  goRegexTest,
  GoRegexError,
  type GoRegex,
} from './rules-regex.js';
export { parseGoTemplate, TemplateError, type GoTemplate } from './rules-template.js';
export {
  executeGoTemplate,
  queryTemplateSchema,
  resourceTemplateSchema,
  type TemplateData,
  type TemplateSchema,
} from './rules-template-exec.js';
export { parsePrometheusDuration } from './rules-duration.js';
export { parseSeriesSelector, type LabelMatcher } from './rules-selector.js';
export type { DiscoveryPreview, MetricPreview, SelectorFailure } from './discovery-preview.js';
