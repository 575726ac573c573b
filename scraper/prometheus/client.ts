/**
 * Prometheus HTTP API client (axios): /api/v1/series for discovery and /api/v1/query for values,
 * the two endpoints prometheus-adapter's pkg/client/api.go queryClient uses. Requests are GET as
 * upstream, switching to a form POST (which Prometheus accepts on both endpoints) when the URL
 * would be too long for proxies. Auth is a bearer token file or basic auth with a password file;
 * TLS takes a CA and a client certificate; extra headers are sent as given. Bodies are capped and
 * decoded by decode.ts; every failure is a {@link PrometheusError} with a stable reason.
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import { readFile as fsReadFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../../src/observability/index.js';
import { readCapped } from './body.js';
import { CachedSecretFile } from './credentials.js';
import {
  decodeEnvelope,
  decodeQueryData,
  decodeSeriesData,
  type QueryResult,
  type SeriesResult,
} from './decode.js';
import { PrometheusError } from './errors.js';

export interface PrometheusClientOptions {
  /** Base URL, such as `http://prometheus.monitoring.svc:9090` or one with a path prefix. */
  url: string;
  timeoutMs: number;
  clock: Clock;
  headers?: Readonly<Record<string, string>>;
  tokenFile?: string;
  basicAuth?: { user: string; passwordFile: string };
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /**
   * Responses above this many (decoded) bytes fail with `response_too_large`, refused while they
   * stream (body.ts); default {@link defaultMaxResponseBytes} (`--prometheus-max-response-bytes`).
   */
  maxResponseBytes?: number;
  /** GET URLs longer than this are sent as a form POST instead; default 8 KiB. */
  maxGetUrlBytes?: number;
  /** --prometheus-verb: POST sends every call as a form POST; GET (default) as above. */
  verb?: 'GET' | 'POST';
  /**
   * --prometheus-auth-config / --prometheus-auth-incluster: TLS (CA, client certificate,
   * insecure-skip-tls-verify, tls-server-name) and credentials (token, token file, exec, basic
   * auth) of the current context, as client-go's rest.TransportFor applies them; the server of
   * the context is not used. Credentials are re-applied per request, since tokens rotate; a
   * --prometheus-token-file still replaces the token (prometheus-adapter wraps it around).
   */
  kubeAuth?: KubeConfig;
}

/** The two calls the collector makes; tests and the on-demand path depend on this seam. */
export interface PrometheusApi {
  /** Label sets of series matching any of `matchers` (`match[]`), optionally since `startMs`. */
  series(
    matchers: readonly string[],
    range?: { startMs?: number; endMs?: number },
    signal?: AbortSignal,
  ): Promise<SeriesResult>;
  /** An instant query evaluated at `timeMs` (Prometheus's now when absent). */
  query(promql: string, timeMs?: number, signal?: AbortSignal): Promise<QueryResult>;
}

type ReadFileFn = (path: string) => Promise<Buffer>;

/** 64 MiB: about 300,000 series or samples of a typical label set in one answer. */
export const defaultMaxResponseBytes = 64 * 1024 * 1024;

