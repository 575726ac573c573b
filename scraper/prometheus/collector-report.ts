/**
 * What the Prometheus collector tells the operator: self-metrics for every relist and cycle
 * (queries by endpoint and outcome, failures and drops by reason, cycle duration, store size), and
 * one log line per change of a subject's failure cause, plus one when it recovers — the kubelet
 * loop's log-once rule (metrics-server scraper.go logs each failing node, not each tick).
 * @module
 */
import type { Clock, Logger, SelfMetrics } from '../../src/observability/index.js';
import type { CustomStoreStats, DropCounts } from '../../src/store/index.js';
import type { SelectorOutcome } from './discovery.js';
import type { PrometheusError } from './errors.js';

const source = 'prometheus';

export class CollectorReporter {
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly metrics: SelfMetrics,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** One relist's series calls. */
  discovery(outcomes: readonly SelectorOutcome[]): void {
    const m = this.metrics;
    for (const out of outcomes) {
      m.prometheusQueries.inc({ endpoint: 'series', outcome: out.error ? 'error' : 'success' });
      if (out.error) m.scrapeFailures.inc({ source, reason: out.error.reason });
      if (out.malformed > 0)
        m.droppedPoints.inc({ source, reason: 'malformed_entry' }, out.malformed);
      this.track(`series ${out.seriesQuery}`, out.error);
    }
    m.prometheusUp.set(outcomes.length === 0 || outcomes.some((o) => !o.error) ? 1 : 0);
  }

  /** One stored collection cycle. */
  cycle(c: {
    durationMs: number;
    requests: { success: number; error: number };
    failures: Record<string, number>;
    dropped: DropCounts;
    stats: CustomStoreStats;
  }): void {
    const m = this.metrics;
    m.prometheusQueries.inc({ endpoint: 'query', outcome: 'success' }, c.requests.success);
    m.prometheusQueries.inc({ endpoint: 'query', outcome: 'error' }, c.requests.error);
    for (const [reason, n] of Object.entries(c.failures))
      m.scrapeFailures.inc({ source, reason }, n);
    for (const [reason, n] of Object.entries(c.dropped)) m.droppedPoints.inc({ source, reason }, n);
    m.scrapeDuration.observe({ source }, c.durationMs / 1000);
    // A cycle succeeded when at least one query answered (or it had none to send), as a kubelet
    // tick does when one node answered: a cycle whose every query failed stored nothing new.
    const answered = c.requests.success > 0 || c.requests.error === 0;
    m.prometheusUp.set(answered ? 1 : 0);
    if (answered) m.lastSuccessfulCycle.set({ source }, this.clock.now() / 1000);
    m.storeSeries.set({ kind: 'custom' }, c.stats.customSamples);
    m.storeSeries.set({ kind: 'external' }, c.stats.externalSamples);
    m.storeMemoryBytes.set({ store: 'custom' }, c.stats.approxBytes);
  }

  /** Logs a subject's failure once per change of cause, and its recovery once. */
  track(subject: string, error: PrometheusError | undefined): void {
    const previous = this.failing.get(subject);
    if (error) {
      if (previous === error.reason) return;
      this.failing.set(subject, error.reason);
      this.log.warn('prometheus query failed', { subject, reason: error.reason, err: error });
    } else if (previous !== undefined) {
      this.failing.delete(subject);
      this.log.info('prometheus query recovered', { subject });
    }
  }
}
