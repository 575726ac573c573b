/**
 * The kubelet collection loop: every `--metric-resolution`, scrape every due node, merge the
 * answers into one batch and store it whole (metrics-server pkg/server/server.go `runScrape`/`tick`
 * and pkg/scraper/scraper.go `Scrape`). A failing node is absent from the batch, counted by reason,
 * logged once per change of cause and backed off; the tick itself never fails.
 * @module
 */
import { setMaxListeners } from 'node:events';
import type {
  Clock,
  HealthCheck,
  Logger,
  Random,
  SelfMetrics,
  Sleep,
} from '../src/observability/index.js';
import { mergeDropCounts, type DropCounts, type MetricsSink } from '../src/store/index.js';
import { NodeBackoff, type BackoffPolicy } from './backoff.js';
import { CollectionHealth } from './collection-health.js';
import { scrapeTargets, type NodeOutcome } from './cycle.js';
import { KubeletScrapeError } from './kubelet/errors.js';
import type { NodeMetricsGetter, ScrapeTargets } from './kubelet/targets.js';
import { mergeNodeParts, type NodePart } from './merge.js';

export interface KubeletScrapeLoopOptions {
  targets: ScrapeTargets;
  getter: NodeMetricsGetter;
  sink: MetricsSink;
  resolutionMs: number;
  requestTimeoutMs: number;
  maxConcurrency: number;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  backoff?: BackoffPolicy;
  /** Called after every tick with its summary (tests, the benchmark, the embedded demo). */
  onCycle?: (report: CycleReport) => void;
}

/** What one tick did. */
export interface CycleReport {
  cycle: number;
  startedMs: number;
  durationMs: number;
  targets: number;
  /** Nodes sitting out a backoff this tick. */
  skipped: number;
  succeeded: number;
  /** Failed nodes by reason. */
  failures: Record<string, number>;
  /** False when the loop was stopped mid-tick: a partial batch is never stored. */
  stored: boolean;
  nodes: number;
  pods: number;
  dropped: DropCounts;
}

const source = 'kubelet';

/** The kubelet scrape loop; `start()` ticks until `stop()`. */
export class KubeletScrapeLoop {
  private readonly backoff: NodeBackoff;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  private cycle = 0;
  private readonly collection: CollectionHealth;

  /**
   * `metric-collection`: ready while a tick that stored what at least one node answered finished
   * within the last 1.5 resolutions (collection-health.ts).
   */
  readonly health: HealthCheck;

  constructor(private readonly o: KubeletScrapeLoopOptions) {
    this.backoff = new NodeBackoff(o.backoff);
    this.health = this.collection = new CollectionHealth(o.clock, o.resolutionMs);
  }

  /** Starts ticking: the first tick at once, then on a fixed grid from the start time. */
  start(): void {
    this.running ??= this.run();
  }

  /** Stops ticking and aborts requests in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopController.abort(new KubeletScrapeError('aborted', 'scrape loop stopped'));
    await this.running;
  }

  /**
   * Ticks are scheduled at origin + k × resolution, never by sleeping a resolution after each
   * tick, so slow ticks do not accumulate drift. Like Go's time.Ticker in runScrape, ticks missed
   * by an overlong cycle are dropped and the next one runs at once.
   */
  private async run(): Promise<void> {
    const { clock, sleep, resolutionMs } = this.o;
    const stop = this.stopController.signal;
    const originMs = clock.now();
    let k = 0;
    while (!stop.aborted) {
      try {
        await this.runOnce();
      } catch (err) {
        this.o.logger.error('scrape tick failed', { source, err });
      }
      k = Math.max(k + 1, Math.floor((clock.now() - originMs) / resolutionMs));
      const waitMs = originMs + k * resolutionMs - clock.now();
      if (waitMs > 0 && !stop.aborted) await sleep(waitMs, stop);
    }
  }

