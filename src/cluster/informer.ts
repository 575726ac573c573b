/**
 * A client-node informer (ListWatch: list, then watch, cache by namespace) that survives the API
 * server. client-node 1.x stops an informer on any watch error other than 410 Gone; this wrapper
 * restarts it with the reflector's backoff, counts each restart in
 * `scaleplane_watch_restarts_total{resource}`, reports its health as data, and never clears the
 * cache on error, so the last good objects stay served (client-go's reflector keeps its store too).
 * @module
 */
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../observability/index.js';
import { RestartBackoff, type BackoffOptions } from './backoff.js';
import type { KubeApi } from './kube-api.js';
import type { RateLimiter } from './rate-limit.js';

/** What the health check reads. */
export interface InformerState {
  resource: string;
  /** True once a LIST succeeded: the cache holds a complete picture. */
  listed: boolean;
  /** Since when the list/watch has been failing; undefined while it is connected. */
  brokenSinceMs?: number;
  lastError?: string;
}

export interface ManagedInformerOptions {
  /** Label value and log field, e.g. `pods`. */
  resource: string;
  /** Collection path, e.g. `/api/v1/pods`. */
  path: string;
  kubeConfig: KubeConfig;
  api: KubeApi;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  backoff?: BackoffOptions;
  /** LIST page size (the reflector pages with 500). */
  pageSize?: number;
  /** Shortest server-side watch timeout; each watch asks for 1-2x this (reflector minWatchTimeout, 5 min). */
  minWatchTimeoutSeconds?: number;
  /** --client-qps/--client-burst: each watch start waits for a token (LISTs wait inside `api`). */
  rateLimiter?: RateLimiter;
}

/** Drops fields nobody here reads and that dominate an object's size (the informer transform metrics-server sets). */
function trim<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * client-node's Watch with the reflector's query (random timeout, bookmarks), objects trimmed, and
 * malformed events dropped: ListWatch's handler would throw on them inside an un-awaited promise.
 * A failure before the request starts (credentials) goes to `done` instead of rejecting unseen.
 */
class ReflectorWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly timeoutSeconds: () => number,
    private readonly limiter: RateLimiter | undefined,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const query = {
      ...queryParams,
      allowWatchBookmarks: true,
      timeoutSeconds: this.timeoutSeconds(),
    };
    const forward = (phase: string, obj: unknown, raw: unknown): void => {
      if (!isObject(obj)) return;
      if (phase === 'ERROR') return callback(phase, obj, raw);
      if (!isObject(obj.metadata)) return;
      callback(phase, trim(obj as KubernetesObject), raw);
    };
    try {
      await this.limiter?.wait();
      return await super.watch(path, query, forward, done);
    } catch (err) {
      done(err);
      return new AbortController();
    }
  }
}

/** A restarting informer over one collection; read it with {@link list} and {@link get}. */
export class ManagedInformer<T extends KubernetesObject> {
  private readonly informer: ListWatch<T>;
  private readonly backoff: RestartBackoff;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  private listed = false;
  private brokenSinceMs: number | undefined;
  private lastError: string | undefined;
  private attemptFailed = false;
  private attempting = false;
  private restarting: Promise<void> | undefined;

  constructor(private readonly o: ManagedInformerOptions) {
    this.backoff = new RestartBackoff(o.backoff ?? {}, o.clock, o.random);
    this.log = o.logger.child({ resource: o.resource });
    const minTimeout = o.minWatchTimeoutSeconds ?? 300;
    const watch = new ReflectorWatch(
      o.kubeConfig,
      () => Math.floor(minTimeout * (1 + o.random())),
      o.rateLimiter,
    );
    this.informer = new ListWatch<T>(o.path, watch, () => this.listAll(), false);
    this.informer.on('error', (err?: unknown) => this.onError(err));
  }

  /** Cached objects in `namespace` (every namespace when undefined). */
  list(namespace?: string): readonly T[] {
    return this.informer.list(namespace === undefined || namespace === '' ? undefined : namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer.get(name, namespace);
  }

  state(): InformerState {
    return {
      resource: this.o.resource,
      listed: this.listed,
      brokenSinceMs: this.brokenSinceMs,
      lastError: this.lastError,
    };
  }

  /** Lists and starts watching; resolves after the first attempt, successful or not (then it retries in the background). */
  async start(): Promise<void> {
    await this.attempt();
    if (this.attemptFailed) this.restartInBackground();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.informer.stop();
    await this.restarting;
  }

  /** Every page of the collection (the reflector's pager), trimmed, as one list. */
  private async listAll(): Promise<KubernetesListObject<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.o.api.request<KubernetesListObject<T>>({
        method: 'GET',
        path: this.o.path,
        query: { limit: String(this.o.pageSize ?? 500), continue: token },
      });
      for (const item of page?.items ?? [])
        if (isObject(item) && isObject(item.metadata)) items.push(trim(item));
      resourceVersion = page?.metadata?.resourceVersion ?? '';
      // Raw JSON: the field is `continue` (client-node's typed V1ListMeta calls it `_continue`).
      token = (page?.metadata as { continue?: string } | undefined)?.continue || undefined;
    } while (token !== undefined);
    this.listed = true;
    return { items, metadata: { resourceVersion } };
  }

  private async attempt(): Promise<void> {
    this.attempting = true;
    this.attemptFailed = false;
    try {
      await this.informer.start();
    } catch (err) {
      this.onError(err);
    } finally {
      this.attempting = false;
    }
    if (!this.attemptFailed && this.brokenSinceMs !== undefined) {
      this.log.info('watch recovered', { brokenForMs: this.o.clock.now() - this.brokenSinceMs });
      this.brokenSinceMs = undefined;
    }
  }

  private onError(err: unknown): void {
    // Stopping aborts the watch request, which client-node reports as an error.
    if (this.stopping.signal.aborted) return;
    this.attemptFailed = true;
    const message =
      err instanceof Error
        ? err.message
        : typeof err === 'string'
          ? err
          : 'watch ended with an error';
    if (this.brokenSinceMs === undefined) {
      this.brokenSinceMs = this.o.clock.now();
      this.log.warn('watch broken', { err });
    } else if (message !== this.lastError) {
      this.log.debug('watch still broken', { err });
    }
    this.lastError = message;
    // An error inside an attempt is handled by whoever made the attempt.
    if (!this.attempting) this.restartInBackground();
  }

  private restartInBackground(): void {
    if (this.restarting !== undefined || this.stopping.signal.aborted) return;
    this.restarting = this.restartLoop().finally(() => (this.restarting = undefined));
  }

  private async restartLoop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.o.sleep(this.backoff.next(), this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      this.o.metrics.watchRestarts.inc({ resource: this.o.resource });
      await this.attempt();
      if (!this.attemptFailed) return;
    }
  }
}
