/**
 * external.metrics.k8s.io/v1beta1: metrics not tied to a Kubernetes object.
 * @module
 */
export {
  externalRouter,
  externalMetricValueListJson,
  type ExternalRoutesOptions,
} from './router.js';
