/**
 * Builds a {@link ServeConfig} from resolved flag values and checks the rules that span several
 * flags, the way metrics-server's options.Validate() does.
 * @module
 */
import cron from 'node-cron';
import { parseDuration, parseSelector } from '../k8s/index.js';
import type { FlagValue } from './flag-values.js';
import type { ConfigIssue } from './issues.js';
import { chooseResourceMetricsSource, type ResourceMetricsSource } from './resource-source.js';
import type { RelistSchedule, ServeConfig } from './serve-config.js';
import { rulesWithoutPrometheus } from './serve-halves.js';
import { buildLeaderElection } from './serve-leader.js';

const addressTypes = new Set([
  'Hostname',
  'InternalDNS',
  'InternalIP',
  'ExternalDNS',
  'ExternalIP',
]);

/** Typed accessors over the resolved values; every flag with a default is always present. */
function reader(values: ReadonlyMap<string, FlagValue>) {
  return {
    str: (n: string) => values.get(n) as string,
    opt: (n: string) => {
      const v = values.get(n) as string | undefined;
      return v === undefined || v === '' ? undefined : v;
    },
    num: (n: string) => values.get(n) as number,
    bool: (n: string) => values.get(n) as boolean,
    list: (n: string) => (values.get(n) as string[] | undefined) ?? [],
  };
}

