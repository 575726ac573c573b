/**
 * The Prometheus collector: relists series on `--metrics-relist-interval` (a period or a cron
 * expression), collects every metric's values on its own period, and swaps each cycle into the
 * store, so the custom and external metrics APIs answer from memory. A failed query drops only
 * its own metric for that cycle (the store keeps its previous values until they are stale); each
 * failure is counted by reason and logged once per change of cause.
 * @module
 */
import { setMaxListeners } from 'node:events';
import type { RelistSchedule, RulesConfig } from '../../src/config/index.js';
import type {
  Clock,
  HealthCheck,
  Logger,
  SelfMetrics,
  Sleep,
} from '../../src/observability/index.js';
import { mergeDropCounts, type CustomMetricsSink, type DropCounts } from '../../src/store/index.js';
import type { PrometheusApi } from './client.js';
import type { Labels } from './decode.js';
import { CollectorHealth } from './collector-health.js';
import { CollectorReporter } from './collector-report.js';
import { discover, emptyPlan, type CollectionPlan } from './discovery.js';
import { PrometheusError } from './errors.js';
import { planJobs, type QueryJob } from './jobs.js';
import { namersFromRules, type MetricNamer } from './naming.js';
import { OnDemandSelectorSource, type OnDemandOptions } from './on-demand.js';
import { ResourceCatalog } from './resources.js';
import { runJobs, type JobsOutcome } from './run-jobs.js';
import { fixedPeriod, relistSchedule, runSchedule, type Schedule } from './schedule.js';

export interface PrometheusCollectorOptions {
  api: PrometheusApi;
  rules: RulesConfig;
  store: CustomMetricsSink;
  relist: RelistSchedule;
  /** Collection period; main.ts passes `--metric-resolution`. */
  collectPeriodMs: number;
  /** Discovery looks back this far, and the store serves nothing older (`--metrics-max-age`). */
  maxAgeMs: number;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  metrics: SelfMetrics;
  catalog?: ResourceCatalog;
  /** Queries in flight at once; default 8. */
  maxConcurrency?: number;
  onDemand?: Pick<OnDemandOptions, 'cacheTtlMs' | 'interestTtlMs' | 'maxInterests'>;
  /** Called after every collection cycle (tests, benchmarks). */
  onCycle?: (report: CollectorCycleReport) => void;
  /**
   * Until a relist has been complete once, a failed one is retried after `baseMs`, doubling up to
   * `maxMs` (default 1 s to 1 min), instead of waiting for `--metrics-relist-interval` (10 min).
   */
  discoveryRetry?: { baseMs: number; maxMs: number };
}

export const defaultDiscoveryRetry = { baseMs: 1000, maxMs: 60_000 } as const;

export interface CollectorCycleReport {
  cycle: number;
  durationMs: number;
  queries: number;
  /** Failed jobs by reason. */
  failures: Record<string, number>;
  dropped: DropCounts;
  stored: boolean;
}

export class PrometheusCollector {
  /** The store's path for selectors it has not collected yet (main.ts wires it with setSelectorSource). */
  readonly selectorSource: OnDemandSelectorSource;
  /** `prometheus-collection`, informational (collector-health.ts). */
  readonly health: HealthCheck;

  private readonly custom: MetricNamer[];
  private readonly external: MetricNamer[];
  private readonly catalog: ResourceCatalog;
  private readonly stopController = new AbortController();
  private readonly reporter: CollectorReporter;
  private readonly log: Logger;
  private plan: CollectionPlan = emptyPlan;
  private series = new Map<string, readonly Labels[]>();
  private discoveredOnce = false;
  private discoveryComplete = false;
  private readonly status: CollectorHealth;
  private discovering: Promise<void> | undefined;
  private cycle = 0;
  private running: Promise<void> | undefined;
  private schedules: Schedule[] = [];

  constructor(private readonly o: PrometheusCollectorOptions) {
    // Every query in flight and both loop sleeps listen on the one stop signal.
    setMaxListeners(1000, this.stopController.signal);
    this.catalog = o.catalog ?? new ResourceCatalog();
    this.custom = namersFromRules(o.rules.rules, 'custom', this.catalog);
    this.external = namersFromRules(o.rules.externalRules, 'external', this.catalog);
    this.log = o.logger.child({ component: 'prometheus-collector' });
    this.health = this.status = new CollectorHealth(o.clock);
    this.reporter = new CollectorReporter(o.metrics, this.log, o.clock);
    this.selectorSource = new OnDemandSelectorSource({
      api: o.api,
      plan: () => this.currentPlan,
      clock: o.clock,
      metrics: o.metrics,
      ...o.onDemand,
    });
  }

  /** The metrics the last relist found, with the rule and series that answer each. */
  get currentPlan(): CollectionPlan {
    return this.plan;
  }

  /** Discovers and collects at once, then keeps both on their schedules until {@link stop}. */
  start(): void {
    this.running ??= this.run();
  }

  /** Stops both loops and aborts queries in flight; resolves when they have ended. */
  async stop(): Promise<void> {
    this.stopController.abort(new PrometheusError('aborted', 'collector stopped'));
    await this.running;
    for (const s of this.schedules) s.dispose();
  }

