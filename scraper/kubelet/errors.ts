/**
 * Why one kubelet scrape failed, as data: a stable `reason` that becomes the `reason` label of
 * `scaleplane_scrape_failures_total` and the cause the loop logs once per change.
 * @module
 */

/**
 * Stable failure reasons. `http_<code>` carries the status code (a bounded set); the rest are
 * fixed words.
 */
export type ScrapeFailureReason =
  | 'timeout'
  | 'aborted'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'connection'
  | 'tls'
  | `http_${number}`
  | 'body_too_large'
  | 'truncated'
  | 'bad_content_type'
  | 'decode'
  | 'credentials'
  | 'no_address'
  | 'cycle_deadline';

/** A failed kubelet request or decode, naming the node and URL it concerned. */
export class KubeletScrapeError extends Error {
  override readonly name = 'KubeletScrapeError';
  /** Stable machine-readable cause; see {@link ScrapeFailureReason}. */
  readonly code: ScrapeFailureReason;

  constructor(
    readonly reason: ScrapeFailureReason,
    message: string,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = reason;
  }
}

/** Node's error codes for TLS handshake and certificate failures (OpenSSL's verify results). */
const tlsCodes = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/** Maps a socket or TLS error from node:http(s) to a failure reason. */
export function reasonForNetworkError(err: unknown): ScrapeFailureReason {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return 'connection';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (
    tlsCodes.has(code) ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_OSSL_')
  )
    return 'tls';
  return 'connection';
}
