/**
 * The validated configuration of `scaleplane serve`, grouped by the part that consumes it.
 * Durations are milliseconds. Built only by {@link buildServeConfig}; main.ts maps it onto the
 * constructors of the scraper, adapter and runtime.
 * @module
 */

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
  relist: RelistSchedule;
  maxAgeMs: number;
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
  serving: ServingConfig;
  kubelet: KubeletConfig;
  prometheus: PrometheusConfig;
  /** prometheus-adapter rules from --config (`rules`, `externalRules`, `resourceRules`), as given. */
  rulesDocument?: Record<string, unknown>;
}
