/**
 * Scrape targets from the cluster's Nodes, kept current by a client-node informer (list + watch
 * of /api/v1/nodes, filtered server-side by `--node-selector` as metrics-server filters its node
 * lister). client-node 1.x ends an informer on any watch error other than 410 Gone and leaves the
 * restart to the caller; we restart it here with capped, jittered exponential backoff and count
 * each restart in `scaleplane_watch_restarts_total{resource="nodes"}`.
 * @module
 */
import { CoreV1Api, makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type ObjectCache, type V1Node } from '@kubernetes/client-node';
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../../src/observability/index.js';
import { targetForNode, type NodeAddressingOptions } from './address.js';
import type { KubeletTarget, ScrapeTargets } from './targets.js';

export type NodeInformer = Informer<V1Node> & ObjectCache<V1Node>;

export interface RestartBackoff {
  /** First restart delay; default 1 s. */
  initialMs?: number;
  /** Largest restart delay; default 30 s (client-go reflector's backoff cap). */
  maxMs?: number;
}

export interface NodeInformerTargetsOptions {
  kubeConfig: KubeConfig;
  addressing: NodeAddressingOptions;
  /** `--node-selector`; empty or undefined selects every node. */
  nodeSelector?: string;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  restartBackoff?: RestartBackoff;
}

/** {@link ScrapeTargets} from the Nodes informer; call `start()` before the loop, `stop()` after. */
export class NodeInformerTargets implements ScrapeTargets {
  private readonly informer: NodeInformer;
  private readonly stopController = new AbortController();
  private readonly memo = new WeakMap<V1Node, KubeletTarget>();
  private synced = false;
  private listedOk = false;
  private consecutiveRestarts = 0;
  private lastErrorMs = Number.NEGATIVE_INFINITY;
  private lastErrorMessage: string | undefined;
  private onSynced: (() => void) | undefined;
  private readonly syncedPromise: Promise<void>;

  constructor(private readonly o: NodeInformerTargetsOptions) {
    const api = o.kubeConfig.makeApiClient(CoreV1Api);
    const selector = o.nodeSelector?.trim() ? o.nodeSelector.trim() : undefined;
    const list = async (): Promise<KubernetesListObject<V1Node>> => {
      const result = await api.listNode(selector === undefined ? {} : { labelSelector: selector });
      this.listedOk = true;
      return result;
    };
    this.informer = makeInformer<V1Node>(o.kubeConfig, '/api/v1/nodes', list, selector);
    this.informer.on('error', (err: unknown) => this.onWatchError(err));
    this.syncedPromise = new Promise((resolve) => (this.onSynced = resolve));
  }

  /** Starts the informer; resolves after the first successful list, or when stopped. */
  async start(): Promise<void> {
    await this.launch();
    await Promise.race([this.syncedPromise, new Promise((resolve) => this.stopController.signal.addEventListener('abort', resolve, { once: true }))]);
  }

  /** Stops the informer and any pending restart. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.informer.stop();
  }

  /** Whether a list has succeeded since start: until then the target list is empty, not partial. */
  hasSynced(): boolean {
    return this.synced;
  }

  targets(): readonly KubeletTarget[] {
    return this.informer.list().map((node) => {
      let target = this.memo.get(node);
      if (target === undefined) {
        // Informer objects are replaced, never mutated, on update: memoising by object is safe.
        target = targetForNode(node, this.o.addressing);
        this.memo.set(node, target);
      }
      return target;
    });
  }

  private async launch(): Promise<void> {
    this.listedOk = false;
    await this.informer.start();
    if (this.listedOk && !this.synced) {
      this.synced = true;
      this.onSynced?.();
    }
  }

  private onWatchError(err: unknown): void {
    if (this.stopController.signal.aborted) return;
    const { clock, sleep, random, logger, metrics } = this.o;
    const initialMs = this.o.restartBackoff?.initialMs ?? 1000;
    const maxMs = this.o.restartBackoff?.maxMs ?? 30_000;
    const now = clock.now();
    // A watch that stayed up for a while earned a fresh backoff.
    if (now - this.lastErrorMs > 2 * maxMs) this.consecutiveRestarts = 0;
    this.lastErrorMs = now;
    const delayMs = Math.round(Math.min(initialMs * 2 ** this.consecutiveRestarts, maxMs) * (1 + 0.2 * random()));
    this.consecutiveRestarts += 1;
    metrics.watchRestarts.inc({ resource: 'nodes' });
    const message = err instanceof Error ? err.message : String(err);
    const fields = { resource: 'nodes', err, delayMs, consecutiveRestarts: this.consecutiveRestarts };
    if (message !== this.lastErrorMessage) logger.error('watch failed, restarting', fields);
    else logger.debug('watch failed, restarting', fields);
    this.lastErrorMessage = message;
    void sleep(delayMs, this.stopController.signal)
      .then(() => (this.stopController.signal.aborted ? undefined : this.launch()))
      .catch((restartErr: unknown) => logger.error('watch restart failed', { resource: 'nodes', err: restartErr }));
  }
}