/** Unix seconds with millisecond precision, as pmodel.Time.String formats `start` and `time`. */
function unixSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export class PrometheusClient implements PrometheusApi {
  private readonly http: AxiosInstance;
  private readonly token: CachedSecretFile | undefined;
  private readonly password: CachedSecretFile | undefined;
  private readonly maxGetUrlBytes: number;

  private constructor(
    private readonly o: PrometheusClientOptions,
    tls: TlsMaterial,
  ) {
    const base = o.url.endsWith('/') ? o.url : `${o.url}/`;
    this.http = axios.create({
      baseURL: base,
      timeout: o.timeoutMs,
      // body.ts enforces the cap on the stream: axios's own check buffers first.
      maxContentLength: -1,
      maxRedirects: 0,
      // Environment proxies are not consulted: the Prometheus URL is explicit configuration.
      proxy: false,
      responseType: 'stream',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({
        keepAlive: true,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
      }),
    });
    this.token = o.tokenFile
      ? new CachedSecretFile(o.tokenFile, '--prometheus-token-file', o.clock)
      : undefined;
    this.password = o.basicAuth
      ? new CachedSecretFile(
          o.basicAuth.passwordFile,
          '--prometheus-basic-auth-password-file',
          o.clock,
        )
      : undefined;
    this.maxGetUrlBytes = o.maxGetUrlBytes ?? 8 * 1024;
  }

  /** Reads the TLS files once (a restart picks up new ones, as Go's transport does) and builds the client. */
  static async create(
    o: PrometheusClientOptions,
    readFile: ReadFileFn = fsReadFile,
  ): Promise<PrometheusClient> {
    const read = async (flag: string, path: string | undefined): Promise<Buffer | undefined> => {
      if (!path) return undefined;
      try {
        return await readFile(path);
      } catch (err) {
        throw new PrometheusError('credentials', `cannot read ${flag} file ${path}`, {
          cause: err,
        });
      }
    };
    const [ca, cert, key] = await Promise.all([
      read('--prometheus-ca-file', o.caFile),
      read('--prometheus-client-tls-cert-file', o.clientCertFile),
      read('--prometheus-client-tls-key-file', o.clientKeyFile),
    ]);
    const fromKube = o.kubeAuth ? await kubeTls(o.kubeAuth) : {};
    return new PrometheusClient(o, {
      ca: ca ?? fromKube.ca,
      cert: cert ?? fromKube.cert,
      key: key ?? fromKube.key,
      rejectUnauthorized: fromKube.rejectUnauthorized,
      servername: fromKube.servername,
    });
  }

  async series(
    matchers: readonly string[],
    range: { startMs?: number; endMs?: number } = {},
    signal?: AbortSignal,
  ): Promise<SeriesResult> {
    const params = new URLSearchParams();
    for (const m of matchers) params.append('match[]', m);
    if (range.startMs !== undefined) params.set('start', unixSeconds(range.startMs));
    if (range.endMs !== undefined) params.set('end', unixSeconds(range.endMs));
    return decodeSeriesData(await this.call('api/v1/series', params, signal));
  }

  async query(promql: string, timeMs?: number, signal?: AbortSignal): Promise<QueryResult> {
    const params = new URLSearchParams({ query: promql });
    if (timeMs !== undefined) params.set('time', unixSeconds(timeMs));
    // Tell Prometheus our deadline so it stops evaluating when we stop waiting (api.go Query).
    params.set('timeout', `${Math.max(1, Math.floor(this.o.timeoutMs / 1000))}s`);
    return decodeQueryData(await this.call('api/v1/query', params, signal));
  }

  private async call(
    path: string,
    params: URLSearchParams,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const headers = await this.headers();
    const query = params.toString();
    // One deadline for the whole exchange, body included: axios's timeout only covers the wait
    // for headers and idle sockets, and a body trickled byte by byte must not hold a query.
    const call = new AbortController();
    const timer = setTimeout(
      () =>
        call.abort(
          new PrometheusError(
            'timeout',
            `request to ${path} timed out after ${this.o.timeoutMs} ms`,
          ),
        ),
      this.o.timeoutMs,
    );
    const onStop = (): void =>
      call.abort(new PrometheusError('aborted', `request to ${path} was aborted`));
    if (signal?.aborted) onStop();
    signal?.addEventListener('abort', onStop, { once: true });
    try {
      let res: AxiosResponse<Readable>;
      try {
        res =
          this.o.verb === 'POST' || path.length + query.length + 1 > this.maxGetUrlBytes
            ? await this.http.post<Readable>(path, query, {
                headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                signal: call.signal,
              })
            : await this.http.get<Readable>(`${path}?${query}`, { headers, signal: call.signal });
      } catch (err) {
        throw requestError(err, path, call.signal);
      }
      const length: unknown = res.headers['content-length'];
      const body = await readCapped({
        stream: res.data,
        contentLength:
          typeof length === 'string' || typeof length === 'number' ? String(length) : undefined,
        maxBytes: this.o.maxResponseBytes ?? defaultMaxResponseBytes,
        path,
        signal: call.signal,
      });
      return decodeEnvelope(res.status, body);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onStop);
    }
  }

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.o.headers };
    if (this.o.kubeAuth) Object.assign(headers, await kubeCredentials(this.o.kubeAuth));
    if (this.token) headers.authorization = `Bearer ${await this.token.read()}`;
    if (this.o.basicAuth && this.password) {
      const pair = `${this.o.basicAuth.user}:${await this.password.read()}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    return headers;
  }
}

interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Applies the kubeconfig's context to empty request options, naming the flag on failure. */
async function applyKube(kc: KubeConfig): Promise<https.RequestOptions> {
  const opts: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (err) {
    throw new PrometheusError(
      'credentials',
      `cannot apply the Prometheus kubeconfig credentials: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return opts;
}

/** The TLS part of the kubeconfig's context, read once like the --prometheus-*-file TLS files. */
async function kubeTls(kc: KubeConfig): Promise<TlsMaterial> {
  const opts = await applyKube(kc);
  const buf = (v: unknown): Buffer | undefined =>
    Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v) : undefined;
  return {
    ca: buf(opts.ca),
    cert: buf(opts.cert),
    key: buf(opts.key),
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername ?? undefined,
  };
}

/** The Authorization header of the kubeconfig's user (token, token file, exec or basic auth). */
async function kubeCredentials(kc: KubeConfig): Promise<Record<string, string>> {
  const opts = await applyKube(kc);
  const out: Record<string, string> = {};
  const auth = (opts.headers as Record<string, unknown> | undefined)?.Authorization;
  if (typeof auth === 'string') out.authorization = auth;
  if (typeof opts.auth === 'string' && opts.auth !== '')
    out.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return out;
}

/** Maps an axios failure (no response, or a response axios refused) to a typed error. */
function requestError(err: unknown, path: string, call: AbortSignal): PrometheusError {
  if (err instanceof PrometheusError) return err;
  // Our own deadline or the caller's stop: its reason says which.
  if (call.aborted && call.reason instanceof PrometheusError) return call.reason;
  if (!(err instanceof AxiosError))
    return new PrometheusError('connection', `request to ${path} failed: ${String(err)}`, {
      cause: err,
    });
  if (err.code === AxiosError.ECONNABORTED || err.code === AxiosError.ETIMEDOUT) {
    return new PrometheusError('timeout', `request to ${path} timed out`, { cause: err });
  }
  if (err.code === AxiosError.ERR_CANCELED)
    return new PrometheusError('aborted', `request to ${path} was aborted`, { cause: err });
  return new PrometheusError('connection', `request to ${path} failed: ${err.message}`, {
    cause: err,
  });
}
