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
  'scaleplane_scrape_duration_seconds',
  'scaleplane_scrape_failures_total',
  'scaleplane_scrape_targets',
  'scaleplane_store_memory_bytes',
  'scaleplane_store_series',
  'scaleplane_watch_restarts_total',
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

  it('adds process metrics under the same prefix only when asked', async () => {
    const metrics = createSelfMetrics(new Registry());
    collectProcessMetrics(metrics);
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('scaleplane_process_resident_memory_bytes');
    expect(names.filter((n) => !n.startsWith('scaleplane_'))).toEqual([]);
  });

  it('exposes every drop as a reason label value in the text format', async () => {
    const metrics = createSelfMetrics();
    metrics.droppedPoints.inc({ source: 'prometheus', reason: 'non_finite_value' }, 3);
    expect(await metrics.registry.metrics()).toContain(
      'scaleplane_dropped_points_total{source="prometheus",reason="non_finite_value"} 3',
    );
  });
});
