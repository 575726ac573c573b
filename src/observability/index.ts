/**
 * Observability leaf: JSON-line logger, self-metrics, clock and health checks.
 * @module
 */
export * from './logger.js';
export * from './clock.js';
export * from './health.js';
export * from './metrics.js';
export * from './shutdown-gate.js';
export * from './log-format.js';
export * from './log-sink.js';
