/**
 * Assembles the kubelet scraper from validated options: targets (static file or the cluster view's Nodes),
 * TLS and token, HTTP client, decoder for the source, and the loop. The one place main.ts calls
 * for kubelet collection (metrics-server builds the same chain in pkg/server/config.go `Complete`).
 * @module
 */
import type { ClusterView } from '../src/cluster/index.js';
import type { ConfigIssue } from '../src/config/index.js';
import { parseSelector } from '../src/k8s/index.js';
import type {
  Clock,
  HealthCheck,
  Logger,
  Random,
  SelfMetrics,
  Sleep,
} from '../src/observability/index.js';
import type { MetricsSink } from '../src/store/index.js';
import { KubeletHttpClient } from './kubelet/client.js';
import type { KubeletDecoder } from './kubelet/decode.js';
import { decodeResourceMetrics } from './kubelet/decode-resource.js';
import { decodeSummary } from './kubelet/decode-summary.js';
import { KubeletMetricsGetter } from './kubelet/getter.js';
import { ClusterViewTargets } from './kubelet/cluster-targets.js';
import type { KubeletScrapeOptions, KubeletSourceKind } from './kubelet/options.js';
import { StaticTargets, readStaticNodesFile } from './kubelet/static-nodes.js';
import type { ScrapeTargets } from './kubelet/targets.js';
import { loadKubeletTls, type KubeletTlsMaterial } from './kubelet/tls.js';
import { FileTokenSource } from './kubelet/token.js';
import { KubeletScrapeLoop, type CycleReport } from './loop.js';

export interface KubeletScraperDeps {
  options: KubeletScrapeOptions;
  sink: MetricsSink;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  /** The cluster's Nodes (watched once, in src/cluster); required unless `options.staticNodesFile` is set. */
  cluster?: Pick<ClusterView, 'listNodes'>;
  /** The API server's CA, trusted for kubelets when no `--kubelet-certificate-authority` is given. */
  clusterCa?: Buffer;
  /** Token file when `--kubelet-token-file` is unset (the in-cluster service account token). */
  defaultTokenFile?: string;
  /** Scheme for discovered nodes; `http` only for simulated kubelets. */
  scheme?: 'https' | 'http';
  onCycle?: (report: CycleReport) => void;
}

/** A running-ready kubelet scraper. */
export interface KubeletScraper {
  loop: KubeletScrapeLoop;
  /** `metric-collection` readiness. */
  health: HealthCheck;
  /** Starts ticking; the cluster view has listed Nodes before the scraper is built. */
  start(): Promise<void>;
  /** Stops ticking and closes idle connections. */
  stop(): Promise<void>;
}

/** The decoder of each `--kubelet-source`. */
export const decoders: Record<KubeletSourceKind, KubeletDecoder> = {
  resource: decodeResourceMetrics,
  summary: decodeSummary,
};

/** Builds the scraper; file problems come back as issues with the flag that named the file. */
export async function createKubeletScraper(
  d: KubeletScraperDeps,
): Promise<
  { scraper: KubeletScraper; issues?: undefined } | { scraper?: undefined; issues: ConfigIssue[] }
> {
  const o = d.options;
  const targets = await buildTargets(d);
  if ('issues' in targets) return { issues: targets.issues };
  let tls: KubeletTlsMaterial;
  try {
    tls = await loadKubeletTls(o, d.clusterCa);
  } catch (err) {
    const flag =
      /--kubelet-[a-z-]+/.exec((err as Error).message)?.[0] ?? '--kubelet-certificate-authority';
    return { issues: [{ path: flag, message: (err as Error).message }] };
  }
  const tokenFile = o.tokenFile ?? d.defaultTokenFile;
  const token = tokenFile ? new FileTokenSource(tokenFile, { clock: d.clock }) : undefined;
  const client = new KubeletHttpClient({
    source: o.source,
    maxBodyBytes: o.maxBodyBytes,
    maxSockets: o.maxConcurrency,
    tls,
    token,
  });
  const getter = new KubeletMetricsGetter({
    client,
    decoder: decoders[o.source],
    clock: d.clock,
    observeSeconds: (s) => d.metrics.kubeletRequestDuration.observe(s),
  });
  const loop = new KubeletScrapeLoop({
    targets: targets.targets,
    getter,
    sink: d.sink,
    resolutionMs: o.metricResolutionMs,
    requestTimeoutMs: o.requestTimeoutMs,
    maxConcurrency: o.maxConcurrency,
    clock: d.clock,
    sleep: d.sleep,
    random: d.random,
    logger: d.logger.child({ component: 'kubelet-scraper' }),
    metrics: d.metrics,
    onCycle: d.onCycle,
  });
  const scraper: KubeletScraper = {
    loop,
    health: loop.health,
    start: () => {
      loop.start();
      return Promise.resolve();
    },
    stop: async () => {
      await loop.stop();
      client.close();
    },
  };
  return { scraper };
}

async function buildTargets(
  d: KubeletScraperDeps,
): Promise<{ targets: ScrapeTargets } | { issues: ConfigIssue[] }> {
  const o = d.options;
  if (o.staticNodesFile) {
    const parsed = await readStaticNodesFile(o.staticNodesFile, o.source);
    if (parsed.issues)
      return {
        issues: parsed.issues.map((i) => ({
          path: i.path.startsWith('--') ? i.path : `--kubelet-static-nodes ${i.path}`.trim(),
          message: i.message,
        })),
      };
    return { targets: new StaticTargets(parsed.targets) };
  }
  if (!d.cluster)
    return {
      issues: [
        {
          path: '--kubelet-static-nodes',
          message: 'required when no cluster (kubeconfig) is available',
        },
      ],
    };
  let nodeSelector;
  try {
    nodeSelector = parseSelector(o.nodeSelector);
  } catch (err) {
    return { issues: [{ path: '--node-selector', message: (err as Error).message }] };
  }
  const addressing = {
    source: o.source,
    preferredAddressTypes: o.preferredAddressTypes,
    port: o.port,
    useNodeStatusPort: o.useNodeStatusPort,
    scheme: d.scheme,
  };
  return { targets: new ClusterViewTargets(d.cluster, addressing, nodeSelector) };
}
