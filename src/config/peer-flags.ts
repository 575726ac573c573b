/**
 * The flags of metrics-server's and prometheus-adapter's Deployments that scaleplane accepts
 * without acting on them, and the peer spellings it maps to its own flags, so an existing
 * Deployment's args start scaleplane unchanged. Sources: k8s.io/component-base logs and klog
 * (logging), k8s.io/apiserver SecureServing/Audit/Features options and genericapiserver's
 * --shutdown-* and APF flags (both peers embed them), custom-metrics-apiserver AdapterBase
 * (prometheus-adapter) and metrics-server's kubelet client options.
 *
 * Every flag here is named in one warning line at start (see {@link ignoredFlagsWarning}); a flag
 * that is not here nor in flag-spec.ts stays an error (exit 2), as pflag does.
 * @module
 */
import type { FlagSpec } from './flag-spec.js';
import type { ConfigIssue } from './issues.js';
import type { RawFlag } from './flag-values.js';

const bool = (help: string): FlagSpec => ({ kind: 'bool', help });
const text = (help: string): FlagSpec => ({ kind: 'string', help });

const klog = 'klog output control: scaleplane writes one JSON object per line to stderr';
const profiling = 'Go profiling endpoints: scaleplane has no pprof handlers';
const audit =
  'apiserver audit: scaleplane writes no audit log (kube-apiserver audits the requests it proxies)';

/**
 * Flags with no meaning in scaleplane, accepted so peer manifests start; each named in the
 * start-up warning. Boolean ones take no value word (`--logtostderr`), the others take one.
 */
export const ignoredPeerFlags: Readonly<Record<string, FlagSpec>> = {
  // k8s.io/klog/v2 flags (registered by both peers through component-base logs)
  logtostderr: bool(klog),
  alsologtostderr: bool(klog),
  'log-dir': text(klog),
  'log-file': text(klog),
  'log-file-max-size': text(klog),
  log_dir: text(klog),
  log_file: text(klog),
  log_file_max_size: text(klog),
  'skip-headers': bool(klog),
  skip_headers: bool(klog),
  'skip-log-headers': bool(klog),
  skip_log_headers: bool(klog),
  stderrthreshold: text(klog),
  'one-output': bool(klog),
  one_output: bool(klog),
  add_dir_header: bool(klog),
  'add-dir-header': bool(klog),
  log_backtrace_at: text(klog),
  'log-backtrace-at': text(klog),
  vmodule: text('per-file klog verbosity: scaleplane has one level (--v)'),
  // k8s.io/component-base logs options besides --logging-format and -v
  'log-flush-frequency': text('klog flush period: scaleplane writes each line at once'),
  'log-json-info-buffer-size': text(klog),
  'log-json-split-stream': bool(klog),
  'log-text-info-buffer-size': text(klog),
  'log-text-split-stream': bool(klog),
  // k8s.io/apiserver FeatureOptions
  profiling: bool(profiling),
  'contention-profiling': bool(profiling),
  'debug-socket-path': text(profiling),
  // k8s.io/apiserver SecureServingOptions that tune Go's listener and HTTP/2 server
  'permit-port-sharing': bool('SO_REUSEPORT on the listener: one process owns the port'),
  'permit-address-sharing': bool('SO_REUSEADDR on the listener: Node sets it already'),
  'http2-max-streams-per-connection': text('Go HTTP/2 server setting: scaleplane serves HTTP/1.1'),
  // k8s.io/component-base metrics and genericapiserver server-run options
  'show-hidden-metrics-for-version': text(
    'Kubernetes metric deprecation: scaleplane_* metrics are never hidden',
  ),
  'enable-priority-and-fairness': bool(
    'API Priority and Fairness: kube-apiserver applies it before proxying to scaleplane',
  ),
  'max-requests-inflight': text('apiserver inflight limit: kube-apiserver limits what it proxies'),
  'max-mutating-requests-inflight': text(
    'apiserver inflight limit: kube-apiserver limits what it proxies',
  ),
  // k8s.io/apiserver AuditOptions (prometheus-adapter through custom-metrics-apiserver)
  'audit-log-path': text(audit),
  'audit-log-maxage': text(audit),
  'audit-log-maxbackup': text(audit),
  'audit-log-maxsize': text(audit),
  'audit-log-format': text(audit),
  'audit-log-compress': bool(audit),
  'audit-log-mode': text(audit),
  'audit-log-version': text(audit),
  'audit-policy-file': text(audit),
  'audit-webhook-config-file': text(audit),
  'audit-webhook-mode': text(audit),
  'audit-webhook-version': text(audit),
  'audit-webhook-initial-backoff': text(audit),
  // custom-metrics-apiserver AdapterBase: the RESTMapper's discovery refresh. scaleplane's
  // discovery refreshes on a miss (src/cluster/discovery.ts), so no period applies.
  'discovery-interval': text('RESTMapper refresh: scaleplane re-runs discovery on a miss'),
};

