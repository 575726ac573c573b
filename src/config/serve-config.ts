/**
 * The validated configuration of `scaleplane serve`, grouped by the part that consumes it.
 * Durations are milliseconds. Built only by {@link buildServeConfig}; main.ts maps it onto the
 * constructors of the scraper, adapter and runtime.
 * @module
 */
import type { ResourceMetricsChoice } from './resource-source.js';
import type { LeaderElectionConfig } from './serve-leader.js';

export type { LeaderElectionConfig } from './serve-leader.js';

export type KubeletSource = 'resource' | 'summary';
export type HpaMode = 'off' | 'recommend';
export type RelistSchedule =
  { kind: 'period'; periodMs: number } | { kind: 'cron'; expression: string };

export interface ServingConfig {
  bindAddress: string;
  securePort: number;
  certDir: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  tlsMinVersion: 'VersionTLS12' | 'VersionTLS13';
  tlsCipherSuites: string[];
  clientCAFile?: string;
  requestheaderClientCAFile?: string;
  requestheaderAllowedNames: string[];
  requestheaderUsernameHeaders: string[];
  requestheaderGroupHeaders: string[];
  requestheaderExtraHeadersPrefix: string[];
  tokenCacheTtlMs: number;
  authorizedCacheTtlMs: number;
  unauthorizedCacheTtlMs: number;
  alwaysAllowPaths: string[];
  anonymousAuth: boolean;
  /** --authentication-skip-lookup: no extension-apiserver-authentication ConfigMap lookup. */
  authenticationSkipLookup: boolean;
  /** --authentication-tolerate-lookup-failure. */
  authenticationTolerateLookupFailure: boolean;
}

export interface KubeletConfig {
  source: KubeletSource;
  metricResolutionMs: number;
  requestTimeoutMs: number;
  preferredAddressTypes: string[];
  port: number;
  useNodeStatusPort: boolean;
  insecureTls: boolean;
  certificateAuthority?: string;
  /** --kubelet-certificate-authority-text: the CA bundle itself (metrics-server). */
  certificateAuthorityText?: string;
  clientCertificate?: string;
  clientKey?: string;
  tokenFile?: string;
  staticNodesFile?: string;
  maxConcurrency: number;
  maxBodyBytes: number;
  nodeSelector: string;
}

export interface PrometheusConfig {
  url?: string;
  tokenFile?: string;
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  basicAuthUser?: string;
  basicAuthPasswordFile?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** `--prometheus-max-response-bytes`: answers above it are refused while they stream. */
  maxResponseBytes: number;
  relist: RelistSchedule;
  maxAgeMs: number;
  /** --prometheus-auth-config: kubeconfig file whose current context gives TLS and credentials. */
  authConfig?: string;
  /** --prometheus-auth-incluster: the service account token and CA. */
  authInCluster: boolean;
  /** --prometheus-verb. */
  verb: 'GET' | 'POST';
}

/**
 * kube-controller-manager's --horizontal-pod-autoscaler-* flags that the embedded engine mirrors,
 * shaped as the engine's EngineOptions (src/hpa/types.ts) so they pass through unchanged.
 */
export interface HpaControllerFlags {
  tolerance: number;
  cpuInitializationPeriodSeconds: number;
  initialReadinessDelaySeconds: number;
  downscaleStabilizationWindowSeconds: number;
}

export interface ServeConfig {
  configFile?: string;
  kubeconfig?: string;
  authenticationKubeconfig?: string;
  authorizationKubeconfig?: string;
  verbosity: number;
  loggingFormat: 'json' | 'text';
  hpaMode: HpaMode;
  hpaSyncPeriodMs: number;
  hpaController: HpaControllerFlags;
  simSpeed: number;
  embedded: boolean;
  shutdownGracePeriodMs: number;
  leaderElection: LeaderElectionConfig;
  serving: ServingConfig;
  kubelet: KubeletConfig;
  prometheus: PrometheusConfig;
  /** Where metrics.k8s.io comes from, and why (resource-source.ts). */
  resourceMetrics: ResourceMetricsChoice;
  /** prometheus-adapter rules from --config (`rules`, `externalRules`, `resourceRules`), as given. */
  rulesDocument?: Record<string, unknown>;
  /** --client-qps / --client-burst: the Kubernetes API client's token bucket; qps 0 is no limit. */
  clientRateLimit: { qps: number; burst: number };
  /** --shutdown-delay-duration: readiness fails and serving goes on this long after SIGTERM. */
  shutdownDelayMs: number;
  /** Peer flags accepted without effect (peer-flags.ts), named in one warning at start. */
  ignoredPeerFlags: string[];
  /** A peer binary path given as the first argument (`/adapter`), ignored and warned about. */
  peerCommand?: string;
}
