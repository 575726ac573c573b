/**
 * The Kubernetes API as plain JSON over HTTP(S), authenticated from the KubeConfig (token, client
 * certificate, exec or token-file providers, via client-node's applyToHTTPSOptions). The discovery,
 * /scale, list-by-selector and Event calls go through here; bodies stay the API server's JSON
 * (timestamps as RFC 3339 strings), the same shape the watch stream delivers.
 * @module
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** One API call. `path` starts with `/api` or `/apis`. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Readonly<Record<string, string | undefined>>;
  body?: unknown;
  /** Default `application/json`. */
  accept?: string;
  /** Default `application/json` when there is a body. */
  contentType?: string;
}

/** The seam every API caller in src/cluster uses; the real one is {@link KubeHttpClient}. */
export interface KubeApi {
  /** Resolves the decoded JSON body of a 2xx answer; rejects with a {@link KubeApiError}. */
  request<T = unknown>(req: KubeRequest): Promise<T>;
}

/** A failed call: `statusCode` 0 means no HTTP answer (connection refused, timeout, bad body). */
export class KubeApiError extends Error {
  readonly code = 'KUBE_API_ERROR';
  constructor(
    readonly statusCode: number,
    /** The Status reason (`NotFound`, `Forbidden`, ...) or `Transport`. */
    readonly reason: string,
    message: string,
    readonly method: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

export interface KubeHttpClientOptions {
  kubeConfig: KubeConfig;
  /** Deadline of one call; default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted; default 64 MiB (lists are paged, so a page is far smaller). */
  maxBodyBytes?: number;
}

const defaultReasons: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The Status in an error body, or the reason client-go would infer from the code alone. */
function statusOf(code: number, text: string): { reason: string; message: string } {
  try {
    const body = JSON.parse(text) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (body.kind === 'Status' && typeof body.message === 'string') {
      return {
        reason:
          typeof body.reason === 'string' && body.reason
            ? body.reason
            : (defaultReasons[code] ?? 'Unknown'),
        message: body.message,
      };
    }
  } catch {
    // Not JSON: a proxy's HTML page, say. The code still tells the story.
  }
  const reason = defaultReasons[code] ?? 'Unknown';
  return { reason, message: `the server responded with HTTP ${code} (${reason})` };
}

function urlOf(server: string, req: KubeRequest): URL {
  const url = new URL(server.replace(/\/+$/, '') + req.path);
  for (const [k, v] of Object.entries(req.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** {@link KubeApi} over node:http(s), one request per call (the agent comes from the KubeConfig). */
export class KubeHttpClient implements KubeApi {
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly o: KubeHttpClientOptions) {
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.maxBodyBytes = o.maxBodyBytes ?? 64 * 1024 * 1024;
  }

  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const fail = (code: number, reason: string, message: string, cause?: unknown): KubeApiError =>
      new KubeApiError(
        code,
        reason,
        message,
        req.method,
        req.path,
        cause === undefined ? undefined : { cause },
      );
    const server = this.o.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw fail(0, 'Transport', 'the kubeconfig has no current cluster');
    const url = urlOf(server, req);
    const opts: RequestOptions = {};
    try {
      // Re-applied per call: token files and exec credentials rotate.
      await this.o.kubeConfig.applyToHTTPSOptions(opts);
    } catch (err) {
      throw fail(0, 'Transport', `cannot build credentials: ${(err as Error).message}`, err);
    }
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | number> = {
      ...(opts.headers as Record<string, string>),
      Accept: req.accept ?? 'application/json',
    };
    if (body) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = body.length;
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { code, text } = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const r = send(
        url,
        { ...opts, method: req.method, headers, timeout: this.timeoutMs },
        (res) => {
          this.readBody(res).then(
            (t) => resolve({ code: res.statusCode ?? 0, text: t }),
            (err: Error) => reject(fail(0, 'Transport', err.message, err)),
          );
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer within ${this.timeoutMs}ms`)));
      r.on('error', (err) => reject(fail(0, 'Transport', err.message, err)));
      // A TLS socket destroyed mid-handshake can report a late write error (ECANCELED) on the
      // socket after the request has already failed; without a listener Node would treat it as
      // uncaught and end the process. The request's own 'error' above has reported the failure.
      r.on('socket', (socket) => socket.on('error', () => undefined));
      r.end(body);
    });
    if (code < 200 || code > 299) {
      const s = statusOf(code, text);
      throw fail(code, s.reason, s.message);
    }
    try {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    } catch (err) {
      throw fail(
        0,
        'Transport',
        `the server answered ${req.method} ${req.path} with a body that is not JSON`,
        err,
      );
    }
  }

  private readBody(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          res.destroy(new Error(`response body larger than ${this.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  }
}

/** True for a 404 answer (the object, or the path, does not exist). */
export function isNotFoundError(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}