export function buildServeConfig(
  values: ReadonlyMap<string, FlagValue>,
  rulesDocument: Record<string, unknown> | undefined,
): { config: ServeConfig; issues: ConfigIssue[] } {
  const r = reader(values);
  const issues: ConfigIssue[] = [];
  const config: ServeConfig = {
    configFile: r.opt('config'),
    kubeconfig: r.opt('kubeconfig'),
    authenticationKubeconfig: r.opt('authentication-kubeconfig'),
    authorizationKubeconfig: r.opt('authorization-kubeconfig'),
    verbosity: r.num('v'),
    loggingFormat: r.str('logging-format') as ServeConfig['loggingFormat'],
    hpaMode: r.str('hpa-mode') as ServeConfig['hpaMode'],
    hpaSyncPeriodMs: r.num('hpa-sync-period'),
    hpaController: {
      tolerance: r.num('horizontal-pod-autoscaler-tolerance'),
      cpuInitializationPeriodSeconds:
        r.num('horizontal-pod-autoscaler-cpu-initialization-period') / 1000,
      initialReadinessDelaySeconds:
        r.num('horizontal-pod-autoscaler-initial-readiness-delay') / 1000,
      downscaleStabilizationWindowSeconds:
        r.num('horizontal-pod-autoscaler-downscale-stabilization') / 1000,
    },
    simSpeed: r.num('sim-speed'),
    embedded: r.bool('embedded'),
    shutdownGracePeriodMs: r.num('shutdown-grace-period'),
    leaderElection: buildLeaderElection(values, issues),
    serving: {
      bindAddress: r.str('bind-address'),
      securePort: r.num('secure-port'),
      certDir: r.str('cert-dir'),
      tlsCertFile: r.opt('tls-cert-file'),
      tlsPrivateKeyFile: r.opt('tls-private-key-file'),
      tlsMinVersion: r.str('tls-min-version') as ServeConfig['serving']['tlsMinVersion'],
      tlsCipherSuites: r.list('tls-cipher-suites'),
      clientCAFile: r.opt('client-ca-file'),
      requestheaderClientCAFile: r.opt('requestheader-client-ca-file'),
      requestheaderAllowedNames: r.list('requestheader-allowed-names'),
      requestheaderUsernameHeaders: r.list('requestheader-username-headers'),
      requestheaderGroupHeaders: r.list('requestheader-group-headers'),
      requestheaderExtraHeadersPrefix: r.list('requestheader-extra-headers-prefix'),
      tokenCacheTtlMs: r.num('authentication-token-webhook-cache-ttl'),
      authorizedCacheTtlMs: r.num('authorization-webhook-cache-authorized-ttl'),
      unauthorizedCacheTtlMs: r.num('authorization-webhook-cache-unauthorized-ttl'),
      alwaysAllowPaths: r.list('authorization-always-allow-paths'),
      anonymousAuth: r.bool('anonymous-auth'),
      authenticationSkipLookup: r.bool('authentication-skip-lookup'),
      authenticationTolerateLookupFailure: r.bool('authentication-tolerate-lookup-failure'),
    },
    kubelet: {
      source: r.str('kubelet-source') as ServeConfig['kubelet']['source'],
      metricResolutionMs: r.num('metric-resolution'),
      requestTimeoutMs: r.num('kubelet-request-timeout'),
      preferredAddressTypes: r.list('kubelet-preferred-address-types'),
      port: r.num('kubelet-port'),
      useNodeStatusPort: r.bool('kubelet-use-node-status-port'),
      insecureTls: r.bool('kubelet-insecure-tls'),
      certificateAuthority: r.opt('kubelet-certificate-authority'),
      certificateAuthorityText: r.opt('kubelet-certificate-authority-text'),
      clientCertificate: r.opt('kubelet-client-certificate'),
      clientKey: r.opt('kubelet-client-key'),
      tokenFile: r.opt('kubelet-token-file'),
      staticNodesFile: r.opt('kubelet-static-nodes'),
      maxConcurrency: r.num('kubelet-max-concurrency'),
      maxBodyBytes: r.num('kubelet-max-body-bytes'),
      nodeSelector: r.str('node-selector'),
    },
    prometheus: {
      url: r.opt('prometheus-url'),
      tokenFile: r.opt('prometheus-token-file'),
      caFile: r.opt('prometheus-ca-file'),
      clientCertFile: r.opt('prometheus-client-tls-cert-file'),
      clientKeyFile: r.opt('prometheus-client-tls-key-file'),
      basicAuthUser: r.opt('prometheus-basic-auth-user'),
      basicAuthPasswordFile: r.opt('prometheus-basic-auth-password-file'),
      headers: parseHeaders(r.list('prometheus-header'), issues),
      timeoutMs: r.num('prometheus-timeout'),
      maxResponseBytes: r.num('prometheus-max-response-bytes'),
      relist: parseRelist(r.str('metrics-relist-interval'), issues),
      maxAgeMs: r.num('metrics-max-age'),
      authConfig: r.opt('prometheus-auth-config'),
      authInCluster: r.bool('prometheus-auth-incluster'),
      verb: r.str('prometheus-verb') as ServeConfig['prometheus']['verb'],
    },
    rulesDocument,
    resourceMetrics: { source: 'kubelet', reason: '' },
    clientRateLimit: { qps: r.num('client-qps'), burst: r.num('client-burst') },
    shutdownDelayMs: r.num('shutdown-delay-duration'),
    ignoredPeerFlags: [],
  };
  const resource = chooseResourceMetricsSource({
    flag: r.opt('resource-metrics-source') as ResourceMetricsSource | undefined,
    hasResourceRules: rulesDocument?.resourceRules != null,
    prometheusUrl: config.prometheus.url,
  });
  config.resourceMetrics = resource.choice;
  issues.push(...resource.issues, ...crossFieldIssues(config), ...rulesWithoutPrometheus(config));
  return { config, issues };
}

