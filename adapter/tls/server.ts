/**
 * The HTTPS listener of the aggregated API, with k8s.io/apiserver's serving behaviour
 * (pkg/server/secure_serving.go, dynamiccertificates): serving certificate from files that are
 * re-read when they change, a self-signed pair otherwise, client certificates requested but
 * verified later by authentication (so token and anonymous requests still reach it), the client
 * CA names advertised from every CA bundle authentication trusts, and the upstream timeouts.
 * @module
 */
import type { RequestListener } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Clock, Logger, SelfMetrics, Sleep } from '../../src/observability/index.js';
import { realSleep, systemClock } from '../../src/observability/index.js';
import { createHttpsServer, defaultServerLimits, listen, type ServerLimits } from './listener.js';
import { tlsCipherString, tlsMinVersion } from './options.js';
import { loadServingPair } from './pair.js';
import type { ServingPair } from './selfsigned.js';
import { contentHash, watchFiles, type FileWatch } from './watch.js';

/** A CA bundle trusted for client certificates; owned here, implemented by adapter/auth. */
export interface ClientCASource {
  /** The current PEM bundle; empty when there is none (yet). */
  currentPem(): string;
  /** Calls `listener` after the bundle changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export interface SecureServerOptions {
  /** `--tls-cert-file` and `--tls-private-key-file` (both or neither). */
  certFile?: string;
  keyFile?: string;
  /** `--cert-dir`: where the self-signed pair is kept when no files are given. */
  certDir?: string;
  /** `--tls-min-version`, Go name. */
  minVersion?: string;
  /** `--tls-cipher-suites`, Go names. */
  cipherSuites?: readonly string[];
  /** Bundles whose CA names are advertised in the TLS CertificateRequest. */
  clientCAs?: readonly ClientCASource[];
  bindAddress: string;
  /** 0 picks a free port (tests). */
  port: number;
  logger: Logger;
  metrics?: SelfMetrics;
  clock?: Clock;
  sleep?: Sleep;
  /** Re-read interval of the certificate files; upstream uses one minute. */
  pollIntervalMs?: number;
  limits?: Partial<ServerLimits>;
}

export interface SecureServer {
  server: Server;
  address(): AddressInfo;
  /** `https://host:port` of the listener. */
  url(): string;
  /** Re-reads the certificate files now (the watcher does this by itself). */
  reloadNow(): Promise<void>;
  close(): Promise<void>;
}

/** The secure context's inputs; `apply` swaps in a new context, keeping the old one on failure. */
class DynamicContext {
  server: Server | undefined;

  constructor(
    private pair: ServingPair,
    private readonly clientCAs: readonly ClientCASource[],
    private readonly settings: Pick<SecureContextOptions, 'minVersion' | 'ciphers'>,
    private readonly logger: Logger,
  ) {}

  options(): SecureContextOptions {
    const ca = this.clientCAs.map((s) => s.currentPem()).filter((pem) => pem.trim().length > 0);
    return {
      cert: this.pair.certPem,
      key: this.pair.keyPem,
      ...(ca.length ? { ca } : {}),
      ...this.settings,
    };
  }

  setPair(certPem: string, keyPem: string): void {
    this.pair = { ...this.pair, certPem, keyPem };
  }

  /** dynamiccertificates: new connections get the new context; a broken one is reported and skipped. */
  apply(cause: string): void {
    try {
      const next = this.options();
      createSecureContext(next);
      this.server?.setSecureContext(next);
      this.logger.info('TLS configuration reloaded', { cause });
    } catch (err) {
      this.logger.error('TLS configuration reload failed; keeping the previous one', {
        cause,
        err,
      });
    }
  }
}

function watchPair(
  pair: ServingPair,
  context: DynamicContext,
  options: SecureServerOptions,
): FileWatch | undefined {
  if (!pair.certFile || !pair.keyFile) return undefined;
  return watchFiles({
    files: [pair.certFile, pair.keyFile],
    initialHash: contentHash([Buffer.from(pair.certPem), Buffer.from(pair.keyPem)]),
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
    sleep: options.sleep ?? realSleep,
    logger: options.logger,
    onChange: ([cert, key]) => {
      context.setPair(cert!.toString('utf8'), key!.toString('utf8'));
      context.apply('serving certificate files changed');
    },
  });
}

/** Starts the HTTPS server and resolves once it listens. */
export async function createSecureServer(
  app: RequestListener,
  options: SecureServerOptions,
): Promise<SecureServer> {
  const minVersion = tlsMinVersion(options.minVersion);
  const ciphers = tlsCipherString(options.cipherSuites);
  const pair = await loadServingPair(options, options.clock ?? systemClock);
  const clientCAs = options.clientCAs ?? [];
  const settings = { ...(minVersion ? { minVersion } : {}), ...(ciphers ? { ciphers } : {}) };
  const context = new DynamicContext(pair, clientCAs, settings, options.logger);
  // Validates before anything listens: a bad key, cipher list or CA fails start-up with its cause.
  createSecureContext(context.options());
  const limits = { ...defaultServerLimits, ...options.limits };
  const server = createHttpsServer(app, context.options(), limits, {
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  context.server = server;
  const unsubscribe = clientCAs.map((s) =>
    s.onChange(() => context.apply('client CA bundle changed')),
  );
  const watch = watchPair(pair, context, options);
  try {
    await listen(server, options.port, options.bindAddress);
  } catch (err) {
    // Nothing listens: the certificate watcher and CA subscriptions must not outlive the attempt.
    watch?.close();
    for (const u of unsubscribe) u();
    throw err;
  }
  const address = (): AddressInfo => server.address() as AddressInfo;
  options.logger.info('serving securely', { address: address().address, port: address().port });
  return {
    server,
    address,
    url: () => {
      const a = address();
      return `https://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    },
    reloadNow: () => watch?.check() ?? Promise.resolve(),
    close: async () => {
      watch?.close();
      for (const u of unsubscribe) u();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
