/**
 * Upstream's replica-calculator test fixture (replica_calculator_test.go calcScenario) and a
 * calculator context over it, for the calculator modules' tables.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { MetricContext } from '../../src/hpa/calculation.js';
import { snapshotMetrics } from '../../src/hpa/metrics-client.js';
import { ParseCache } from '../../src/hpa/parse-cache.js';
import { Tolerances } from '../../src/hpa/tolerance.js';
import type { ExternalMetricValue, MetricValue, PodMetrics } from '../../src/hpa/types.js';
import { NAMESPACE, NOW_MS, cpuMetrics, pod } from './hpa-builders.js';

/**
 * Upstream's replica-calculator fixture (replica_calculator_test.go calcScenario): pod i is
 * `test-pod-i`; both containers request requests[i]; levels[i] is each container's usage in
 * millicores (missing entries are pods without metrics); hot pods started (and became ready) now,
 * cool ones 3 minutes ago.
 */
export interface CalcFixture {
  currentReplicas: number;
  requests?: string[];
  levels?: number[];
  podNames?: string[];
  podReadiness?: ('True' | 'False')[];
  podStartTime?: ('hot' | 'cool')[];
  podPhase?: string[];
  podDeletionTimestamp?: boolean[];
}

export function calcPods(f: CalcFixture): V1Pod[] {
  const count = Math.max(f.currentReplicas, f.podPhase?.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const start = f.podStartTime?.[i];
    return pod({
      name: `test-pod-${i}`,
      ready: f.podReadiness?.[i] ?? 'True',
      phase: f.podPhase?.[i] ?? 'Running',
      deleted: f.podDeletionTimestamp?.[i] ?? false,
      startedSecondsAgo: start === 'hot' ? 0 : start === 'cool' ? 180 : 3600,
      cpuRequest: f.requests?.[i],
    });
  });
}

export function calcPodMetrics(f: CalcFixture): PodMetrics[] {
  return (f.levels ?? []).map((level, i) => cpuMetrics(f.podNames?.[i] ?? `test-pod-${i}`, level));
}

/** A calculator context over `pods` and the given metric values (every pod matches the selector). */
export function calcContext(
  pods: V1Pod[],
  sources: {
    podMetrics?: PodMetrics[];
    customMetrics?: MetricValue[];
    externalMetrics?: ExternalMetricValue[];
  },
  o: { tolerances?: Tolerances; specReplicas?: number; statusReplicas?: number } = {},
): MetricContext {
  return {
    namespace: NAMESPACE,
    quantities: new ParseCache(),
    metrics: snapshotMetrics({
      namespace: NAMESPACE,
      podNames: new Set(pods.map((p) => p.metadata?.name ?? '')),
      podMetrics: sources.podMetrics ?? [],
      customMetrics: sources.customMetrics ?? [],
      externalMetrics: sources.externalMetrics ?? [],
      cache: new ParseCache(),
    }),
    pods,
    tolerances: o.tolerances ?? new Tolerances(0.1, 0.1),
    timing: {
      nowMs: NOW_MS,
      cpuInitializationPeriodMs: 120_000,
      delayOfInitialReadinessStatusMs: 10_000,
    },
    specReplicas: o.specReplicas ?? pods.length,
    statusReplicas: o.statusReplicas ?? o.specReplicas ?? pods.length,
  };
}
