/**
 * Kubernetes primitives shared by every module: resource quantities, label and field selectors,
 * label key/value syntax, Go durations and metav1.Status errors. A leaf: imports npm packages only.
 * @module
 */
export * from './quantity.js';
export * from './selector.js';
export * from './label-validation.js';
export * from './duration.js';
export * from './status.js';
export { goQuote } from './go-quote.js';
export * from './time.js';
