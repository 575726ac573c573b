/**
 * Why one Prometheus request failed, as data. The `reason` is the `reason` label of
 * `scaleplane_scrape_failures_total{source="prometheus"}` and the cause the collector logs once:
 * `http_<code>` for a status without Prometheus's error envelope, `prometheus_<errorType>` for the
 * envelope (`{"status":"error","errorType":"bad_data","error":"..."}`, the shape
 * prometheus-adapter pkg/client/api.go decodes into client.Error), and fixed words otherwise.
 * @module
 */

export type PrometheusFailureReason =
  | `http_${number}`
  | `prometheus_${string}`
  | 'timeout'
  | 'aborted'
  | 'connection'
  | 'response_too_large'
  | 'bad_response'
  | 'credentials'
  | 'query_build';

/** A failed Prometheus request, naming the endpoint it concerned. */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  /** Same as `reason`, under the name the logger serialises. */
  readonly code: PrometheusFailureReason;

  constructor(
    readonly reason: PrometheusFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = reason;
  }
}

/**
 * `prometheus_<errorType>` for the envelope's errorType. Prometheus's types are a small fixed set
 * (bad_data, timeout, canceled, execution, internal, unavailable, not_found); anything else
 * becomes `prometheus_unknown` so a hostile server cannot grow the label's cardinality.
 */
export function reasonForErrorType(errorType: unknown): PrometheusFailureReason {
  const known = [
    'bad_data',
    'timeout',
    'canceled',
    'execution',
    'internal',
    'unavailable',
    'not_found',
    'bad_response',
  ];
  return typeof errorType === 'string' && known.includes(errorType)
    ? `prometheus_${errorType}`
    : 'prometheus_unknown';
}
