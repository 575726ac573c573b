/**
 * The cluster view: the Kubernetes objects that selectors and the HPA engine need.
 * @module
 */
export type * from './view.js';
export type * from './types.js';
export * from './kubeconfig.js';
export { KubeCluster, type KubeClusterOptions } from './kube-cluster.js';
export {
  KubeClusterView,
  UnknownResourceError,
  type KubeClusterViewOptions,
} from './cluster-view.js';
export { KubeHpaSource, type KubeHpaSourceOptions } from './hpa-source.js';
export {
  KubeScaleReader,
  ScaleError,
  decodeScale,
  parseGroupVersion,
  type ScaleErrorCode,
} from './scale-reader.js';
export { ApiDiscovery, type ApiResource, type ApiDiscoveryOptions } from './discovery.js';
export { KubeEventRecorder, type KubeEventRecorderOptions } from './event-recorder.js';
export { EventCorrelator, type EventSource, type CorrelatedEvent } from './event-correlator.js';
export { KubeHttpClient, KubeApiError, type KubeApi, type KubeRequest } from './kube-api.js';
export {
  MetricsApiClient,
  MetricsApiError,
  MetricsDecodeError,
  metricsApiVersions,
  decodePodMetricsList,
  decodeMetricValueList,
  decodeExternalMetricValueList,
  type MetricsApiGroup,
  type MetricsApiClientOptions,
  type PodMetricsItem,
  type CustomMetricValueItem,
  type ExternalMetricValueItem,
} from './metrics-api.js';
export { ManagedInformer, type InformerState, type ManagedInformerOptions } from './informer.js';
export { clusterHealthCheck, type ClusterHealthOptions, type InformerStates } from './health.js';
export { RestartBackoff, type BackoffOptions } from './backoff.js';
export {
  TokenBucket,
  clientRateLimiter,
  rateLimitedApi,
  type RateLimiter,
  type TokenBucketOptions,
} from './rate-limit.js';
export {
  LeaderElector,
  defaultLeaderElectionTimings,
  leaderElectionJitterFactor,
  type LeaderElectorOptions,
  type LeaderElectionTimings,
  type LeadershipGate,
} from './leader-election.js';
export {
  LeaseClient,
  decodeLease,
  formatMicroTime,
  type LeaseRecord,
  type ObservedLease,
} from './lease.js';
export {
  LeaderGatedEventRecorder,
  type LeaderGatedEventRecorderOptions,
} from './leader-gated-events.js';
