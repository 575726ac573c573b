import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { collectProcessMetrics, createSelfMetrics } from '../../../src/observability/index.js';

/**
 * The exported self-metric names are a contract with dashboards and alerts (metrics-server pins its
 * own in test/e2e_test.go): adding, renaming or removing one must change this list on purpose.
 */
const expectedNames = [
  'scaleplane_api_rejected_requests_total',
  'scaleplane_api_request_duration_seconds',
  'scaleplane_api_requests_total',
  'scaleplane_authentication_attempts_total',
  'scaleplane_authorization_decisions_total',
  'scaleplane_build_info',
  'scaleplane_dropped_points_total',
  'scaleplane_hpa_current_replicas',
  'scaleplane_hpa_desired_replicas',
  'scaleplane_hpa_disagreements_total',
  'scaleplane_hpa_evaluations_total',
  'scaleplane_invalid_input_total',
  'scaleplane_kubelet_request_duration_seconds',
  'scaleplane_last_successful_cycle_timestamp_seconds',
  'scaleplane_leader',
  'scaleplane_prometheus_queries_total',
  'scaleplane_prometheus_up',
  'scaleplane_scrape_duration_seconds',
  'scaleplane_scrape_failures_total',
  'scaleplane_scrape_targets',
  'scaleplane_store_memory_bytes',
  'scaleplane_store_series',
  'scaleplane_watch_restarts_total',
];

/** The default process and Node.js names that dashboards and the chart's rules rely on. */
const processNames = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_gc_duration_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_version_info',
  'process_cpu_seconds_total',
  'process_open_fds',
  'process_max_fds',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
];

describe('self-metrics', () => {
  it('declares exactly the pinned names', async () => {
    const metrics = createSelfMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(expectedNames);
  });

  it('uses its own registry, so two instances (tests, embedded mode) never collide', async () => {
    const a = createSelfMetrics();
    const b = createSelfMetrics();
    a.scrapeFailures.inc({ source: 'kubelet', reason: 'timeout' });
    expect(await a.registry.metrics()).toContain('reason="timeout"} 1');
    expect(await b.registry.metrics()).not.toContain('reason="timeout"');
  });

  // Issue 14 item 7: dashboards expect the standard process_* and nodejs_* names.
  it('adds the standard process and Node.js metrics and the build info only when asked', async () => {
    const metrics = createSelfMetrics(new Registry());
    collectProcessMetrics(metrics, { version: '1.2.3' });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    for (const name of processNames) expect(names).toContain(name);
    expect(
      names.filter((n) => !/^(scaleplane|process|nodejs)_/.test(n)),
      'every name has one of the three prefixes',
    ).toEqual([]);
    expect(names.filter((n) => n.startsWith('scaleplane_')).sort()).toEqual(expectedNames);
    expect(await metrics.registry.metrics()).toContain(
      `scaleplane_build_info{version="1.2.3",node_version="${process.version}",arch="${process.arch}"} 1`,
    );
  });

  it('exposes every drop as a reason label value in the text format', async () => {
    const metrics = createSelfMetrics();
    metrics.droppedPoints.inc({ source: 'prometheus', reason: 'non_finite_value' }, 3);
    expect(await metrics.registry.metrics()).toContain(
      'scaleplane_dropped_points_total{source="prometheus",reason="non_finite_value"} 3',
    );
  });
});
