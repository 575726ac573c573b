/**
 * Query results to store samples (prometheus-adapter series_registry.go MatchValuesToNames for
 * custom metrics, external-provider metric_converter.go for external ones). Each sample keeps its
 * own timestamp. NaN and ±Inf are dropped and counted: upstream serves NaN as 0 for custom
 * metrics and converts it to an arbitrary integer for external ones, neither of which an HPA
 * should act on. A series without the label that names its object cannot be attributed.
 * @module
 */
import {
  DropReason,
  addDrop,
  type CustomMetricSample,
  type DropCounts,
  type ExternalMetricSample,
} from '../../src/store/index.js';
import type { PromSample, QueryResult } from './decode.js';
import { PrometheusError } from './errors.js';

export interface Converted<T> {
  samples: T[];
  dropped: DropCounts;
}

/** Where the object of a custom metric sample is named. */
export interface CustomLabels {
  metric: string;
  resourceLabel: string;
  /** The namespace label for namespaced resources; undefined for root-scoped ones. */
  namespaceLabel?: string;
}

/**
 * Custom metric samples from a vector (upstream rejects any other result type); a later series
 * for the same object replaces an earlier one, as upstream's map does.
 */
export function customSamples(
  result: QueryResult,
  where: CustomLabels,
): Converted<CustomMetricSample> {
  if (result.resultType !== 'vector')
    throw new PrometheusError('bad_response', `expected a vector result, got ${result.resultType}`);
  const dropped: DropCounts = {};
  if (result.malformed > 0) addDrop(dropped, DropReason.malformedEntry, result.malformed);
  const byObject = new Map<string, CustomMetricSample>();
  for (const s of result.samples) {
    if (!finite(s, dropped)) continue;
    const name = s.labels[where.resourceLabel];
    const namespace =
      where.namespaceLabel === undefined ? undefined : s.labels[where.namespaceLabel];
    if (!name || (where.namespaceLabel !== undefined && !namespace)) {
      addDrop(dropped, DropReason.missingLabels);
      continue;
    }
    const key = `${namespace ?? ''}/${name}`;
    if (byObject.has(key)) addDrop(dropped, DropReason.duplicateSeries);
    const sample: CustomMetricSample = {
      name,
      metric: where.metric,
      value: s.value,
      timestampMs: s.timestampMs,
      labels: s.labels,
    };
    if (namespace !== undefined) sample.namespace = namespace;
    byObject.set(key, sample);
  }
  return { samples: [...byObject.values()], dropped };
}

/** External metric samples: every series of a vector with its labels, or one unlabelled scalar. */
export function externalSamples(
  result: QueryResult,
  metric: string,
): Converted<ExternalMetricSample> {
  const dropped: DropCounts = {};
  if (result.malformed > 0) addDrop(dropped, DropReason.malformedEntry, result.malformed);
  const points: PromSample[] =
    result.resultType === 'vector' ? result.samples : [{ labels: {}, ...result.sample }];
  const samples = points
    .filter((s) => finite(s, dropped))
    .map((s) => ({ metric, labels: s.labels, value: s.value, timestampMs: s.timestampMs }));
  return { samples, dropped };
}

function finite(s: { value: number }, dropped: DropCounts): boolean {
  if (Number.isFinite(s.value)) return true;
  addDrop(dropped, DropReason.nonFiniteValue);
  return false;
}