function parseHeaders(lines: readonly string[], issues: ConfigIssue[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      issues.push({
        path: '--prometheus-header',
        message: `must be 'Name: value', not ${JSON.stringify(line)}`,
      });
      continue;
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A Go duration is a fixed period; anything else must be a cron expression node-cron accepts. */
function parseRelist(text: string, issues: ConfigIssue[]): RelistSchedule {
  try {
    return { kind: 'period', periodMs: parseDuration(text) };
  } catch {
    if (cron.validate(text)) return { kind: 'cron', expression: text };
    issues.push({
      path: '--metrics-relist-interval',
      message: `must be a duration such as 10m or a cron expression, not ${JSON.stringify(text)}`,
    });
    return { kind: 'period', periodMs: 600_000 };
  }
}

function pairIssue(
  a: string | undefined,
  b: string | undefined,
  flagA: string,
  flagB: string,
): ConfigIssue[] {
  if ((a === undefined) === (b === undefined)) return [];
  const missing = a === undefined ? flagA : flagB;
  const other = a === undefined ? flagB : flagA;
  return [{ path: `--${missing}`, message: `required when --${other} is set` }];
}

function crossFieldIssues(c: ServeConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const k = c.kubelet;
  // metrics-server options.Validate: the kubelet request must end well inside one resolution,
  // so a slow node cannot push a scrape into the next tick.
  if (k.requestTimeoutMs > k.metricResolutionMs * 0.9) {
    issues.push({
      path: '--kubelet-request-timeout',
      message: `must be <= 90% of --metric-resolution (${k.metricResolutionMs * 0.9} ms), not ${k.requestTimeoutMs} ms`,
    });
  }
  if (k.metricResolutionMs < 1000)
    issues.push({ path: '--metric-resolution', message: 'must be at least 1s' });
  if (k.requestTimeoutMs <= 0)
    issues.push({ path: '--kubelet-request-timeout', message: 'must be positive' });
  if (c.hpaSyncPeriodMs < 1000)
    issues.push({ path: '--hpa-sync-period', message: 'must be at least 1s' });
  for (const t of k.preferredAddressTypes) {
    if (!addressTypes.has(t))
      issues.push({
        path: '--kubelet-preferred-address-types',
        message: `unknown address type ${JSON.stringify(t)}; use ${[...addressTypes].join(', ')}`,
      });
  }
  try {
    parseSelector(k.nodeSelector);
  } catch (err) {
    issues.push({ path: '--node-selector', message: (err as Error).message });
  }
  issues.push(
    ...pairIssue(
      c.serving.tlsCertFile,
      c.serving.tlsPrivateKeyFile,
      'tls-cert-file',
      'tls-private-key-file',
    ),
  );
  issues.push(
    ...pairIssue(
      k.clientCertificate,
      k.clientKey,
      'kubelet-client-certificate',
      'kubelet-client-key',
    ),
  );
  const p = c.prometheus;
  issues.push(
    ...pairIssue(
      p.clientCertFile,
      p.clientKeyFile,
      'prometheus-client-tls-cert-file',
      'prometheus-client-tls-key-file',
    ),
  );
  issues.push(
    ...pairIssue(
      p.basicAuthUser,
      p.basicAuthPasswordFile,
      'prometheus-basic-auth-user',
      'prometheus-basic-auth-password-file',
    ),
  );
  if (p.url !== undefined && !/^https?:\/\/[^\s/]+/.test(p.url)) {
    issues.push({
      path: '--prometheus-url',
      message: `must be an http:// or https:// URL, not ${JSON.stringify(p.url)}`,
    });
  }
  if (p.tokenFile && p.basicAuthUser) {
    issues.push({
      path: '--prometheus-token-file',
      message: 'cannot be combined with --prometheus-basic-auth-user',
    });
  }
  issues.push(...prometheusAuthIssues(p));
  for (const path of c.serving.alwaysAllowPaths) {
    if (!path.startsWith('/'))
      issues.push({
        path: '--authorization-always-allow-paths',
        message: `paths must start with /, not ${JSON.stringify(path)}`,
      });
  }
  return issues;
}

/**
 * prometheus-adapter's makeKubeconfigHTTPClient refuses in-cluster auth with an explicit
 * kubeconfig; its makePromClient then lets --prometheus-ca-file replace the kubeconfig's transport
 * silently. Both combinations are refused here, so no credential is dropped without a word.
 */
function prometheusAuthIssues(p: ServeConfig['prometheus']): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (p.authConfig !== undefined && p.authInCluster)
    issues.push({
      path: '--prometheus-auth-incluster',
      message:
        'cannot be combined with --prometheus-auth-config (choose one source of credentials)',
    });
  const kubeAuth =
    p.authConfig !== undefined
      ? '--prometheus-auth-config'
      : p.authInCluster
        ? '--prometheus-auth-incluster'
        : undefined;
  if (kubeAuth === undefined) return issues;
  const clash: Array<[string | undefined, string]> = [
    [p.caFile, 'prometheus-ca-file'],
    [p.clientCertFile, 'prometheus-client-tls-cert-file'],
    [p.basicAuthUser, 'prometheus-basic-auth-user'],
  ];
  for (const [value, flag] of clash)
    if (value !== undefined)
      issues.push({
        path: `--${flag}`,
        message: `cannot be combined with ${kubeAuth}, which gives Prometheus' TLS and credentials (only --prometheus-token-file may replace its token)`,
      });
  return issues;
}