  /** Runs one tick now: scrape, merge, store, count. No node's failure makes it reject. */
  async runOnce(): Promise<CycleReport> {
    const { clock, sleep, resolutionMs } = this.o;
    const cycle = this.cycle++;
    const startedMs = clock.now();
    this.collection.tickStarted(startedMs);
    const all = this.o.targets.targets();
    this.backoff.retain(new Set(all.map((t) => t.nodeName)));
    const due = all.filter((t) => this.backoff.isDue(t.nodeName, cycle));
    // server.go tick: the whole tick is bounded by one resolution.
    const tick = new AbortController();
    // Each worker's jitter sleep listens on the tick's signal: up to `maxConcurrency` listeners.
    setMaxListeners(0, tick.signal);
    const onStop = (): void => tick.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop, { once: true });
    const deadlineError = new KubeletScrapeError(
      'cycle_deadline',
      `scrape tick exceeded the ${resolutionMs} ms resolution`,
    );
    void sleep(resolutionMs, tick.signal).then(() => tick.abort(deadlineError));
    let outcomes: NodeOutcome[];
    try {
      outcomes = await scrapeTargets(due, this.o, startedMs, tick.signal);
    } finally {
      this.stopController.signal.removeEventListener('abort', onStop);
      tick.abort();
    }
    const report = this.finish(cycle, startedMs, all.length, all.length - due.length, outcomes);
    this.o.onCycle?.(report);
    return report;
  }

  private finish(
    cycle: number,
    startedMs: number,
    targets: number,
    skipped: number,
    outcomes: NodeOutcome[],
  ): CycleReport {
    const parts: NodePart[] = [];
    const failures: Record<string, number> = {};
    for (const outcome of outcomes) {
      if (outcome.ok) {
        parts.push({ nodeName: outcome.target.nodeName, decoded: outcome.decoded });
        this.noteSuccess(outcome.target.nodeName);
      } else {
        failures[outcome.error.reason] = (failures[outcome.error.reason] ?? 0) + 1;
        this.noteFailure(outcome, cycle);
      }
    }
    const report: CycleReport = {
      cycle,
      startedMs,
      durationMs: 0,
      targets,
      skipped,
      succeeded: parts.length,
      failures,
      stored: false,
      nodes: 0,
      pods: 0,
      dropped: {},
    };
    const success = !this.stopController.signal.aborted && this.store(parts, report);
    this.observe(report, cycle);
    this.collection.tickFinished(report, success, this.o.clock.now());
    return report;
  }

  /** Stores the tick; true when it was a success (at least one node answered, or none to ask). */
  private store(parts: NodePart[], report: CycleReport): boolean {
    const merged = mergeNodeParts(parts);
    let storeDrops;
    try {
      storeDrops = this.o.sink.store(merged.batch);
    } catch (err) {
      // A store bug must not end collection: the tick is lost, the next one tries again.
      this.o.logger.error('storing scraped metrics failed', { source, err });
      return false;
    }
    const dropped = mergeDropCounts(merged.dropped, storeDrops);
    for (const [reason, n] of Object.entries(dropped))
      this.o.metrics.droppedPoints.inc({ source, reason }, n);
    this.reportStoreSize();
    Object.assign(report, {
      stored: true,
      nodes: merged.batch.nodes.size,
      pods: merged.batch.pods.size,
      dropped,
    });
    // server.go tick: a tick is healthy when at least one node answered (or there was none to ask).
    if (parts.length === 0 && report.targets > 0) return false;
    this.o.metrics.lastSuccessfulCycle.set({ source }, this.o.clock.now() / 1000);
    return true;
  }

  /** The store's series and memory estimate after this tick (ResourceStore documents the estimate). */
  private reportStoreSize(): void {
    const stats = this.o.sink.stats?.();
    if (stats === undefined) return;
    const { storeSeries, storeMemoryBytes } = this.o.metrics;
    storeSeries.set({ kind: 'node' }, stats.nodes);
    storeSeries.set({ kind: 'pod' }, stats.pods);
    storeSeries.set({ kind: 'container' }, stats.containers);
    storeMemoryBytes.set({ store: 'resource' }, stats.approxBytes);
  }

  private observe(report: CycleReport, cycle: number): void {
    const { metrics, clock, logger } = this.o;
    report.durationMs = clock.now() - report.startedMs;
    metrics.scrapeDuration.observe({ source }, report.durationMs / 1000);
    // A node is healthy only when its last scrape succeeded; a failed one is `failing` while it
    // is retried next tick and `backoff` while it sits that tick out.
    const backoff = this.backoff.skippedIn(cycle + 1);
    const failing = this.backoff.failing();
    metrics.scrapeTargets.set({ source, state: 'backoff' }, backoff);
    metrics.scrapeTargets.set({ source, state: 'failing' }, failing - backoff);
    metrics.scrapeTargets.set({ source, state: 'healthy' }, report.targets - failing);
    const { durationMs, targets, succeeded, skipped, nodes, pods, failures } = report;
    logger.debug('scrape cycle finished', {
      source,
      cycle,
      durationMs,
      targets,
      succeeded,
      skipped,
      nodes,
      pods,
      failures,
    });
  }

  private noteSuccess(nodeName: string): void {
    const { recoveredFrom } = this.backoff.recordSuccess(nodeName);
    if (recoveredFrom !== undefined)
      this.o.logger.info('scrape recovered', {
        source,
        node: nodeName,
        previousReason: recoveredFrom,
      });
  }

  private noteFailure(outcome: Extract<NodeOutcome, { ok: false }>, cycle: number): void {
    const { target, error, penalise } = outcome;
    this.o.metrics.scrapeFailures.inc({ source, reason: error.reason });
    const result = this.backoff.recordFailure(target.nodeName, error.reason, cycle, penalise);
    if (!result.causeChanged) return;
    // scraper.go: a node that is not Ready is expected to fail; say so only at debug level.
    const fields = {
      source,
      node: target.nodeName,
      reason: error.reason,
      err: error,
      consecutiveFailures: result.consecutiveFailures,
      skipTicks: result.skipCycles,
    };
    if (target.ready) this.o.logger.error('scrape failed', fields);
    else this.o.logger.debug('scrape failed', { ...fields, nodeReady: false });
  }
}