  private async run(): Promise<void> {
    const origin = this.o.clock.now();
    await this.guard('relist', () => this.discoverNow());
    await this.guard('collection', () => this.collectNow());
    const signal = this.stopController.signal;
    this.schedules = [
      relistSchedule(this.o.relist, origin),
      fixedPeriod(this.o.collectPeriodMs, origin),
    ];
    const [relist, collect] = this.schedules as [Schedule, Schedule];
    const common = { clock: this.o.clock, sleep: this.o.sleep, signal };
    await Promise.all([
      this.retryFirstDiscovery(),
      runSchedule({
        ...common,
        schedule: relist,
        run: () => this.guard('relist', () => this.discoverNow()),
      }),
      runSchedule({
        ...common,
        schedule: collect,
        run: () => this.guard('collection', () => this.collectNow()),
      }),
    ]);
  }

  /** A bug in one run is logged, and the loop goes on to the next tick. */
  private async guard(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log.error('prometheus run crashed', { run: what, err });
    }
  }

  /**
   * prometheus-adapter waits a whole relist interval after a failed first list, serving no custom
   * metric meanwhile. We retry with a doubling delay until one relist has been complete.
   */
  private async retryFirstDiscovery(): Promise<void> {
    const { baseMs, maxMs } = this.o.discoveryRetry ?? defaultDiscoveryRetry;
    const signal = this.stopController.signal;
    for (let delayMs = baseMs; !this.discoveryComplete && !signal.aborted;) {
      this.status.retryingAt(this.o.clock.now() + delayMs);
      await this.o.sleep(delayMs, signal);
      this.status.retryingAt(undefined);
      if (signal.aborted || this.discoveryComplete) return;
      await this.guard('relist', () => this.discoverNow());
      delayMs = Math.min(delayMs * 2, maxMs);
    }
  }

  /** One relist (joined when one is in flight); the new plan is used from the next collection on. */
  discoverNow(): Promise<void> {
    this.discovering ??= this.discoverOnce().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discoverOnce(): Promise<void> {
    const result = await discover({
      api: this.o.api,
      custom: this.custom,
      external: this.external,
      catalog: this.catalog,
      maxAgeMs: this.o.maxAgeMs,
      nowMs: this.o.clock.now(),
      previous: this.series,
      signal: this.stopController.signal,
    });
    if (this.stopController.signal.aborted) return;
    this.reporter.discovery(result.outcomes);
    this.series = result.seriesByQuery;
    this.plan = result.plan;
    this.discoveredOnce ||= result.seriesByQuery.size > 0 || result.complete;
    this.discoveryComplete ||= result.complete;
    const failed = result.outcomes.find((o) => o.error);
    this.status.relisted(
      failed ? `series query ${failed.seriesQuery} failed: ${failed.error!.message}` : undefined,
    );
  }

  /** One collection cycle; returns what it did. Skipped until discovery has found anything. */
  async collectNow(): Promise<CollectorCycleReport> {
    const cycle = ++this.cycle;
    const startedMs = this.o.clock.now();
    const report: CollectorCycleReport = {
      cycle,
      durationMs: 0,
      queries: 0,
      failures: {},
      dropped: {},
      stored: false,
    };
    if (!this.discoveredOnce) return report;
    const plan = this.plan;
    const jobs = planJobs(plan, this.selectorSource.activeInterest());
    const signal = this.stopController.signal;
    const outcome = await runJobs(jobs, {
      api: this.o.api,
      timeMs: startedMs,
      concurrency: this.o.maxConcurrency ?? 8,
      signal,
    });
    if (signal.aborted) return report;
    this.store(plan, jobs, outcome, report, startedMs);
    const first = outcome.failures[0];
    this.status.collectedCycle(
      outcome.requests.success === 0 && first
        ? `every query of the last collection failed, first: ${first.error.message}`
        : undefined,
    );
    this.o.onCycle?.(report);
    return report;
  }

  /** Swaps the cycle into the store; failed jobs keep their entries there. */
  private store(
    plan: CollectionPlan,
    jobs: readonly QueryJob[],
    outcome: JobsOutcome,
    report: CollectorCycleReport,
    startedMs: number,
  ): void {
    const failedBy = new Map(outcome.failures.map((f) => [f.job, f.error]));
    for (const job of jobs) this.reporter.track(job.subject, failedBy.get(job));
    for (const f of outcome.failures)
      report.failures[f.error.reason] = (report.failures[f.error.reason] ?? 0) + 1;
    const stored = this.o.store.replace({
      customMetrics: [...plan.custom.values()].map((p) => p.info),
      externalMetrics: [...plan.external.keys()].map((metric) => ({ metric })),
      custom: outcome.custom,
      external: outcome.external,
      retain: outcome.failures.map((f) => f.job.key),
    });
    report.dropped = mergeDropCounts(outcome.dropped, stored);
    report.queries = outcome.requests.success + outcome.requests.error;
    report.stored = true;
    report.durationMs = this.o.clock.now() - startedMs;
    this.reporter.cycle({
      durationMs: report.durationMs,
      requests: outcome.requests,
      failures: report.failures,
      dropped: report.dropped,
      stats: this.o.store.stats(),
    });
  }
}
