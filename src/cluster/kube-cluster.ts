/**
 * Everything scaleplane reads from and writes to a real cluster, built from one KubeConfig: the
 * ClusterView (nodes, pods, namespaces), the HpaSource (HPAs and /scale), the EventRecorder, the
 * discovery cache they share, and the `cluster-view` readiness check over all informers.
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type {
  Clock,
  HealthCheck,
  Logger,
  Random,
  SelfMetrics,
  Sleep,
} from '../observability/index.js';
import type { BackoffOptions } from './backoff.js';
import { KubeClusterView } from './cluster-view.js';
import { ApiDiscovery } from './discovery.js';
import { KubeEventRecorder } from './event-recorder.js';
import { clusterHealthCheck } from './health.js';
import { KubeHpaSource } from './hpa-source.js';
import { KubeHttpClient, type KubeApi } from './kube-api.js';
import { rateLimitedApi, type RateLimiter } from './rate-limit.js';
import type { GroupResourceRef } from './types.js';

export interface KubeClusterOptions {
  kubeConfig: KubeConfig;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  /** Watch HPAs (`--hpa-mode=recommend`); false starts no HPA informer and leaves `hpaSource` undefined. */
  watchHpas: boolean;
  /** Event source; default `{ component: 'scaleplane' }`. */
  eventSource?: { component: string; host?: string };
  /** Deadline of one API call (not of a watch); default 30 s. */
  requestTimeoutMs?: number;
  /** How long a broken watch is tolerated before readiness fails; default 90 s. */
  watchGraceMs?: number;
  backoff?: BackoffOptions;
  /** Injected API client (tests); default a KubeHttpClient on `kubeConfig`. */
  api?: KubeApi;
  /** --client-qps/--client-burst: every request and watch start waits for it; none when undefined. */
  rateLimiter?: RateLimiter;
}

/** The cluster side of `scaleplane serve`. */
export class KubeCluster {
  readonly api: KubeApi;
  readonly discovery: ApiDiscovery;
  readonly view: KubeClusterView;
  readonly hpaSource: KubeHpaSource | undefined;
  readonly events: KubeEventRecorder;
  /** `cluster-view`: every informer listed, no watch broken beyond the grace period. */
  readonly health: HealthCheck;

  constructor(o: KubeClusterOptions) {
    const api =
      o.api ?? new KubeHttpClient({ kubeConfig: o.kubeConfig, timeoutMs: o.requestTimeoutMs });
    this.api = o.rateLimiter ? rateLimitedApi(api, o.rateLimiter) : api;
    this.discovery = new ApiDiscovery({ api: this.api, clock: o.clock });
    const shared = {
      ...o,
      api: this.api,
      discovery: this.discovery,
      logger: o.logger.child({ component: 'cluster' }),
    };
    this.view = new KubeClusterView(shared);
    this.hpaSource = o.watchHpas ? new KubeHpaSource(shared) : undefined;
    this.events = new KubeEventRecorder({
      api: this.api,
      clock: o.clock,
      logger: shared.logger,
      source: o.eventSource ?? { component: 'scaleplane' },
    });
    const sources = this.hpaSource ? [this.view, this.hpaSource] : [this.view];
    this.health = clusterHealthCheck({ sources, clock: o.clock, graceMs: o.watchGraceMs });
  }

  /** Starts the informers; resolves once each made its first LIST attempt. Never rejects: check `health`. */
  async start(): Promise<void> {
    await Promise.all([this.view.start(), this.hpaSource?.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.view.stop(), this.hpaSource?.stop()]);
  }

  /** The group resource of a kind by discovery, for the runtime's Object metrics resolver. */
  async resourceForKind(
    apiVersion: string | undefined,
    kind: string,
  ): Promise<GroupResourceRef | undefined> {
    const slash = apiVersion?.indexOf('/') ?? -1;
    const group = slash < 0 ? '' : apiVersion!.slice(0, slash);
    const found = await this.discovery.resourceForKind(group, kind);
    return found === undefined ? undefined : { group: found.group, resource: found.resource };
  }
}
