/**
 * The typed description of every `scaleplane serve` flag: its kind, default and help. Flags take
 * metrics-server's and prometheus-adapter's names wherever both mean the same, so existing
 * Deployments' args carry over.
 * @module
 */

export type FlagKind = 'string' | 'duration' | 'int' | 'float' | 'bool' | 'list' | 'repeatable';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  /** Default as the user would write it on the command line; absent means unset. */
  readonly default?: string;
  /** Allowed values, for enum-like string flags. */
  readonly oneOf?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

const tlsVersions = ['VersionTLS12', 'VersionTLS13'] as const;

export const serveFlags = {
  // General
  config: {
    kind: 'string',
    help: 'YAML config file: flag names in camelCase, plus prometheus-adapter rules',
  },
  kubeconfig: { kind: 'string', help: 'kubeconfig of the cluster; in-cluster config when absent' },
  'authentication-kubeconfig': {
    kind: 'string',
    help: 'kubeconfig for TokenReview (defaults to --kubeconfig)',
  },
  'authorization-kubeconfig': {
    kind: 'string',
    help: 'kubeconfig for SubjectAccessReview (defaults to --kubeconfig)',
  },
  v: { kind: 'int', default: '0', min: 0, max: 10, help: 'log verbosity: 0-1 info, 2+ debug' },
  'logging-format': {
    kind: 'string',
    default: 'json',
    oneOf: ['json', 'text'],
    help: 'log line format: json (one object per line) or text (klog-style one line)',
  },
  'hpa-mode': {
    kind: 'string',
    default: 'recommend',
    oneOf: ['off', 'recommend'],
    help: 'run the embedded HPA engine on every HPA',
  },
  'hpa-sync-period': {
    kind: 'duration',
    default: '15s',
    help: 'how often HPAs are evaluated (the controller default)',
  },
  // The kube-controller-manager flags that shape the algorithm, under the controller's own names:
  // a recommendation can only match the controller's when both use the same values.
  'horizontal-pod-autoscaler-tolerance': {
    kind: 'float',
    default: '0.1',
    min: 0,
    max: 1000,
    help: "the controller's --horizontal-pod-autoscaler-tolerance",
  },
  'horizontal-pod-autoscaler-cpu-initialization-period': {
    kind: 'duration',
    default: '5m',
    help: "the controller's --horizontal-pod-autoscaler-cpu-initialization-period",
  },
  'horizontal-pod-autoscaler-initial-readiness-delay': {
    kind: 'duration',
    default: '30s',
    help: "the controller's --horizontal-pod-autoscaler-initial-readiness-delay",
  },
  'horizontal-pod-autoscaler-downscale-stabilization': {
    kind: 'duration',
    default: '5m',
    help: "the controller's --horizontal-pod-autoscaler-downscale-stabilization",
  },
  'sim-speed': {
    kind: 'float',
    default: '1',
    min: 1,
    max: 1000,
    help: 'embedded mode only: time compression factor',
  },
  embedded: {
    kind: 'bool',
    default: 'false',
    help: 'serve a simulated cluster on 127.0.0.1 and contact no real one (npm start)',
  },
  'shutdown-grace-period': {
    kind: 'duration',
    default: '30s',
    help: 'time to finish in-flight requests on SIGTERM',
  },

  // Leader election (component-base's --leader-elect-* names): one replica writes Events.
  'leader-elect': {
    kind: 'bool',
    default: 'true',
    help: 'elect one replica through a coordination.k8s.io Lease to write Events (every replica serves)',
  },
  'leader-elect-lease-duration': {
    kind: 'duration',
    default: '15s',
    help: 'how long a candidate waits on an unrenewed Lease before taking it over',
  },
  'leader-elect-renew-deadline': {
    kind: 'duration',
    default: '10s',
    help: 'how long the leader retries renewing before it stops writing',
  },
  'leader-elect-retry-period': {
    kind: 'duration',
    default: '2s',
    help: 'time between attempts to acquire or renew the Lease',
  },
  'leader-elect-resource-name': {
    kind: 'string',
    default: 'scaleplane',
    help: 'name of the leader-election Lease',
  },
  'leader-elect-resource-namespace': {
    kind: 'string',
    default: 'kube-system',
    help: 'namespace of the leader-election Lease',
  },

  // Serving
  'bind-address': { kind: 'string', default: '0.0.0.0', help: 'address to listen on' },
  'secure-port': { kind: 'int', default: '6443', min: 0, max: 65535, help: 'HTTPS port' },
  'cert-dir': {
    kind: 'string',
    default: 'apiserver.local.config/certificates',
    help: 'where a self-signed certificate is written when none is given',
  },
  'tls-cert-file': { kind: 'string', help: 'serving certificate (reloaded when it changes)' },
  'tls-private-key-file': { kind: 'string', help: 'serving key (reloaded when it changes)' },
  'tls-min-version': {
    kind: 'string',
    default: 'VersionTLS12',
    oneOf: tlsVersions,
    help: 'minimum TLS version',
  },
  'tls-cipher-suites': { kind: 'list', help: 'Go cipher suite names allowed for TLS 1.2' },
  'client-ca-file': { kind: 'string', help: 'CA for client certificates' },
  'requestheader-client-ca-file': {
    kind: 'string',
    help: 'CA for the front proxy (aggregator) certificate',
  },
  'requestheader-allowed-names': {
    kind: 'list',
    help: 'front-proxy certificate common names allowed',
  },
  'requestheader-username-headers': {
    kind: 'list',
    default: 'X-Remote-User',
    help: 'headers carrying the user name',
  },
  'requestheader-group-headers': {
    kind: 'list',
    default: 'X-Remote-Group',
    help: 'headers carrying groups',
  },
  'requestheader-extra-headers-prefix': {
    kind: 'list',
    default: 'X-Remote-Extra-',
    help: 'header prefixes carrying extra user info',
  },
  'authentication-token-webhook-cache-ttl': {
    kind: 'duration',
    default: '10s',
    help: 'TokenReview cache lifetime',
  },
  'authorization-webhook-cache-authorized-ttl': {
    kind: 'duration',
    default: '10s',
    help: 'allow cache lifetime',
  },
  'authorization-webhook-cache-unauthorized-ttl': {
    kind: 'duration',
    default: '10s',
    help: 'deny cache lifetime',
  },
  'authorization-always-allow-paths': {
    kind: 'list',
    default: '/healthz,/readyz,/livez',
    help: 'paths served without authorization',
  },
  'anonymous-auth': {
    kind: 'bool',
    default: 'false',
    help: 'let unauthenticated requests reach authorization as system:anonymous',
  },

  // Kubelet scraping
  'kubelet-source': {
    kind: 'string',
    default: 'resource',
    oneOf: ['resource', 'summary'],
    help: 'kubelet endpoint: /metrics/resource or /stats/summary',
  },
  'metric-resolution': { kind: 'duration', default: '15s', help: 'scrape period' },
  'kubelet-request-timeout': {
    kind: 'duration',
    default: '10s',
    help: 'per-kubelet request timeout (<= 90% of --metric-resolution)',
  },
  'kubelet-preferred-address-types': {
    kind: 'list',
    default: 'Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP',
    help: 'node address types, in order of preference',
  },
  'kubelet-port': {
    kind: 'int',
    default: '10250',
    min: 1,
    max: 65535,
    help: 'kubelet port when the node status gives none',
  },
  'kubelet-use-node-status-port': {
    kind: 'bool',
    default: 'false',
    help: "use the port in the node's status.daemonEndpoints",
  },
  'kubelet-insecure-tls': {
    kind: 'bool',
    default: 'false',
    help: 'do not verify kubelet serving certificates',
  },
  'kubelet-certificate-authority': {
    kind: 'string',
    help: 'CA bundle for kubelet serving certificates',
  },
  'kubelet-client-certificate': { kind: 'string', help: 'client certificate for kubelets' },
  'kubelet-client-key': { kind: 'string', help: 'client key for kubelets' },
  'kubelet-token-file': {
    kind: 'string',
    help: 'bearer token file for kubelets (re-read when rotated); the service account token in-cluster',
  },
  'kubelet-static-nodes': {
    kind: 'string',
    help: 'YAML/JSON map of node name to kubelet URL, instead of discovering nodes',
  },
  'kubelet-max-concurrency': {
    kind: 'int',
    default: '64',
    min: 1,
    max: 10000,
    help: 'kubelet requests in flight at once',
  },
  'kubelet-max-body-bytes': {
    kind: 'int',
    default: '10485760',
    min: 1024,
    help: 'largest kubelet response accepted',
  },
  'node-selector': { kind: 'string', default: '', help: 'label selector of the nodes to scrape' },
  'resource-metrics-source': {
    kind: 'string',
    oneOf: ['kubelet', 'prometheus'],
    help: 'metrics.k8s.io from kubelets or Prometheus resourceRules (default: prometheus when --config has resourceRules, else kubelet)',
  },

  // Prometheus
  'prometheus-url': { kind: 'string', help: 'Prometheus base URL for custom and external metrics' },
  'prometheus-token-file': { kind: 'string', help: 'bearer token file for Prometheus' },
  'prometheus-ca-file': { kind: 'string', help: 'CA bundle for Prometheus' },
  'prometheus-client-tls-cert-file': { kind: 'string', help: 'client certificate for Prometheus' },
  'prometheus-client-tls-key-file': { kind: 'string', help: 'client key for Prometheus' },
  'prometheus-basic-auth-user': { kind: 'string', help: 'basic auth user for Prometheus' },
  'prometheus-basic-auth-password-file': {
    kind: 'string',
    help: 'basic auth password file for Prometheus',
  },
  'prometheus-header': {
    kind: 'repeatable',
    help: "extra header 'Name: value' on Prometheus requests (repeatable)",
  },
  'prometheus-timeout': { kind: 'duration', default: '10s', help: 'Prometheus request timeout' },
  'prometheus-max-response-bytes': {
    kind: 'int',
    default: '67108864',
    min: 65536,
    max: 1073741824,
    help: 'largest Prometheus answer accepted (decoded bytes); larger ones are refused while they stream',
  },
  'metrics-relist-interval': {
    kind: 'string',
    default: '10m',
    help: 'series rediscovery period (Go duration) or cron expression',
  },
  'metrics-max-age': {
    kind: 'duration',
    default: '2m',
    help: 'values older than this are not served',
  },

  // Peer flags with a meaning here (issue 13): prometheus-adapter's Prometheus client, the
  // apiserver's authentication lookup and shutdown delay, client-go's rate limit. Flags accepted
  // without effect live in peer-flags.ts.
  'prometheus-auth-config': {
    kind: 'string',
    help: "kubeconfig whose current context gives Prometheus' TLS and credentials (its server is not used)",
  },
  'prometheus-auth-incluster': {
    kind: 'bool',
    default: 'false',
    help: "the pod's service account token and CA for Prometheus",
  },
  'prometheus-verb': {
    kind: 'string',
    default: 'GET',
    oneOf: ['GET', 'POST'],
    help: 'HTTP method of Prometheus queries (GET falls back to POST for URLs over 8 KiB)',
  },
  'client-qps': {
    kind: 'float',
    default: '0',
    min: 0,
    max: 100000,
    help: 'Kubernetes API requests per second (client-go QPS); 0 means no limit',
  },
  'client-burst': {
    kind: 'int',
    default: '10',
    min: 1,
    max: 100000,
    help: 'Kubernetes API requests allowed at once above --client-qps (client-go Burst)',
  },
  'shutdown-delay-duration': {
    kind: 'duration',
    default: '0s',
    help: 'on SIGTERM, fail /readyz and keep serving this long before draining (apiserver semantics)',
  },
  'authentication-skip-lookup': {
    kind: 'bool',
    default: 'false',
    help: 'do not read kube-system/extension-apiserver-authentication for client CAs',
  },
  'kubelet-certificate-authority-text': {
    kind: 'string',
    help: 'PEM CA bundle for kubelet serving certificates, inline (metrics-server)',
  },
  'authentication-tolerate-lookup-failure': {
    kind: 'bool',
    default: 'false',
    help: 'start even when reading kube-system/extension-apiserver-authentication fails',
  },
} as const satisfies Record<string, FlagSpec>;

export type ServeFlagName = keyof typeof serveFlags;

/** `kubelet-request-timeout` -> `kubeletRequestTimeout`, the key the same setting has in --config. */
export function configKeyOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
