/**
 * Every self-metric scaleplane exports, declared in one place on one explicit prom-client
 * Registry (never the global one), so the exported name list is a contract a test pins
 * (as metrics-server's test/e2e_test.go pins its own). Every drop or failure has a `reason`
 * label value; a log line alone is not enough.
 * @module
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createSelfMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  return {
    registry,

    // --- scraper: kubelets and Prometheus -------------------------------------------------
    scrapeDuration: new Histogram({
      name: 'scaleplane_scrape_duration_seconds',
      help: 'Duration of one whole collection cycle, by source (kubelet, prometheus).',
      labelNames: ['source'] as const,
      buckets: durationBuckets,
      registers,
    }),
    kubeletRequestDuration: new Histogram({
      name: 'scaleplane_kubelet_request_duration_seconds',
      help: 'Duration of one kubelet request, including body decode.',
      buckets: durationBuckets,
      registers,
    }),
    scrapeFailures: new Counter({
      name: 'scaleplane_scrape_failures_total',
      help: 'Failed fetches of one target (a node, a Prometheus query), by source and reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    droppedPoints: new Counter({
      name: 'scaleplane_dropped_points_total',
      help: 'Samples collected but not stored or served, by source and reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    lastSuccessfulCycle: new Gauge({
      name: 'scaleplane_last_successful_cycle_timestamp_seconds',
      help: 'Unix time of the last collection cycle that stored a batch, by source.',
      labelNames: ['source'] as const,
      registers,
    }),
    scrapeTargets: new Gauge({
      name: 'scaleplane_scrape_targets',
      help: 'Targets known to the scraper, by source and state: healthy (last scrape succeeded), failing (last scrape failed, retried next tick), backoff (last scrape failed, sitting out the next tick).',
      labelNames: ['source', 'state'] as const,
      registers,
    }),
    prometheusUp: new Gauge({
      name: 'scaleplane_prometheus_up',
      help: '1 when the last relist or collection cycle got at least one successful answer from Prometheus (or sent nothing), 0 when every request failed.',
      registers,
    }),
    prometheusQueries: new Counter({
      name: 'scaleplane_prometheus_queries_total',
      help: 'Queries sent to Prometheus, by endpoint (series, query) and outcome.',
      labelNames: ['endpoint', 'outcome'] as const,
      registers,
    }),

    // --- store ------------------------------------------------------------------------------
    storeSeries: new Gauge({
      name: 'scaleplane_store_series',
      help: 'Series held by the store, by kind (node, pod, container, custom, external).',
      labelNames: ['kind'] as const,
      registers,
    }),
    storeMemoryBytes: new Gauge({
      name: 'scaleplane_store_memory_bytes',
      help: 'Estimated memory held by each store (resource, custom).',
      labelNames: ['store'] as const,
      registers,
    }),

    // --- adapter: the aggregated API ----------------------------------------------------------
    apiRequests: new Counter({
      name: 'scaleplane_api_requests_total',
      help: 'API requests served, by API group and HTTP status code.',
      labelNames: ['group', 'code'] as const,
      registers,
    }),
    apiRequestDuration: new Histogram({
      name: 'scaleplane_api_request_duration_seconds',
      help: 'API request latency, by API group.',
      labelNames: ['group'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    apiRejected: new Counter({
      name: 'scaleplane_api_rejected_requests_total',
      help: 'API requests refused before reaching a handler or by one, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    authentication: new Counter({
      name: 'scaleplane_authentication_attempts_total',
      help: 'Authentication decisions, by method (requestheader, x509, token, anonymous) and result.',
      labelNames: ['method', 'result'] as const,
      registers,
    }),
    authorization: new Counter({
      name: 'scaleplane_authorization_decisions_total',
      help: 'Authorization decisions, by decision (allow, deny, error) and whether the cache answered.',
      labelNames: ['decision', 'cached'] as const,
      registers,
    }),

    // --- cluster view and HPA runtime -----------------------------------------------------------
    watchRestarts: new Counter({
      name: 'scaleplane_watch_restarts_total',
      help: 'Informer watches restarted after an error, by resource.',
      labelNames: ['resource'] as const,
      registers,
    }),
    hpaDesiredReplicas: new Gauge({
      name: 'scaleplane_hpa_desired_replicas',
      help: 'Replicas the embedded engine recommends, by HPA.',
      labelNames: ['namespace', 'name'] as const,
      registers,
    }),
    hpaCurrentReplicas: new Gauge({
      name: 'scaleplane_hpa_current_replicas',
      help: 'Replicas of the HPA target at the last evaluation, by HPA.',
      labelNames: ['namespace', 'name'] as const,
      registers,
    }),
    hpaEvaluations: new Counter({
      name: 'scaleplane_hpa_evaluations_total',
      help: 'HPA evaluations by the embedded engine, by result (scaled, unchanged, failed).',
      labelNames: ['result'] as const,
      registers,
    }),
    hpaDisagreements: new Counter({
      name: 'scaleplane_hpa_disagreements_total',
      help: 'Evaluations whose recommendation differed from the controller status.desiredReplicas.',
      labelNames: ['namespace', 'name'] as const,
      registers,
    }),

    leader: new Gauge({
      name: 'scaleplane_leader',
      help: 'Whether this replica holds the leader-election Lease (namespace/name) and may write Events.',
      labelNames: ['lease'] as const,
      registers,
    }),

    // --- the process itself ------------------------------------------------------------------
    buildInfo: new Gauge({
      name: 'scaleplane_build_info',
      help: 'Always 1; labels say which scaleplane build runs on which Node.js.',
      labelNames: ['version', 'node_version', 'arch'] as const,
      registers,
    }),

    // --- inputs ---------------------------------------------------------------------------------
    invalidInput: new Counter({
      name: 'scaleplane_invalid_input_total',
      help: 'Rejected external inputs (config, CLI, scenario), by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
  };
}

export type SelfMetrics = ReturnType<typeof createSelfMetrics>;

/**
 * Adds prom-client's default `process_*` and `nodejs_*` metrics (CPU, RSS, file descriptors,
 * start time, heap, event loop lag, GC) under their standard names, which every Node.js and
 * process dashboard expects, and sets `scaleplane_build_info`.
 */
export function collectProcessMetrics(metrics: SelfMetrics, build: { version: string }): void {
  collectDefaultMetrics({ register: metrics.registry });
  metrics.buildInfo.set(
    { version: build.version, node_version: process.version, arch: process.arch },
    1,
  );
}
