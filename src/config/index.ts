/**
 * Configuration: the serve flags, the --config file and prometheus-adapter rules, validated with
 * every issue reported by field path.
 * @module
 */
export * from './issues.js';
export * from './flag-spec.js';
export * from './serve-config.js';
export { parseServeConfig, ruleKeys, maxConfigBytes, type ReadFile, type RulesValidator } from './parse-serve.js';
export { readConfigFile } from './load.js';
