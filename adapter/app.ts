/**
 * The aggregated API as an express application: discovery, metrics.k8s.io, custom.metrics.k8s.io
 * (v1beta1, v1beta2), external.metrics.k8s.io, OpenAPI, `/version` and the health endpoints,
 * built on the store's readers and the cluster view. Transport (TLS, timeouts on the socket) is
 * the server's job; authentication and authorization come in as the `guard` middleware.
 * @module
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';
import type { ClusterView } from '../src/cluster/index.js';
import { timeout } from '../src/k8s/index.js';
import type { HealthCheck, Logger, SelfMetrics } from '../src/observability/index.js';
import type {
  CustomMetricsReader,
  ExternalMetricsReader,
  ResourceMetricsReader,
} from '../src/store/index.js';
import { customRouter } from './custom/index.js';
import { discoveryRouter } from './discovery/index.js';
import {
  isPathNotFound,
  pathNotFound,
  rejectAnyMethod,
  sendStatus,
  statusOf,
  writeStatus,
} from './errors.js';
import { externalRouter } from './external/index.js';
import { healthRouter } from './health.js';
import { openApiRouter } from './openapi/index.js';
import { defaultRequestLimits, negotiate, writeJson, type RequestLimits } from './request.js';
import { requireOriginForm } from './request-target.js';
import { resourceRouter } from './resource/index.js';

/** What `/version` reports (k8s.io/apimachinery pkg/version Info); unset fields are derived or empty. */
export interface VersionInfo {
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  major?: string;
  minor?: string;
  platform?: string;
}

export interface ApiAppOptions {
  resource: ResourceMetricsReader;
  custom: CustomMetricsReader;
  external: ExternalMetricsReader;
  cluster: ClusterView;
  /** `live` backs /livez, `ready` /readyz (ready only after the first complete collection); /healthz runs both. */
  health: { live: HealthCheck[]; ready: HealthCheck[] };
  metrics: SelfMetrics;
  logger: Logger;
  /** Wall clock in ms: creationTimestamp of computed objects, Expires headers. */
  now: () => number;
  version: VersionInfo;
  /** Runs before every route: authn+authz from adapter/auth. */
  guard?: RequestHandler;
  /** Extra routers mounted after the guard, e.g. /hpa and /metrics from serve. */
  extraRoutes?: (app: express.Express) => void;
  /** Routers mounted after the guard and before the built-in ones (the embedded cluster's /api and /apis). */
  firstRoutes?: (app: express.Express) => void;
  limits?: Partial<RequestLimits>;
  /** Monotonic ms clock for request durations; performance.now by default. */
  monotonicNow?: () => number;
}

const GROUP_LABELS = new Set([
  'metrics.k8s.io',
  'custom.metrics.k8s.io',
  'external.metrics.k8s.io',
]);
const TOP_LABELS: Readonly<Record<string, string>> = {
  apis: 'discovery',
  openapi: 'openapi',
  version: 'version',
  healthz: 'health',
  livez: 'health',
  readyz: 'health',
  hpa: 'hpa',
  metrics: 'metrics',
};

/** The `group` label of a request: a served API group, or a fixed name per endpoint family; never free text. */
export function groupLabel(path: string): string {
  const [first = '', second = ''] = path.split('/', 3).slice(1);
  if (first === 'apis' && GROUP_LABELS.has(second)) return second;
  return Object.prototype.hasOwnProperty.call(TOP_LABELS, first) ? TOP_LABELS[first]! : 'other';
}

/** The `reason` label of a refused request, by Status reason; data 404s are answers, not refusals. */
const REJECTION_REASONS: Readonly<Record<string, string>> = {
  BadRequest: 'bad_request',
  MethodNotAllowed: 'method_not_allowed',
  NotAcceptable: 'not_acceptable',
  RequestEntityTooLarge: 'request_too_large',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  TooManyRequests: 'too_many_requests',
  Timeout: 'timeout',
};

/**
 * Counts and times every response, and bounds each request's handler work: past the deadline
 * the client gets 504 Timeout (the apiserver's WithTimeoutForNonLongRunningRequests wording) and
 * the late result is dropped by the writers.
 */
