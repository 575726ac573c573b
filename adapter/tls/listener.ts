/**
 * The HTTPS server object with k8s.io/apiserver's connection limits (pkg/server/secure_serving.go:
 * MaxHeaderBytes 1 MiB, ReadHeaderTimeout 32 s, IdleTimeout 90 s), client certificates requested
 * but not required, and an answer for every request that never reaches the application.
 * @module
 */
import { STATUS_CODES, type RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import type { Logger, SelfMetrics } from '../../src/observability/index.js';

/** Connection limits; defaults are k8s.io/apiserver's http.Server settings. */
export interface ServerLimits {
  /** ReadHeaderTimeout 32s: a client that trickles headers is cut off (slowloris). */
  headersTimeoutMs: number;
  /** Time to receive a whole request. */
  requestTimeoutMs: number;
  /** IdleTimeout 90s, matching http.DefaultTransport's keep-alive. */
  keepAliveTimeoutMs: number;
  /** MaxHeaderBytes 1 MiB; larger requests get 431. */
  maxHeaderBytes: number;
  handshakeTimeoutMs: number;
  /** How often Node checks the header and request timeouts. */
  connectionsCheckingIntervalMs: number;
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 32_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 90_000,
  maxHeaderBytes: 1 << 20,
  handshakeTimeoutMs: 10_000,
  connectionsCheckingIntervalMs: 1_000,
};

export interface ListenerDeps {
  logger: Logger;
  metrics?: SelfMetrics;
}

const clientErrorStatus: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout'],
};

/** Writes the status line Node's default handler would write, and counts the refusal. */
function onClientError(deps: ListenerDeps, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET') return void socket.destroy();
  const [status, reason] = clientErrorStatus[err.code ?? ''] ?? [400, 'malformed_request'];
  deps.metrics?.apiRejected.inc({ reason });
  deps.logger.debug('client error', { status, code: err.code });
  const message = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !message?.headersSent) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  socket.destroy();
}

/** An HTTPS server for `app`; it verifies no client certificate itself (authentication does). */
export function createHttpsServer(
  app: RequestListener,
  context: SecureContextOptions,
  limits: ServerLimits,
  deps: ListenerDeps,
): Server {
  const server = createServer(
    {
      ...context,
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: limits.handshakeTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    },
    app,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) =>
    onClientError(deps, err, socket),
  );
  // Go's TLS server never renegotiates; a connection keeps the client certificate it opened with,
  // which is what authentication remembers per connection.
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  server.on('tlsClientError', (err: NodeJS.ErrnoException) => {
    deps.metrics?.apiRejected.inc({ reason: 'tls_handshake' });
    deps.logger.debug('TLS handshake failed', { code: err.code, err });
  });
  return server;
}

/** Resolves once `server` listens on `host:port`; rejects with the bind error. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
