/**
 * The aggregated API server's application: metrics.k8s.io, custom.metrics.k8s.io,
 * external.metrics.k8s.io, discovery, OpenAPI and health, on the store's readers.
 * @module
 */
export {
  createApiApp,
  groupLabel,
  versionJson,
  type ApiAppOptions,
  type VersionInfo,
} from './app.js';
export {
  sendStatus,
  statusErrorHandler,
  statusOf,
  writeStatus,
  pathNotFound,
  methodNotAllowed,
} from './errors.js';
export { defaultRequestLimits, type RequestLimits } from './request.js';
export * from './auth/index.js';
export * from './tls/index.js';
export { hpaRouter } from './hpa/index.js';
export { kubeRouter, type KubeObjectsReader } from './kube/index.js';
