/**
 * Pure decoders for Prometheus HTTP API responses (design habit 6): bytes and status in, typed
 * values or a {@link PrometheusError} out. Follows prometheus-adapter pkg/client/api.go `Do`
 * (envelope `{status, data, errorType, error}`; statuses other than 2xx, 400, 422 and 503 carry no
 * JSON) and the documented result shapes of /api/v1/series and /api/v1/query. Malformed entries
 * inside a well-formed answer are skipped and counted rather than failing the whole answer.
 * @module
 */
import { PrometheusError, reasonForErrorType } from './errors.js';

export type Labels = Readonly<Record<string, string>>;

/** One sample of an instant query. `value` may be NaN or ±Inf; the caller decides. */
export interface PromSample {
  labels: Labels;
  /** The sample's own timestamp (the evaluation time of the query), in ms. */
  timestampMs: number;
  value: number;
}

export type QueryResult =
  | { resultType: 'vector'; samples: PromSample[]; malformed: number }
  | { resultType: 'scalar'; sample: { timestampMs: number; value: number }; malformed: number };

export interface SeriesResult {
  /** Label sets, each with `__name__` when Prometheus sent one. */
  series: Labels[];
  malformed: number;
}

/** Statuses whose body is Prometheus's JSON envelope (api.go Do). */
const envelopeStatuses = new Set([400, 422, 503]);

/** Decodes the envelope; returns `data` of a success, throws the typed error of anything else. */
export function decodeEnvelope(status: number, body: Buffer | string): unknown {
  const ok = status >= 200 && status <= 299;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    if (!ok) throw new PrometheusError(`http_${status}`, `Prometheus answered status ${status}`);
    throw new PrometheusError('bad_response', 'Prometheus answered a body that is not JSON');
  }
  const env = isObject(parsed) ? parsed : undefined;
  if (env?.status === 'error') {
    const message = typeof env.error === 'string' ? env.error.slice(0, 1000) : 'no message';
    throw new PrometheusError(
      reasonForErrorType(env.errorType),
      `Prometheus error (${String(env.errorType).slice(0, 40)}): ${message}`,
    );
  }
  if (!ok) {
    const hint = envelopeStatuses.has(status) ? ' without an error envelope' : '';
    throw new PrometheusError(`http_${status}`, `Prometheus answered status ${status}${hint}`);
  }
  if (env?.status !== 'success' || !('data' in env))
    throw new PrometheusError(
      'bad_response',
      'Prometheus answered JSON that is not a success envelope',
    );
  return env.data;
}

/** /api/v1/series `data`: a list of label sets. */
export function decodeSeriesData(data: unknown): SeriesResult {
  if (!Array.isArray(data)) throw new PrometheusError('bad_response', 'series data is not a list');
  const series: Labels[] = [];
  let malformed = 0;
  for (const entry of data) {
    const labels = decodeLabels(entry);
    if (labels) series.push(labels);
    else malformed++;
  }
  return { series, malformed };
}

/** /api/v1/query `data`: a vector or a scalar (prometheus-adapter's providers accept no other type). */
export function decodeQueryData(data: unknown): QueryResult {
  if (!isObject(data)) throw new PrometheusError('bad_response', 'query data is not an object');
  if (data.resultType === 'scalar') {
    const point = decodePoint(data.result);
    if (!point) throw new PrometheusError('bad_response', 'scalar result is not [time, "value"]');
    return { resultType: 'scalar', sample: point, malformed: 0 };
  }
  if (data.resultType !== 'vector') {
    throw new PrometheusError(
      'bad_response',
      `unexpected result type ${JSON.stringify(data.resultType)}, want vector or scalar`,
    );
  }
  if (!Array.isArray(data.result))
    throw new PrometheusError('bad_response', 'vector result is not a list');
  const samples: PromSample[] = [];
  let malformed = 0;
  for (const entry of data.result) {
    const sample = decodeVectorSample(entry);
    if (sample) samples.push(sample);
    else malformed++;
  }
  return { resultType: 'vector', samples, malformed };
}

function decodeVectorSample(entry: unknown): PromSample | undefined {
  if (!isObject(entry)) return undefined;
  const labels = decodeLabels(entry.metric ?? {});
  // Native histogram samples carry `histogram` instead of `value`; they have no single value.
  const point = decodePoint(entry.value);
  return labels && point ? { labels, ...point } : undefined;
}

function decodeLabels(v: unknown): Labels | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') return undefined;
    out[k] = value;
  }
  return out;
}

/** `[<unix seconds>, "<value>"]`; values as Go's FormatFloat writes them, plus NaN and ±Inf. */
function decodePoint(v: unknown): { timestampMs: number; value: number } | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [ts, raw] = v as [unknown, unknown];
  if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof raw !== 'string') return undefined;
  const value = parsePromValue(raw);
  return value === undefined ? undefined : { timestampMs: Math.round(ts * 1000), value };
}

const floatPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A sample value string: a decimal float, `NaN`, `+Inf` or `-Inf` (Number() alone accepts "" and " 1"). */
export function parsePromValue(raw: string): number | undefined {
  if (raw === 'NaN') return NaN;
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return floatPattern.test(raw) ? Number(raw) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
