/**
 * Reads a Prometheus response body under a byte cap, refusing it while it streams: a body whose
 * Content-Length already exceeds the cap is refused before any of it is read, and any other is
 * destroyed (closing the connection) as soon as the bytes read pass the cap, so an over-size
 * answer costs at most the cap in memory, and only until the refusal. The cap counts decoded
 * bytes (after gzip), which is what the decoder would hold.
 * @module
 */
import type { Readable } from 'node:stream';
import { PrometheusError } from './errors.js';

/** The flag that sets the cap, named in the refusal so the operator knows what to raise. */
export const maxResponseFlag = '--prometheus-max-response-bytes';

export interface CappedRead {
  stream: Readable;
  /** The Content-Length header, when the server sent one. */
  contentLength: string | undefined;
  maxBytes: number;
  /** The endpoint, for messages (`api/v1/query`). */
  path: string;
  /** Ends the read: the request's deadline or the caller's stop. */
  signal: AbortSignal;
}

function tooLarge(path: string, maxBytes: number, detail: string): PrometheusError {
  return new PrometheusError(
    'response_too_large',
    `response from ${path} is larger than ${maxResponseFlag}=${maxBytes}: ${detail}`,
  );
}

/** The whole body, or a {@link PrometheusError}; the stream is destroyed on every failure. */
export function readCapped(r: CappedRead): Promise<Buffer> {
  const { stream, maxBytes, path, signal } = r;
  const declared = r.contentLength === undefined ? NaN : Number(r.contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    return Promise.reject(
      tooLarge(path, maxBytes, `Content-Length ${declared}, refused before reading`),
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (err: PrometheusError | undefined): void => {
      signal.removeEventListener('abort', onAbort);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err === undefined) return resolve(Buffer.concat(chunks, bytes));
      // Drop what was read at once: the refusal must not keep the cap's worth alive.
      chunks.length = 0;
      stream.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes)
        return finish(tooLarge(path, maxBytes, `refused after reading ${bytes} bytes`));
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    const onError = (err: Error): void =>
      finish(
        err instanceof PrometheusError
          ? err
          : new PrometheusError(
              'connection',
              `reading the response from ${path} failed: ${err.message}`,
              {
                cause: err,
              },
            ),
      );
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      finish(
        reason instanceof PrometheusError
          ? reason
          : new PrometheusError('aborted', `reading the response from ${path} was aborted`, {
              cause: reason,
            }),
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