function instrument(o: ApiAppOptions, limits: RequestLimits): RequestHandler {
  const mono = o.monotonicNow ?? (() => performance.now());
  return (req, res, next) => {
    const start = mono();
    const group = groupLabel(req.path);
    const deadline = setTimeout(() => {
      if (res.headersSent) return;
      o.metrics.apiRejected.inc({ reason: 'timeout' });
      sendStatus(
        res,
        timeout('request did not complete within requested timeout - context deadline exceeded'),
        o.logger,
      );
    }, limits.requestTimeoutMs);
    deadline.unref();
    res.once('close', () => clearTimeout(deadline));
    res.once('finish', () => {
      clearTimeout(deadline);
      o.metrics.apiRequests.inc({ group, code: String(res.statusCode) });
      o.metrics.apiRequestDuration.observe({ group }, (mono() - start) / 1000);
    });
    next();
  };
}

/** The last middleware: every error becomes a Status; refusals are counted by reason. */
function errorHandler(o: ApiAppOptions): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = statusOf(err);
    if (res.headersSent) {
      o.logger.debug('error after response started', {
        path: res.req.path,
        code: status.code,
        err,
      });
      return writeStatus(res, status);
    }
    const reason = isPathNotFound(status) ? 'unknown_path' : REJECTION_REASONS[status.reason];
    if (reason !== undefined) o.metrics.apiRejected.inc({ reason });
    sendStatus(res, err, o.logger);
  };
}

const GO_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  s390x: 's390x',
  ppc64: 'ppc64le',
};

/** version.Info JSON; major and minor come from gitVersion (`v0.1.0` → "0", "1") unless given. */
export function versionJson(v: VersionInfo): string {
  const m = /^v?(\d+)\.(\d+)/.exec(v.gitVersion);
  return JSON.stringify({
    major: v.major ?? m?.[1] ?? '',
    minor: v.minor ?? m?.[2] ?? '',
    gitVersion: v.gitVersion,
    gitCommit: v.gitCommit ?? '',
    gitTreeState: v.gitTreeState ?? '',
    buildDate: v.buildDate ?? '',
    goVersion: '',
    compiler: 'node',
    platform: v.platform ?? `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  });
}

/** Builds the application. It listens nowhere: the server wraps it in HTTPS. */
export function createApiApp(o: ApiAppOptions): express.Express {
  const limits: RequestLimits = { ...defaultRequestLimits, ...o.limits };
  const app = express();
  app.disable('x-powered-by');
  // Bodies are built once as text; express's ETag would hash every list on every request.
  app.set('etag', false);
  app.set('query parser', false);
  app.set('case sensitive routing', true);
  app.use(instrument(o, limits));
  // Before the guard: only targets whose raw path is the routed path can be authorized as served.
  app.use(requireOriginForm(o));
  if (o.guard) app.use(o.guard);
  o.firstRoutes?.(app);
  // The metric routes first: they carry the load (the HPA polls them), the rest is occasional.
  app.use(
    '/apis/metrics.k8s.io/v1beta1',
    resourceRouter({ reader: o.resource, cluster: o.cluster, now: o.now, limits }),
  );
  for (const version of ['v1beta1', 'v1beta2'] as const) {
    app.use(
      `/apis/custom.metrics.k8s.io/${version}`,
      customRouter({ reader: o.custom, cluster: o.cluster, limits }, version),
    );
  }
  app.use('/apis/external.metrics.k8s.io/v1beta1', externalRouter({ reader: o.external, limits }));
  app.use(discoveryRouter({ custom: o.custom, external: o.external }));
  app.use(healthRouter({ live: o.health.live, ready: o.health.ready, logger: o.logger }));
  const version = versionJson(o.version);
  app
    .route('/version')
    .get((req, res) => {
      negotiate(req.headers.accept, false);
      writeJson(res, version);
    })
    .all(rejectAnyMethod);
  app.use(openApiRouter({ title: 'scaleplane', version: o.version.gitVersion, now: o.now }));
  o.extraRoutes?.(app);
  app.use((_req, _res, next) => next(pathNotFound()));
  app.use(errorHandler(o));
  return app;
}