/** Peer spellings of scaleplane flags: the value goes to the scaleplane flag. */
export const peerFlagAliases: Readonly<Record<string, string>> = {
  // custom-metrics-apiserver AdapterBase: the kubeconfig of the cluster to list objects in.
  'lister-kubeconfig': 'kubeconfig',
  // metrics-server kubelet client options: `-l` is --node-selector's shorthand.
  l: 'node-selector',
};

/** Peer flags whose meaning scaleplane refuses to provide, each with the reason and the way out. */
export const refusedPeerFlags: Readonly<Record<string, FlagSpec & { refusal: string }>> = {
  'deprecated-kubelet-completely-insecure': {
    kind: 'bool',
    help: 'metrics-server: plain HTTP to kubelets',
    refusal:
      'not supported: scaleplane always scrapes kubelets over TLS; use --kubelet-insecure-tls to skip verification in test clusters',
  },
  'tls-sni-cert-key': {
    kind: 'repeatable',
    help: 'apiserver: SNI serving certificates',
    refusal:
      'not supported: scaleplane serves one certificate (--tls-cert-file/--tls-private-key-file), which must name the Service',
  },
};

/**
 * Binary paths that peer manifests put first in `args` (the prometheus-adapter chart starts with
 * `/adapter`, which the image's entrypoint also is; pflag ignores positional words).
 */
export const peerCommandWords: readonly string[] = ['/adapter', '/metrics-server'];

/** Every spec the tokenizer must know to split peer args: ignored, aliased and refused flags. */
export function peerFlagSpecs(
  serveSpecs: Readonly<Record<string, FlagSpec>>,
): Record<string, FlagSpec> {
  const aliases = Object.fromEntries(
    Object.entries(peerFlagAliases).map(([alias, target]) => [alias, serveSpecs[target]!]),
  );
  return { ...ignoredPeerFlags, ...refusedPeerFlags, ...aliases };
}

export interface PeerFlagsResult {
  /** The flags left for scaleplane, aliases renamed to the scaleplane flag. */
  flags: RawFlag[];
  /** Ignored flags as written (`--logtostderr`, `--vmodule`), each once, in order of appearance. */
  ignored: string[];
  issues: ConfigIssue[];
}

/**
 * Separates the peer flags from the scaleplane ones. A refused flag is an issue unless it is a
 * boolean given as false (`--deprecated-kubelet-completely-insecure=false` asks for nothing).
 */
export function separatePeerFlags(flags: readonly RawFlag[]): PeerFlagsResult {
  const out: RawFlag[] = [];
  const ignored: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const flag of flags) {
    const refused = refusedPeerFlags[flag.name];
    const alias = peerFlagAliases[flag.name];
    if (refused) {
      if (!(refused.kind === 'bool' && flag.value === 'false'))
        issues.push({ path: `--${flag.name}`, message: refused.refusal });
    } else if (alias !== undefined) {
      out.push({ name: alias, value: flag.value });
    } else if (flag.name in ignoredPeerFlags) {
      const written = `--${flag.name}`;
      if (!ignored.includes(written)) ignored.push(written);
    } else {
      out.push(flag);
    }
  }
  return { flags: out, ignored, issues };
}

/** Drops a leading peer binary path (`/adapter`), returning it so the warning can name it. */
export function stripPeerCommand(argv: readonly string[]): { argv: string[]; command?: string } {
  const first = argv[0];
  if (first !== undefined && peerCommandWords.includes(first))
    return { argv: argv.slice(1), command: first };
  return { argv: [...argv] };
}

/** The one start-up warning naming every accepted-but-ignored peer flag, or undefined. */
export function ignoredFlagsWarning(
  ignored: readonly string[],
  command?: string,
): { msg: string; fields: { flags: string[]; command?: string; reason: string } } | undefined {
  if (ignored.length === 0 && command === undefined) return undefined;
  return {
    msg: 'metrics-server/prometheus-adapter flags accepted without effect',
    fields: {
      flags: [...ignored],
      ...(command !== undefined ? { command } : {}),
      reason: 'they tune klog, profiling, audit or Go listener features scaleplane does not have',
    },
  };
}
