/**
 * The scraper: everything that fills the store from kubelets, through src/store's sink. This file
 * is the folder's whole public surface (design habit 1): main.ts builds the kubelet scraper with
 * {@link createKubeletScraper}; tests, the benchmark and the embedded demo also use the pieces.
 * @module
 */
export {
  createKubeletScraper,
  decoders,
  type KubeletScraper,
  type KubeletScraperDeps,
} from './kubelet-scraper.js';
export { KubeletScrapeLoop, type CycleReport, type KubeletScrapeLoopOptions } from './loop.js';
export { jitterWindowMs, scrapeTargets, type CycleDeps, type NodeOutcome } from './cycle.js';
export { NodeBackoff, type BackoffPolicy } from './backoff.js';
export { mergeNodeParts, type MergedBatch, type NodePart } from './merge.js';

export {
  defaultKubeletScrapeOptions,
  defaultPreferredAddressTypes,
  isNodeAddressType,
  minProductionResolutionMs,
  nodeAddressTypes,
  validateKubeletScrapeOptions,
  type KubeletScrapeOptions,
  type KubeletSourceKind,
  type NodeAddressType,
  type ValidateKubeletOptions,
} from './kubelet/options.js';
export {
  kubeletPath,
  kubeletPort,
  kubeletUrl,
  nodeIsReady,
  preferredNodeAddress,
  resourceMetricsPathAnnotation,
  sourcePath,
  targetForNode,
  type NodeAddressingOptions,
} from './kubelet/address.js';
export type { KubeletTarget, NodeMetricsGetter, ScrapeTargets } from './kubelet/targets.js';
export {
  StaticTargets,
  parseStaticNodes,
  readStaticNodesFile,
  type StaticNodesResult,
} from './kubelet/static-nodes.js';
export { ClusterViewTargets } from './kubelet/cluster-targets.js';
export {
  KubeletHttpClient,
  type KubeletGetOptions,
  type KubeletHttpClientOptions,
} from './kubelet/client.js';
export { KubeletMetricsGetter, type KubeletMetricsGetterOptions } from './kubelet/getter.js';
export {
  KubeletScrapeError,
  reasonForNetworkError,
  type ScrapeFailureReason,
} from './kubelet/errors.js';
export { loadKubeletTls, type KubeletTlsFiles, type KubeletTlsMaterial } from './kubelet/tls.js';
export {
  FileTokenSource,
  type BearerTokenSource,
  type FileTokenSourceOptions,
} from './kubelet/token.js';

// The pure decoders (design habit 6).
export { DecodeError, type DecodedNode, type KubeletDecoder } from './kubelet/decode.js';
export { decodeResourceMetrics } from './kubelet/decode-resource.js';
export { decodeSummary } from './kubelet/decode-summary.js';

// Simulated kubelets for the embedded demo cluster, tests and benchmarks.
export {
  KubeletSimulator,
  buildSimNodes,
  type KubeletSimulatorOptions,
  type SimFault,
  type SimPodRefFn,
} from './sim/kubelet-simulator.js';
export {
  WorldKubelets,
  renderResource,
  renderSummary,
  type WorldContainer,
  type WorldKubeletsOptions,
  type WorldNode,
  type WorldPod,
} from './sim/world-kubelets.js';
export {
  SimNode,
  goFloat,
  type SimContainerRef,
  type SimPod,
  type SimUsageFn,
} from './sim/render.js';
