/**
 * metrics.k8s.io from Prometheus `resourceRules`: every `--metric-resolution` the four queries of
 * {@link ResourceRulesPlan} (CPU and memory, for containers and for nodes) are sent once, at one
 * evaluation time, and their answers swapped into the {@link RatedMetricsSink} with the rules'
 * window. prometheus-adapter sends two queries per namespace on every pods request and two per
 * nodes request (provider.go queryBoth); here a request never waits on Prometheus. A failed query
 * fails only its half (pods, or nodes) for that cycle: the store keeps the previous values of
 * that half until they are stale. Failures are counted by reason and logged once per change of
 * cause, drops counted by reason, under `source="prometheus_resource"`.
 * @module
 */
import { setMaxListeners } from 'node:events';
import type { ResourceRules } from '../../src/config/index.js';
import type {
  Clock,
  HealthCheck,
  HealthResult,
  Logger,
  SelfMetrics,
  Sleep,
} from '../../src/observability/index.js';
import type { DropCounts, RatedMetricsSink } from '../../src/store/index.js';
import { mergeDropCounts } from '../../src/store/index.js';
import type { PrometheusApi } from './client.js';
import type { QueryResult } from './decode.js';
import { PrometheusError } from './errors.js';
import {
  assembleNodes,
  assemblePods,
  ResourceRulesPlan,
  type KeyedResourceSamples,
  type ResourceName,
  type ResourceQuery,
  type ResourceTarget,
} from './resource-rules.js';
import { ResourceCatalog } from './resources.js';
import { fixedPeriod, runSchedule } from './schedule.js';

export const resourceSource = 'prometheus_resource';

export interface ResourceCollectorOptions {
  api: PrometheusApi;
  rules: ResourceRules;
  sink: RatedMetricsSink;
  /** Collection period; main.ts passes `--metric-resolution`. */
  periodMs: number;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  metrics: SelfMetrics;
  catalog?: ResourceCatalog;
}

export interface ResourceCycleReport {
  /** Requests sent to Prometheus, by outcome. */
  requests: { success: number; error: number };
  /** Failed queries by reason. */
  failures: Record<string, number>;
  dropped: DropCounts;
  nodes: number | undefined;
  pods: number | undefined;
}

type Answers = Map<string, QueryResult | PrometheusError>;
const answerKey = (resource: ResourceName, target: ResourceTarget): string =>
  `${resource} ${target}`;

export class PrometheusResourceCollector {
  /** `prometheus-resource-collection`: ready once a cycle stored nodes or pods. */
  readonly health: HealthCheck = {
    name: 'prometheus-resource-collection',
    check: () => this.healthResult(),
  };

  private readonly plan: ResourceRulesPlan;
  private readonly log: Logger;
  private readonly stopController = new AbortController();
  private readonly failing = new Map<string, string>();
  private running: Promise<void> | undefined;
  private ready = false;
  private lastProblem = 'no collection yet';

  constructor(private readonly o: ResourceCollectorOptions) {
    setMaxListeners(100, this.stopController.signal);
    this.plan = new ResourceRulesPlan(o.rules, o.catalog ?? new ResourceCatalog());
    this.log = o.logger.child({ component: 'prometheus-resource-collector' });
  }

