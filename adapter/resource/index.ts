/**
 * metrics.k8s.io/v1beta1: node and pod CPU and memory, as metrics-server serves them.
 * @module
 */
export { resourceRouter, type ResourceRoutesOptions } from './router.js';
export { formatBytes, formatDecimalSI, formatNanoCores, formatTime } from './format.js';
export { SELECTABLE_FIELDS } from './select.js';
