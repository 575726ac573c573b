/**
 * Launchers of the processes the parity tests and `bench:peers` compare on one end-to-end cluster:
 * metrics-server and prometheus-adapter at their pinned releases, and scaleplane with the same flags.
 * @module
 */
export {
  fractionOf,
  kubeletArgs,
  metricsServerBinary,
  startMetricsServer,
  type KubeletTrust,
  type MetricsServerOptions,
} from './metrics-server.js';
export {
  prometheusAdapterBinary,
  startPrometheusAdapter,
  type PrometheusAdapterOptions,
} from './prometheus-adapter.js';
export { startScaleplane, type ScaleplaneOptions } from './scaleplane.js';
export {
  launchPeer,
  servingArgs,
  servingCert,
  type PeerCommon,
  type PeerProcess,
} from './process.js';