  /** Collects at once, then every period until {@link stop}. */
  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort(new PrometheusError('aborted', 'collector stopped'));
    await this.running;
  }

  private async run(): Promise<void> {
    const origin = this.o.clock.now();
    const once = async (): Promise<void> => {
      try {
        await this.collectNow();
      } catch (err) {
        this.log.error('prometheus run crashed', { run: 'resource collection', err });
      }
    };
    await once();
    await runSchedule({
      schedule: fixedPeriod(this.o.periodMs, origin),
      clock: this.o.clock,
      sleep: this.o.sleep,
      signal: this.stopController.signal,
      run: once,
    });
  }

  /** One cycle: four queries at one evaluation time, then one store. */
  async collectNow(): Promise<ResourceCycleReport> {
    const startedMs = this.o.clock.now();
    const signal = this.stopController.signal;
    const queries = this.plan.queries();
    const answers: Answers = new Map();
    const report: ResourceCycleReport = {
      requests: { success: 0, error: 0 },
      failures: {},
      dropped: {},
      nodes: undefined,
      pods: undefined,
    };
    await Promise.all(
      queries.map(async (q) => {
        const answer = await this.send(q, startedMs, signal, report.requests);
        answers.set(answerKey(q.resource, q.target), answer);
      }),
    );
    if (signal.aborted) return report;
    for (const q of queries) {
      const a = answers.get(answerKey(q.resource, q.target));
      const error = a instanceof PrometheusError ? a : undefined;
      if (error) report.failures[error.reason] = (report.failures[error.reason] ?? 0) + 1;
      this.track(`resource ${q.resource} ${q.target}`, error);
    }
    const half = (target: ResourceTarget) => {
      const cpu = this.keyed(answers, 'cpu', target, report);
      const memory = this.keyed(answers, 'memory', target, report);
      return cpu && memory ? { cpu, memory } : undefined;
    };
    const podsIn = half('containers');
    const nodesIn = half('nodes');
    const pods = podsIn && assemblePods(podsIn.cpu, podsIn.memory, report.dropped);
    const nodes = nodesIn && assembleNodes(nodesIn.cpu, nodesIn.memory, report.dropped);
    mergeDropCounts(
      report.dropped,
      this.o.sink.storeRated({ windowMs: this.plan.windowMs, nodes, pods }),
    );
    report.nodes = nodes?.size;
    report.pods = pods?.size;
    this.report(report, this.o.clock.now() - startedMs);
    return report;
  }

  private async send(
    q: ResourceQuery,
    timeMs: number,
    signal: AbortSignal,
    requests: ResourceCycleReport['requests'],
  ): Promise<QueryResult | PrometheusError> {
    if (q.query instanceof PrometheusError) return q.query;
    try {
      const result = await this.o.api.query(q.query, timeMs, signal);
      requests.success++;
      return result;
    } catch (err) {
      requests.error++;
      return err instanceof PrometheusError
        ? err
        : new PrometheusError('bad_response', (err as Error)?.message ?? String(err), {
            cause: err,
          });
    }
  }

  /** The keyed samples of one answer, or undefined when its query failed or answered badly. */
  private keyed(
    answers: Answers,
    resource: ResourceName,
    target: ResourceTarget,
    report: ResourceCycleReport,
  ): KeyedResourceSamples | undefined {
    const a = answers.get(answerKey(resource, target));
    if (a === undefined || a instanceof PrometheusError) return undefined;
    try {
      return this.plan.keyed(resource, target, a, report.dropped);
    } catch (err) {
      if (!(err instanceof PrometheusError)) throw err;
      report.failures[err.reason] = (report.failures[err.reason] ?? 0) + 1;
      this.track(`resource ${resource} ${target}`, err);
      return undefined;
    }
  }

  private report(r: ResourceCycleReport, durationMs: number): void {
    const m = this.o.metrics;
    const source = resourceSource;
    const failed = Object.values(r.failures).reduce((a, b) => a + b, 0);
    m.prometheusQueries.inc({ endpoint: 'query', outcome: 'success' }, r.requests.success);
    m.prometheusQueries.inc({ endpoint: 'query', outcome: 'error' }, r.requests.error);
    for (const [reason, n] of Object.entries(r.failures))
      m.scrapeFailures.inc({ source, reason }, n);
    for (const [reason, n] of Object.entries(r.dropped)) m.droppedPoints.inc({ source, reason }, n);
    m.scrapeDuration.observe({ source }, durationMs / 1000);
    if (r.nodes !== undefined || r.pods !== undefined) {
      m.lastSuccessfulCycle.set({ source }, this.o.clock.now() / 1000);
      if (r.nodes !== undefined) m.storeSeries.set({ kind: 'node' }, r.nodes);
      if (r.pods !== undefined) m.storeSeries.set({ kind: 'pod' }, r.pods);
    }
    if ((r.nodes ?? 0) + (r.pods ?? 0) > 0) this.ready = true;
    else if (failed === 0) this.lastProblem = 'the resource queries returned no nodes or pods';
  }

  /** Logs a query's failure once per change of cause, and its recovery once. */
  private track(subject: string, error: PrometheusError | undefined): void {
    const previous = this.failing.get(subject);
    if (error) {
      this.lastProblem = `${subject}: ${error.message}`;
      if (previous === error.reason) return;
      this.failing.set(subject, error.reason);
      this.log.warn('prometheus query failed', { subject, reason: error.reason, err: error });
    } else if (previous !== undefined) {
      this.failing.delete(subject);
      this.log.info('prometheus query recovered', { subject });
    }
  }

  private healthResult(): HealthResult {
    return this.ready ? { ok: true } : { ok: false, reason: this.lastProblem };
  }
}
