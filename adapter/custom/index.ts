/**
 * custom.metrics.k8s.io v1beta1 and v1beta2: metrics describing Kubernetes objects.
 * @module
 */
export { customRouter, type CustomRoutesOptions } from './router.js';
export { describedKind, type DescribedKind } from './kinds.js';
export {
  parseCustomPath,
  parseGroupResource,
  pathSegments,
  ALL_OBJECTS,
  type CustomMetricTarget,
} from './paths.js';
export { milliQuantity, labelSelectorJson, type CustomVersion } from './values.js';
