/**
 * The kubelet HTTP client: GET one URL, return the body bytes; decoding is the decoders' job
 * (design habit 6). Built on node:http(s) with one keep-alive agent per scheme, because at 5,000
 * nodes a scrape is a few thousand small GETs per tick and a TLS handshake per request would cost
 * more than the decode. Every failure is a {@link KubeletScrapeError} with a stable reason.
 *
 * Request shape follows metrics-server pkg/scraper/client/resource/client.go `getMetrics` (GET,
 * the response read whole, any non-OK status an error), plus what it leaves to Go's transport:
 * a response size cap and a content-type check, so a hostile kubelet cannot make us buffer
 * without bound or decode HTML as metrics.
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import { KubeletScrapeError, reasonForNetworkError } from './errors.js';
import type { KubeletSourceKind } from './options.js';
import type { KubeletTlsMaterial } from './tls.js';
import type { BearerTokenSource } from './token.js';

export interface KubeletHttpClientOptions {
  source: KubeletSourceKind;
  /** Responses larger than this fail with `body_too_large` (`--kubelet-max-body-bytes`). */
  maxBodyBytes: number;
  /** Sockets per host; the loop's concurrency bounds the total (`--kubelet-max-concurrency`). */
  maxSockets: number;
  tls?: KubeletTlsMaterial;
  /** Bearer token, sent over HTTPS only. */
  token?: BearerTokenSource;
  /** How long an idle keep-alive socket is kept; default 90 s, Go's http.Transport IdleConnTimeout. */
  idleSocketTimeoutMs?: number;
}

export interface KubeletGetOptions {
  /** Aborts the request; a `KubeletScrapeError` or `TimeoutError` reason keeps its meaning. */
  signal?: AbortSignal;
  /** Fails with `timeout` after this long; the loop usually passes a signal instead. */
  timeoutMs?: number;
}

/**
 * The kubelet serves /metrics/resource in the Prometheus text format (we ask for it first, so a
 * content-negotiating handler never answers protobuf) and /stats/summary as JSON. The `*` fallback
 * is for endpoints that negotiate strictly on their own media type string: kwok's emulated kubelet
 * answers 406 to a bare `text/plain;version=0.0.4`, while metrics-server, which sends no Accept,
 * is served; the content type of the answer is still checked against `allowed`.
 */
const mediaTypes: Record<KubeletSourceKind, { accept: string; allowed: readonly string[] }> = {
  resource: { accept: 'text/plain;version=0.0.4,*/*;q=0.1', allowed: ['text/plain'] },
  summary: { accept: 'application/json', allowed: ['application/json'] },
};

type Finish = (err: KubeletScrapeError | undefined, body?: Buffer) => void;

/** GETs kubelet endpoints over keep-alive connections; see the module comment. */
export class KubeletHttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly media: { accept: string; allowed: readonly string[] };

  constructor(private readonly options: KubeletHttpClientOptions) {
    const common = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      timeout: options.idleSocketTimeoutMs ?? 90_000,
      scheduling: 'lifo' as const,
    };
    const tls = options.tls;
    this.httpAgent = new http.Agent(common);
    this.httpsAgent = new https.Agent({
      ...common,
      ca: tls?.ca,
      cert: tls?.cert,
      key: tls?.key,
      rejectUnauthorized: !(tls?.insecureSkipVerify ?? false),
    });
    this.media = mediaTypes[options.source];
  }

  /** The body of a 2xx response of an accepted media type, at most `maxBodyBytes` long. */
  async get(url: string, o: KubeletGetOptions = {}): Promise<Buffer> {
    const isHttps = url.startsWith('https:');
    const headers: Record<string, string> = { accept: this.media.accept };
    // metrics-server's insecure mode uses rest.AnonymousClientConfig "to avoid leaking auth details
    // to insecure endpoints": never send the token in clear text.
    if (isHttps && this.options.token) {
      try {
        headers.authorization = `Bearer ${await this.options.token.token()}`;
      } catch (err) {
        throw new KubeletScrapeError('credentials', (err as Error).message, url, { cause: err });
      }
    }
    return new Promise<Buffer>((resolve, reject) =>
      this.request(url, isHttps, headers, o, resolve, reject),
    );
  }

  /** Closes idle sockets; in-flight requests end with their own errors. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private request(
    url: string,
    isHttps: boolean,
    headers: Record<string, string>,
    o: KubeletGetOptions,
    resolve: (b: Buffer) => void,
    reject: (e: unknown) => void,
  ): void {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const { signal } = o;
    const onAbort = (): void => finish(abortError(signal?.reason, url));
    const finish: Finish = (err, body) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        // Destroy rather than drain: the socket of a failed or hostile response is never reused.
        req.destroy();
        reject(err);
      } else resolve(body ?? Buffer.alloc(0));
    };
    const req = (isHttps ? https : http).get(url, {
      agent: isHttps ? this.httpsAgent : this.httpAgent,
      headers,
    });
    req.on('error', (err) =>
      finish(
        new KubeletScrapeError(
          reasonForNetworkError(err),
          `request to ${url} failed: ${err.message}`,
          url,
          { cause: err },
        ),
      ),
    );
    req.on('response', (res) => this.readResponse(res, url, finish));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (o.timeoutMs !== undefined)
      timer = setTimeout(
        () =>
          finish(
            new KubeletScrapeError(
              'timeout',
              `no complete response from ${url} within ${o.timeoutMs} ms`,
              url,
            ),
          ),
        o.timeoutMs,
      );
  }

  private readResponse(res: http.IncomingMessage, url: string, finish: Finish): void {
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299)
      return finish(
        new KubeletScrapeError(`http_${status}`, `request to ${url} failed, status ${status}`, url),
      );
    const mediaType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!this.media.allowed.includes(mediaType)) {
      return finish(
        new KubeletScrapeError(
          'bad_content_type',
          `response from ${url} has content type ${JSON.stringify(mediaType)}, want ${this.media.allowed.join(' or ')}`,
          url,
        ),
      );
    }
    const max = this.options.maxBodyBytes;
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > max) return finish(tooLarge(url, max));
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) return finish(tooLarge(url, max));
      chunks.push(chunk);
    });
    res.on('end', () => {
      if (!res.complete) return finish(truncated(url));
      finish(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    });
    res.on('error', (err) => finish(truncated(url, err)));
    res.on('close', () => {
      if (!res.complete) finish(truncated(url));
    });
  }
}

function tooLarge(url: string, max: number): KubeletScrapeError {
  return new KubeletScrapeError('body_too_large', `response from ${url} exceeds ${max} bytes`, url);
}

function truncated(url: string, cause?: unknown): KubeletScrapeError {
  return new KubeletScrapeError(
    'truncated',
    `response from ${url} ended before its body was complete`,
    url,
    { cause },
  );
}

/** An abort keeps a typed reason (the loop's timeout or deadline); any other reason is `aborted`. */
function abortError(reason: unknown, url: string): KubeletScrapeError {
  if (reason instanceof KubeletScrapeError)
    return new KubeletScrapeError(reason.reason, reason.message, url, { cause: reason });
  if ((reason as { name?: unknown } | undefined)?.name === 'TimeoutError')
    return new KubeletScrapeError('timeout', `request to ${url} timed out`, url, { cause: reason });
  return new KubeletScrapeError('aborted', `request to ${url} was aborted`, url, { cause: reason });
}
