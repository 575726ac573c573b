/**
 * The kubelet scraping options and their validation. The option shape is src/config's
 * `KubeletConfig` (the `--kubelet-*`, `--metric-resolution` and `--node-selector` flags, durations
 * in milliseconds), so the config layer hands its value over unchanged; the rules below are the
 * ones metrics-server applies in cmd/metrics-server/app/options (options.go `validate`,
 * kubelet_client.go `Validate`), reported as every issue with its flag path.
 * @module
 */
import type { ConfigIssue, KubeletConfig } from '../../src/config/index.js';

/** Everything the kubelet scraper reads from the serve flags. */
export type KubeletScrapeOptions = KubeletConfig;

/** Which kubelet endpoint is scraped: `/metrics/resource` (default) or `/stats/summary`. */
export type KubeletSourceKind = KubeletConfig['source'];

/** Node address types, as `corev1.NodeAddressType`. */
export const nodeAddressTypes = [
  'Hostname',
  'InternalDNS',
  'InternalIP',
  'ExternalDNS',
  'ExternalIP',
] as const;
export type NodeAddressType = (typeof nodeAddressTypes)[number];

/**
 * metrics-server's address preference (pkg/utils/address_resolver.go DefaultAddressTypePriority):
 * overrides before others, internal before external, DNS before IPs.
 */
export const defaultPreferredAddressTypes: readonly NodeAddressType[] = nodeAddressTypes;

/** The flag defaults (flags.md), for callers that build options without the CLI. */
export const defaultKubeletScrapeOptions: KubeletScrapeOptions = {
  source: 'resource',
  metricResolutionMs: 15_000,
  requestTimeoutMs: 10_000,
  preferredAddressTypes: [...defaultPreferredAddressTypes],
  port: 10250,
  useNodeStatusPort: false,
  insecureTls: false,
  maxConcurrency: 64,
  maxBodyBytes: 10 * 1024 * 1024,
  nodeSelector: '',
};

/** metrics-server refuses a resolution under 10 s: the kubelet itself computes usage every ~15 s. */
export const minProductionResolutionMs = 10_000;

export interface ValidateKubeletOptions {
  /**
   * Lowest accepted `--metric-resolution`. Production keeps metrics-server's 10 s; tests and the
   * time-compressed embedded mode pass a smaller floor explicitly.
   */
  minResolutionMs?: number;
}

/** Every problem with `o`, each with the flag it concerns; empty when the options are usable. */
export function validateKubeletScrapeOptions(
  o: KubeletScrapeOptions,
  v: ValidateKubeletOptions = {},
): ConfigIssue[] {
  return [
    ...timingIssues(o, v.minResolutionMs ?? minProductionResolutionMs),
    ...tlsIssues(o),
    ...targetIssues(o),
  ];
}

function timingIssues(o: KubeletScrapeOptions, minResolutionMs: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!Number.isFinite(o.metricResolutionMs) || o.metricResolutionMs < minResolutionMs) {
    issues.push({
      path: '--metric-resolution',
      message: `must be at least ${minResolutionMs} ms, not ${o.metricResolutionMs} ms`,
    });
  }
  if (!Number.isFinite(o.requestTimeoutMs) || o.requestTimeoutMs <= 0) {
    issues.push({ path: '--kubelet-request-timeout', message: 'must be positive' });
  } else if (o.requestTimeoutMs * 10 > o.metricResolutionMs * 9) {
    // options.go validate: `MetricResolution*9/10 < KubeletRequestTimeout` is an error, so a slow
    // kubelet is given up on before the next tick; compared in integers, as Go does on durations.
    issues.push({
      path: '--kubelet-request-timeout',
      message: `must be at most 90% of --metric-resolution (${(o.metricResolutionMs * 9) / 10} ms), not ${o.requestTimeoutMs} ms`,
    });
  }
  return issues;
}

function tlsIssues(o: KubeletScrapeOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // kubelet_client.go Validate: a CA and "do not verify" contradict each other.
  if (o.certificateAuthority && o.insecureTls) {
    issues.push({
      path: '--kubelet-certificate-authority',
      message: 'cannot be combined with --kubelet-insecure-tls',
    });
  }
  // kubelet_client.go Validate: the inline CA contradicts the CA file and "do not verify".
  if (o.certificateAuthorityText && (o.certificateAuthority || o.insecureTls)) {
    issues.push({
      path: '--kubelet-certificate-authority-text',
      message: `cannot be combined with ${o.certificateAuthority ? '--kubelet-certificate-authority' : '--kubelet-insecure-tls'}`,
    });
  }
  if (
    o.certificateAuthorityText &&
    !o.certificateAuthorityText.includes('-----BEGIN CERTIFICATE-----')
  ) {
    issues.push({
      path: '--kubelet-certificate-authority-text',
      message: 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)',
    });
  }
  // kubelet_client.go Validate: "need both --kubelet-client-key and --kubelet-client-certificate".
  if (Boolean(o.clientCertificate) !== Boolean(o.clientKey)) {
    const missing = o.clientCertificate ? '--kubelet-client-key' : '--kubelet-client-certificate';
    const other = o.clientCertificate ? '--kubelet-client-certificate' : '--kubelet-client-key';
    issues.push({ path: missing, message: `required when ${other} is set` });
  }
  return issues;
}

function targetIssues(o: KubeletScrapeOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (o.source !== 'resource' && o.source !== 'summary') {
    issues.push({
      path: '--kubelet-source',
      message: `must be resource or summary, not ${JSON.stringify(o.source)}`,
    });
  }
  if (o.preferredAddressTypes.length === 0) {
    issues.push({
      path: '--kubelet-preferred-address-types',
      message: 'must name at least one address type',
    });
  }
  o.preferredAddressTypes.forEach((t, i) => {
    if (!(nodeAddressTypes as readonly string[]).includes(t)) {
      issues.push({
        path: `--kubelet-preferred-address-types[${i}]`,
        message: `unknown address type ${JSON.stringify(t)}; use ${nodeAddressTypes.join(', ')}`,
      });
    }
  });
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
    issues.push({
      path: '--kubelet-port',
      message: `must be an integer in 1..65535, not ${o.port}`,
    });
  }
  if (!Number.isInteger(o.maxConcurrency) || o.maxConcurrency < 1) {
    issues.push({
      path: '--kubelet-max-concurrency',
      message: `must be a positive integer, not ${o.maxConcurrency}`,
    });
  }
  if (!Number.isInteger(o.maxBodyBytes) || o.maxBodyBytes < 1) {
    issues.push({
      path: '--kubelet-max-body-bytes',
      message: `must be a positive integer, not ${o.maxBodyBytes}`,
    });
  }
  if (o.staticNodesFile && o.nodeSelector.trim() !== '') {
    // The selector filters the Nodes informer; a static list has no labels to match it against.
    issues.push({
      path: '--node-selector',
      message: 'cannot be combined with --kubelet-static-nodes',
    });
  }
  return issues;
}

/** Whether `t` is one of the address types a node status can carry. */
export function isNodeAddressType(t: string): t is NodeAddressType {
  return (nodeAddressTypes as readonly string[]).includes(t);
}
