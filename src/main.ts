#!/usr/bin/env node
/**
 * The composition root (metrics-server's Config.Complete): the one file under src/ that imports
 * adapter/ and scraper/. It registers `serve` into the CLI's command table and is the process
 * entry (package.json bin). `startServe` builds config → logger → self-metrics → stores →
 * cluster (a real one, or the embedded simulated one) → kubelet scraper → Prometheus collector →
 * adapter app behind auth and TLS → HPA runtime, and returns a handle that stops them in order.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestHandler } from 'express';
import {
  createApiApp,
  createDelegatingAuth,
  createSecureServer,
  createStaticTokenAuth,
  ensureSelfSignedPair,
  hpaRouter,
  kubeRouter,
  type ClientCASource,
  type KubeObjectsReader,
  type DelegatingAuth,
  type SecureServer,
} from '../adapter/index.js';
import {
  PrometheusClient,
  PrometheusCollector,
  PrometheusResourceCollector,
  previewDiscovery,
  type PrometheusApi,
} from '../scraper/prometheus/index.js';
import {
  WorldKubelets,
  createKubeletScraper,
  validateKubeletScrapeOptions,
  type KubeletScraper,
} from '../scraper/index.js';
import { commands } from './cli/commands.js';
import { configCheckCommand, type DiscoverOnce } from './cli/config-check.js';
import { run, type CliIo } from './cli/main.js';
import { nodeIo } from './cli/node-io.js';
import { serveCommand } from './cli/serve.js';
import {
  KubeCluster,
  KubeConfigError,
  clientRateLimiter,
  loadAuthKubeConfig,
  KubeHttpClient,
  kubeConfigSource,
  LeaderElector,
  LeaderGatedEventRecorder,
  loadDelegationKubeConfigs,
  loadKubeConfig,
  serviceAccountDir,
  type ClusterView,
  type EventRecorder,
  type HpaSource,
} from './cluster/index.js';
import {
  formatIssues,
  idleSettingWarnings,
  ignoredFlagsWarning,
  parseRulesDocument,
  readConfigFile,
  type ConfigIssue,
  type ServeConfig,
} from './config/index.js';
import {
  collectProcessMetrics,
  createLogger,
  createSelfMetrics,
  levelFromVerbosity,
  ShutdownGate,
  realSleep,
  systemClock,
  type Clock,
  type HealthCheck,
  type Logger,
  type Random,
  type SelfMetrics,
  type Sleep,
} from './observability/index.js';
import {
  HpaRuntime,
  hpaExplainCommand,
  type DecisionReader,
  type HpaDecisionRecord,
  type ScaleWriter,
} from './runtime/index.js';
import {
  SimCluster,
  SimDriver,
  type ScaledTime,
  SimWorld,
  instructions,
  kubeletNodes,
  scaledTime,
  syncLine,
  walkthroughHpa,
  walkthroughWorld,
} from './sim/index.js';
import {
  CustomMetricsStore,
  RatedResourceStore,
  ResourceStore,
  type ResourceMetricsReader,
} from './store/index.js';
import { embeddedObjects, writeEmbeddedKubeconfig } from './embedded-api.js';

/** Process edges and test seams of {@link startServe}. */
export interface ServeEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** For a person: the embedded mode's banner and sync lines. */
  stdout: { write(chunk: string): unknown };
  /** JSON log lines. */
  logStream: Pick<NodeJS.WritableStream, 'write'>;
  clock?: Clock;
  sleep?: Sleep;
  random?: Random;
  serviceAccountDir?: string;
  /** How long the API server may take to answer the start-up probe; default 10 s. */
  clusterProbeTimeoutMs?: number;
  /** Lowest --metric-resolution accepted with a real cluster; default metrics-server's 10 s. */
  minResolutionMs?: number;
  /** Replaces delegated authentication with a cluster (tests that exercise no TokenReview). */
  guard?: RequestHandler;
}

export interface EmbeddedInfo {
  caFile: string;
  token: string;
  world: SimWorld;
  /** The temporary directory (key, certificates, kubeconfig), removed on stop and on a failed start. */
  dir: string;
  /** A kubeconfig for the simulated cluster (kubectl, `scaleplane hpa explain`). */
  kubeconfigFile: string;
}

/** A running `serve`. */
export interface RunningServe {
  mode: 'cluster' | 'embedded';
  url: string;
  runtime: HpaRuntime | undefined;
  embedded?: EmbeddedInfo;
  logger: Logger;
  /** --shutdown-delay-duration: fails /readyz, keeps serving for the delay, then resolves. */
  beginShutdown(): Promise<void>;
  /** Stops accepting, lets requests in flight finish (up to the grace period), then stops every loop. */
  stop(): Promise<void>;
}

/** Configuration that is well-formed but unusable (files the scraper could not load): exit 2. */
export class ServeConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'ServeConfigError';
  }
}

interface Stoppable {
  name: string;
  stop(): Promise<void> | void;
}

/** What the common tail (stores, scraper, app, server, runtime) needs from either cluster. */
interface ClusterWiring {
  view: ClusterView;
  hpas: HpaSource | undefined;
  health: HealthCheck[];
  clock: Clock;
  sleep: Sleep;
  guard: RequestHandler;
  clientCAs: ClientCASource[];
  bindAddress: string;
  tls: { certFile?: string; keyFile?: string; certDir?: string };
  kubeConfig?: KubeConfig;
  staticNodesFile?: string;
  minResolutionMs: number;
  events?: EventRecorder;
  scaleWriter?: ScaleWriter;
  objectResources?: (
    apiVersion: string | undefined,
    kind: string,
  ) => Promise<{ group: string; resource: string } | undefined>;
  onSync?: (records: readonly HpaDecisionRecord[]) => void;
  /** The embedded cluster's objects for its read-only Kubernetes API. */
  kubeObjects?: (decisions: DecisionReader | undefined) => KubeObjectsReader;
  stoppables: Stoppable[];
}

function packageVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    join(here, '..', 'package.json'),
    join(here, '..', '..', 'package.json'),
  ]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'scaleplane' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not this candidate.
    }
  }
  return '0.0.0';
}

/** The first PEM certificate block from the end: the CA of a leaf-then-CA chain. */
function lastCertificate(chainPem: string): string {
  const blocks =
    chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const last = blocks.at(-1);
  if (last === undefined) throw new Error('the generated serving chain holds no certificate');
  return `${last}\n`;
}

/**
 * Fails within `timeoutMs` when the kubeconfig's server does not answer, naming the server and
 * the file, instead of informers retrying forever against nothing.
 */
async function probeCluster(
  kubeConfig: KubeConfig,
  source: string,
  timeoutMs: number,
): Promise<void> {
  const server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
  let timer: NodeJS.Timeout | undefined;
  // Our own deadline: the client's socket timeout is per idle period, so a silent TLS peer can hold it longer.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { statusCode: 0 })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      new KubeHttpClient({ kubeConfig, timeoutMs }).request({ method: 'GET', path: '/version' }),
      deadline,
    ]);
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    // Any HTTP answer means a server is there; only silence or a refused connection is fatal.
    if (status !== undefined && status !== 0) return;
    throw new Error(
      `cannot reach the Kubernetes API server ${server} (from ${source}) within ${timeoutMs} ms: ${(err as Error).message}; ` +
        'start that cluster, switch context (kubectl config use-context) or pass --kubeconfig FILE; ' +
        'for the simulated demo cluster run npm start (serve --embedded), which contacts no cluster',
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
}

function clusterCaOf(kubeConfig: KubeConfig): Buffer | undefined {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64');
  if (cluster?.caFile) return readFileSync(cluster.caFile);
  return undefined;
}

function delegatingAuth(
  config: ServeConfig,
  kubeConfig: KubeConfig,
  logger: Logger,
  metrics: SelfMetrics,
): ReturnType<typeof createDelegatingAuth> {
  const s = config.serving;
  const d = loadDelegationKubeConfigs({
    main: kubeConfig,
    authenticationKubeconfig: config.authenticationKubeconfig,
    authorizationKubeconfig: config.authorizationKubeconfig,
  });
  return createDelegatingAuth({
    clientCAFile: s.clientCAFile,
    requestHeaderClientCAFile: s.requestheaderClientCAFile,
    requestHeaderAllowedNames: s.requestheaderAllowedNames,
    requestHeaderUsernameHeaders: s.requestheaderUsernameHeaders,
    requestHeaderGroupHeaders: s.requestheaderGroupHeaders,
    requestHeaderExtraHeadersPrefix: s.requestheaderExtraHeadersPrefix,
    tokenCacheTtlMs: s.tokenCacheTtlMs,
    authorizedTtlMs: s.authorizedCacheTtlMs,
    unauthorizedTtlMs: s.unauthorizedCacheTtlMs,
    alwaysAllowPaths: s.alwaysAllowPaths,
    anonymous: s.anonymousAuth,
    skipLookup: s.authenticationSkipLookup,
    tolerateLookupFailure: s.authenticationTolerateLookupFailure,
    authenticationKubeConfig: d.authentication,
    authorizationKubeConfig: d.authorization,
    logger: logger.child({ component: 'auth' }),
    metrics,
  });
}

/**
 * The Lease election of the replicas that write (Events, with --hpa-mode=recommend); undefined
 * when nothing writes or --leader-elect=false. Identity: hostname (the pod name) and a random
 * suffix, as client-go's users build it, so two processes on one host differ.
 */
function leaderElector(
  config: ServeConfig,
  kubeConfig: KubeConfig,
  env: ServeEnvironment,
  logger: Logger,
  metrics: SelfMetrics,
): LeaderElector | undefined {
  const le = config.leaderElection;
  if (!le.enabled || config.hpaMode !== 'recommend') return undefined;
  return new LeaderElector({
    // A renewal that outlives the renew deadline is worthless: the call's own deadline matches it.
    api: new KubeHttpClient({ kubeConfig, timeoutMs: le.renewDeadlineMs }),
    namespace: le.resourceNamespace,
    name: le.resourceName,
    identity: `${hostname()}_${randomUUID()}`,
    leaseDurationMs: le.leaseDurationMs,
    renewDeadlineMs: le.renewDeadlineMs,
    retryPeriodMs: le.retryPeriodMs,
    clock: env.clock ?? systemClock,
    sleep: env.sleep ?? realSleep,
    random: env.random ?? Math.random,
    logger,
    metrics,
  });
}

async function wireCluster(
  config: ServeConfig,
  kubeConfig: KubeConfig,
  env: ServeEnvironment,
  logger: Logger,
  metrics: SelfMetrics,
): Promise<ClusterWiring> {
  const clock = env.clock ?? systemClock;
  const sleep = env.sleep ?? realSleep;
  const source = `${kubeConfigSource({
    kubeconfig: config.kubeconfig,
    env: env.env,
    serviceAccountDir: env.serviceAccountDir,
  })}, context "${kubeConfig.getCurrentContext()}"`;
  await probeCluster(kubeConfig, source, env.clusterProbeTimeoutMs ?? 10_000);
  const elector = leaderElector(config, kubeConfig, env, logger, metrics);
  const cluster = new KubeCluster({
    kubeConfig,
    clock,
    sleep,
    random: env.random ?? Math.random,
    logger,
    metrics,
    watchHpas: config.hpaMode === 'recommend',
    rateLimiter: clientRateLimiter({ ...config.clientRateLimit, clock, sleep }),
    eventSource: { component: 'scaleplane', host: elector?.identity ?? hostname() },
  });
  await cluster.start();
  const s = config.serving;
  let auth: Pick<DelegatingAuth, 'guard' | 'clientCAs' | 'close'>;
  try {
    auth = env.guard
      ? { guard: env.guard, clientCAs: [], close: () => undefined }
      : await delegatingAuth(config, kubeConfig, logger, metrics);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  elector?.start();
  return {
    view: cluster.view,
    hpas: cluster.hpaSource,
    health: [cluster.health],
    clock,
    sleep,
    guard: auth.guard,
    clientCAs: auth.clientCAs,
    bindAddress: s.bindAddress,
    tls: { certFile: s.tlsCertFile, keyFile: s.tlsPrivateKeyFile, certDir: s.certDir },
    kubeConfig,
    staticNodesFile: config.kubelet.staticNodesFile,
    minResolutionMs: env.minResolutionMs ?? 10_000,
    events: elector
      ? new LeaderGatedEventRecorder({ inner: cluster.events, gate: elector, logger })
      : cluster.events,
    objectResources: (apiVersion, kind) => cluster.resourceForKind(apiVersion, kind),
    stoppables: [
      { name: 'auth', stop: () => auth.close() },
      { name: 'cluster', stop: () => cluster.stop() },
      // Last to stop, after the HPA runtime: the Lease is released once nothing writes any more.
      ...(elector ? [{ name: 'leader election', stop: () => elector.stop() }] : []),
    ],
  };
}

async function wireEmbedded(
  config: ServeConfig,
  env: ServeEnvironment,
  logger: Logger,
  info: { token: string; caFile: string; world?: SimWorld; dir?: string },
): Promise<ClusterWiring> {
  const dir = await mkdtemp(join(tmpdir(), 'scaleplane-embedded-'));
  info.dir = dir;
  const removeDir = { name: 'embedded temporary directory', stop: () => rmDir(dir) };
  try {
    return await wireEmbeddedIn(dir, config, env, logger, info, removeDir);
  } catch (err) {
    await removeDir.stop();
    throw err;
  }
}

function rmDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

async function wireEmbeddedIn(
  dir: string,
  config: ServeConfig,
  env: ServeEnvironment,
  logger: Logger,
  info: { token: string; caFile: string; world?: SimWorld },
  removeDir: Stoppable,
): Promise<ClusterWiring> {
  const time = scaledTime({
    speed: config.simSpeed,
    base: env.clock ?? systemClock,
    baseSleep: env.sleep ?? realSleep,
  });
  const startMs = time.clock.now();
  const world = new SimWorld(walkthroughWorld({ startMs }));
  info.world = world;
  const sim = new SimCluster({ world, clock: time.clock, hpas: [walkthroughHpa(startMs)] });
  const kubelets = await WorldKubelets.start({
    state: (atMs) => kubeletNodes(world, atMs),
    nodeNames: world.nodeNames,
    clock: time.clock,
  });
  try {
    return await wireEmbeddedServing(dir, config, env, logger, info, {
      sim,
      time,
      kubelets,
      removeDir,
    });
  } catch (err) {
    await kubelets.close();
    throw err;
  }
}

async function wireEmbeddedServing(
  dir: string,
  config: ServeConfig,
  env: ServeEnvironment,
  logger: Logger,
  info: { token: string; caFile: string },
  p: {
    sim: SimCluster;
    time: ScaledTime;
    kubelets: WorldKubelets;
    removeDir: Stoppable;
  },
): Promise<ClusterWiring> {
  const { sim, time, kubelets } = p;
  const staticNodesFile = join(dir, 'static-nodes.json');
  await writeFile(staticNodesFile, JSON.stringify(kubelets.staticNodes(config.kubelet.source)));
  const pair = await ensureSelfSignedPair({
    certDir: dir,
    host: '127.0.0.1',
    alternateIPs: ['127.0.0.1'],
    alternateDNS: ['localhost'],
    clock: systemClock,
  });
  info.caFile = join(dir, 'ca.crt');
  await writeFile(info.caFile, lastCertificate(pair.certPem));
  const auth = createStaticTokenAuth({
    token: info.token,
    user: { name: 'embedded-admin', groups: ['scaleplane:embedded-admins'], extra: {} },
    alwaysAllowPaths: config.serving.alwaysAllowPaths,
    logger: logger.child({ component: 'auth' }),
  });
  if (config.serving.bindAddress !== '127.0.0.1')
    logger.info('embedded mode listens on 127.0.0.1 only', {
      requested: config.serving.bindAddress,
    });
  return {
    view: sim,
    hpas: config.hpaMode === 'recommend' ? sim : undefined,
    health: [],
    clock: time.clock,
    sleep: time.sleep,
    guard: auth.guard,
    clientCAs: [],
    bindAddress: '127.0.0.1',
    tls: { certFile: pair.certFile, keyFile: pair.keyFile },
    staticNodesFile,
    minResolutionMs: 1000,
    scaleWriter: sim,
    onSync: (records) => {
      for (const r of records) env.stdout.write(`${syncLine(r, time.clock.now())}\n`);
    },
    kubeObjects: (decisions) => embeddedObjects(sim, decisions),
    stoppables: [p.removeDir, { name: 'kubelet simulator', stop: () => kubelets.close() }],
  };
}

async function buildScraper(
  config: ServeConfig,
  w: ClusterWiring,
  env: ServeEnvironment,
  sink: ResourceStore,
  logger: Logger,
  metrics: SelfMetrics,
): Promise<KubeletScraper> {
  const options = { ...config.kubelet, staticNodesFile: w.staticNodesFile };
  const issues = validateKubeletScrapeOptions(options, { minResolutionMs: w.minResolutionMs });
  if (issues.length > 0) throw new ServeConfigError(issues);
  const inCluster =
    env.env.KUBERNETES_SERVICE_HOST !== undefined && config.kubeconfig === undefined;
  const built = await createKubeletScraper({
    options,
    sink,
    clock: w.clock,
    sleep: w.sleep,
    random: env.random ?? Math.random,
    logger,
    metrics,
    cluster: w.view,
    clusterCa: w.kubeConfig ? clusterCaOf(w.kubeConfig) : undefined,
    defaultTokenFile: inCluster
      ? join(env.serviceAccountDir ?? serviceAccountDir, 'token')
      : undefined,
  });
  if (built.issues) throw new ServeConfigError(built.issues);
  return built.scraper;
}

/**
 * The one Prometheus client of a process, from serve's settings: serve's custom and resource
 * collectors share it, and `config check` builds it the same way.
 */
function prometheusApi(
  config: ServeConfig,
  env: Pick<ServeEnvironment, 'env' | 'serviceAccountDir'>,
  clock: Clock,
): Promise<PrometheusApi> {
  const p = config.prometheus;
  return PrometheusClient.create({
    url: p.url!,
    timeoutMs: p.timeoutMs,
    maxResponseBytes: p.maxResponseBytes,
    clock,
    headers: p.headers,
    tokenFile: p.tokenFile,
    basicAuth:
      p.basicAuthUser && p.basicAuthPasswordFile
        ? { user: p.basicAuthUser, passwordFile: p.basicAuthPasswordFile }
        : undefined,
    caFile: p.caFile,
    clientCertFile: p.clientCertFile,
    clientKeyFile: p.clientKeyFile,
    verb: p.verb,
    kubeAuth: loadAuthKubeConfig({
      file: p.authConfig,
      inCluster: p.authInCluster,
      env: env.env,
      serviceAccountDir: env.serviceAccountDir,
    }),
  });
}

/** `config check --prometheus-url`: serve's discovery, run once. */
export const discoverOnce: DiscoverOnce = async (config, rules) => {
  const api = await prometheusApi(config, { env: process.env }, systemClock);
  return previewDiscovery({
    api,
    rules,
    maxAgeMs: config.prometheus.maxAgeMs,
    nowMs: systemClock.now(),
  });
};

async function buildCollector(
  config: ServeConfig,
  w: ClusterWiring,
  store: CustomMetricsStore,
  logger: Logger,
  metrics: SelfMetrics,
  api: () => Promise<PrometheusApi>,
): Promise<PrometheusCollector | undefined> {
  const p = config.prometheus;
  if (!p.url || !config.rulesDocument) return undefined;
  const rules = parseRulesDocument(config.rulesDocument);
  if (rules.issues) throw new ServeConfigError(rules.issues);
  const collector = new PrometheusCollector({
    api: await api(),
    rules: rules.config,
    store,
    relist: p.relist,
    collectPeriodMs: config.kubelet.metricResolutionMs,
    maxAgeMs: p.maxAgeMs,
    clock: w.clock,
    sleep: w.sleep,
    logger: logger.child({ component: 'prometheus' }),
    metrics,
  });
  store.setSelectorSource(collector.selectorSource);
  return collector;
}

/** metrics.k8s.io's source: the kubelet scraper or the Prometheus resource collector (resource-source.ts). */
interface ResourceSource {
  reader: ResourceMetricsReader;
  health: HealthCheck;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

async function buildResourceSource(
  config: ServeConfig,
  w: ClusterWiring,
  env: ServeEnvironment,
  embedded: boolean,
  o: { logger: Logger; metrics: SelfMetrics; api: () => Promise<PrometheusApi> },
): Promise<ResourceSource> {
  const choice = config.resourceMetrics;
  const fields = { source: choice.source, reason: choice.reason };
  if (embedded || choice.source === 'kubelet') {
    if (embedded)
      Object.assign(fields, { source: 'kubelet', reason: 'embedded simulated cluster' });
    o.logger.info('metrics.k8s.io source', fields);
    if (choice.unused !== undefined && !embedded) o.logger.warn(choice.unused);
    const store = new ResourceStore({
      now: () => w.clock.now(),
      metricResolutionMs: config.kubelet.metricResolutionMs,
    });
    const scraper = await buildScraper(config, w, env, store, o.logger, o.metrics);
    return {
      reader: store,
      health: scraper.health,
      start: () => scraper.start(),
      stop: () => scraper.stop(),
    };
  }
  const rules = parseRulesDocument(config.rulesDocument ?? {});
  if (rules.issues) throw new ServeConfigError(rules.issues);
  const resourceRules = rules.config.resourceRules!;
  o.logger.info('metrics.k8s.io source', { ...fields, windowMs: resourceRules.windowMs });
  if (resourceRules.windowMs === 0)
    o.logger.warn(
      'resourceRules.window is not set: metrics.k8s.io reports a window of 0s, as prometheus-adapter does',
    );
  const periodMs = config.kubelet.metricResolutionMs;
  // Three resolutions, as the kubelet store: a stalled collection stops being served within one missed tick.
  const store = new RatedResourceStore({ now: () => w.clock.now(), maxAgeMs: 3 * periodMs });
  const collector = new PrometheusResourceCollector({
    api: await o.api(),
    rules: resourceRules,
    sink: store,
    periodMs,
    clock: w.clock,
    sleep: w.sleep,
    logger: o.logger.child({ component: 'prometheus' }),
    metrics: o.metrics,
  });
  return {
    reader: store,
    health: collector.health,
    start: () => collector.start(),
    stop: () => collector.stop(),
  };
}

/** Stops accepting, waits for requests in flight up to `graceMs`, then closes what is left. */
async function drain(server: SecureServer, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
  server.server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closed,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
  ]);
  clearTimeout(timer);
  await server.close();
}

async function stopAll(parts: readonly Stoppable[], logger: Logger): Promise<void> {
  for (const part of parts) {
    try {
      await part.stop();
    } catch (err) {
      logger.error('stopping failed', { part: part.name, err });
    }
  }
}

const noClusterMessage =
  'no cluster to serve: no --kubeconfig, no kubeconfig in $KUBECONFIG or ~/.kube/config, and not running in a cluster; ' +
  'pass --kubeconfig FILE, or --embedded for the simulated demo cluster (what npm start runs)';

/**
 * Listens on --secure-port. A port in use is the demo's to work around (any free port will do,
 * and the banner prints it); a real server names the flag that moves it.
 */
async function listenSecure(
  app: ReturnType<typeof createApiApp>,
  options: Parameters<typeof createSecureServer>[1],
  embedded: boolean,
  logger: Logger,
): Promise<SecureServer> {
  try {
    return await createSecureServer(app, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (embedded && options.port !== 0) {
      logger.info('port in use: the embedded cluster listens on a free port', {
        port: options.port,
      });
      return createSecureServer(app, { ...options, port: 0 });
    }
    throw new Error(
      `cannot listen on ${options.bindAddress}:${options.port}: the address is already in use; choose another port with --secure-port`,
      { cause: err },
    );
  }
}

/** Builds and starts everything; rejects (nothing left running) when a part cannot start. */
export async function startServe(
  config: ServeConfig,
  env: ServeEnvironment,
): Promise<RunningServe> {
  const logger = createLogger({
    level: levelFromVerbosity(config.verbosity),
    format: config.loggingFormat,
    stream: env.logStream,
  });
  const peerWarning = ignoredFlagsWarning(config.ignoredPeerFlags, config.peerCommand);
  if (peerWarning) logger.warn(peerWarning.msg, peerWarning.fields);
  const metrics = createSelfMetrics();
  collectProcessMetrics(metrics, { version: packageVersion() });
  const kubeConfig = config.embedded
    ? undefined
    : loadKubeConfig({
        kubeconfig: config.kubeconfig,
        env: env.env,
        serviceAccountDir: env.serviceAccountDir,
      });
  // Only --embedded (what `npm start` runs) simulates: a missing kubeconfig is an error, never a fake cluster.
  if (!config.embedded && kubeConfig === undefined) throw new Error(noClusterMessage);
  const embedded = config.embedded
    ? { token: randomBytes(24).toString('base64url'), caFile: '', dir: '', kubeconfigFile: '' }
    : undefined;
  for (const idle of idleSettingWarnings(config, { embedded: embedded !== undefined }))
    logger.warn('setting has no effect', { setting: idle.path, reason: idle.message });
  const w = embedded
    ? await wireEmbedded(config, env, logger, embedded)
    : await wireCluster(config, kubeConfig!, env, logger, metrics);
  const started: Stoppable[] = [...w.stoppables].reverse();
  try {
    return await startCommon(config, env, w, {
      logger,
      metrics,
      started,
      embedded: embedded as EmbeddedInfo | undefined,
    });
  } catch (err) {
    await stopAll(started.reverse(), logger);
    throw err;
  }
}

async function startCommon(
  config: ServeConfig,
  env: ServeEnvironment,
  w: ClusterWiring,
  c: {
    logger: Logger;
    metrics: SelfMetrics;
    started: Stoppable[];
    embedded: EmbeddedInfo | undefined;
  },
): Promise<RunningServe> {
  const { logger, metrics, started } = c;
  const shutdown = new ShutdownGate();
  let api: Promise<PrometheusApi> | undefined;
  const sharedApi = (): Promise<PrometheusApi> => (api ??= prometheusApi(config, env, w.clock));
  const resource = await buildResourceSource(config, w, env, c.embedded !== undefined, {
    logger,
    metrics,
    api: sharedApi,
  });
  const resourceStore = resource.reader;
  const customStore = new CustomMetricsStore({
    now: () => w.clock.now(),
    maxAgeMs: config.prometheus.maxAgeMs,
  });
  const collector = c.embedded
    ? undefined
    : await buildCollector(config, w, customStore, logger, metrics, sharedApi);
  const driver = c.embedded
    ? new SimDriver({
        world: c.embedded.world,
        customStore,
        clock: w.clock,
        sleep: w.sleep,
        logger,
      })
    : undefined;
  const runtime = w.hpas
    ? new HpaRuntime({
        hpas: w.hpas,
        cluster: w.view,
        resourceMetrics: resourceStore,
        customMetrics: customStore,
        externalMetrics: customStore,
        clock: w.clock,
        sleep: w.sleep,
        logger,
        metrics,
        syncPeriodMs: config.hpaSyncPeriodMs,
        engineOptions: config.hpaController,
        events: w.events,
        scaleWriter: w.scaleWriter,
        objectResources: w.objectResources,
        onSync: w.onSync,
      })
    : undefined;
  const app = createApiApp({
    resource: resourceStore,
    custom: customStore,
    external: customStore,
    cluster: w.view,
    health: {
      live: [],
      ready: [resource.health, ...(collector ? [collector.health] : []), ...w.health, shutdown],
    },
    metrics,
    logger: logger.child({ component: 'api' }),
    now: () => w.clock.now(),
    version: { gitVersion: `v${packageVersion()}` },
    guard: w.guard,
    firstRoutes: w.kubeObjects
      ? (a) => void a.use(kubeRouter({ reader: w.kubeObjects!(runtime) }))
      : undefined,
    extraRoutes: (a) => {
      a.get('/metrics', (_req, res, next) => {
        metrics.registry
          .metrics()
          .then((text) => res.type(metrics.registry.contentType).send(text), next);
      });
      if (runtime) a.use(hpaRouter(runtime));
    },
  });
  const s = config.serving;
  const tlsOptions = {
    ...w.tls,
    minVersion: s.tlsMinVersion,
    cipherSuites: s.tlsCipherSuites,
    clientCAs: w.clientCAs,
    bindAddress: w.bindAddress,
    port: s.securePort,
    logger,
    metrics,
  };
  const server = await listenSecure(app, tlsOptions, c.embedded !== undefined, logger);
  started.unshift({ name: 'server', stop: () => drain(server, config.shutdownGracePeriodMs) });
  if (c.embedded) {
    c.embedded.kubeconfigFile = join(c.embedded.dir, 'kubeconfig');
    await writeEmbeddedKubeconfig(c.embedded.kubeconfigFile, {
      url: server.url(),
      caFile: c.embedded.caFile,
      token: c.embedded.token,
    });
  }
  driver?.step();
  driver?.start();
  await resource.start();
  collector?.start();
  runtime?.start();
  started.push(
    { name: 'hpa runtime', stop: () => runtime?.stop() },
    { name: 'simulation', stop: () => driver?.stop() },
    { name: 'prometheus collector', stop: () => collector?.stop() },
    { name: 'resource metrics source', stop: () => resource.stop() },
  );
  const order = [started[0]!, ...started.slice(1).reverse()];
  logger.info('serving', {
    url: server.url(),
    mode: c.embedded ? 'embedded' : 'cluster',
    hpaMode: config.hpaMode,
  });
  return {
    mode: c.embedded ? 'embedded' : 'cluster',
    url: server.url(),
    runtime,
    embedded: c.embedded,
    logger,
    beginShutdown: () => shutdown.begin(config.shutdownDelayMs, w.sleep),
    stop: () => stopAll(order, logger),
  };
}

/** Resolves on the first SIGTERM or SIGINT. */
function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/**
 * Once a signal started the shutdown, the process ends within the grace period and a margin even
 * if a part never finishes stopping; a second signal ends it at once (the default disposition,
 * as nextSignal removed its handlers), as k8s.io/apiserver's SetupSignalHandler does.
 */
function exitIfStuck(graceMs: number): void {
  setTimeout(() => process.exit(1), graceMs + 5_000).unref();
}

/** The `serve` runner of the real process: start, print, wait for a signal, stop, exit 0. */
export function serveRunner(
  waitForStop: () => Promise<string> = nextSignal,
  onStopping: (graceMs: number) => void = () => {},
) {
  return async (config: ServeConfig, io: CliIo): Promise<number> => {
    const stopped = waitForStop();
    let running: RunningServe;
    try {
      running = await startServe(config, {
        env: process.env,
        stdout: io.stdout,
        logStream: process.stderr,
      });
    } catch (err) {
      if (err instanceof ServeConfigError) {
        io.stderr.write(
          `error: serve: invalid configuration:\n${formatIssues(err.issues).replace(/^/gm, '  ')}\n`,
        );
        return 2;
      }
      const message =
        err instanceof KubeConfigError || err instanceof Error ? err.message : String(err);
      io.stderr.write(`error: serve: ${message}\n`);
      return 1;
    }
    if (running.embedded)
      io.stdout.write(
        instructions({
          url: running.url,
          caFile: running.embedded.caFile,
          token: running.embedded.token,
          speed: config.simSpeed,
          kubeconfigFile: running.embedded.kubeconfigFile,
        }),
      );
    const signal = await stopped;
    // The watchdog covers the delay before draining as well as the drain itself.
    onStopping(config.shutdownDelayMs + config.shutdownGracePeriodMs);
    running.logger.info('shutting down', {
      signal,
      delayMs: config.shutdownDelayMs,
      gracePeriodMs: config.shutdownGracePeriodMs,
    });
    await running.beginShutdown();
    await running.stop();
    running.logger.info('stopped');
    return 0;
  };
}

/** Runs the CLI with `serve` registered; resolves to the exit code. */
export function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  return run(argv, io, [
    ...commands,
    serveCommand(serveRunner(nextSignal, exitIfStuck), readConfigFile),
    hpaExplainCommand,
    configCheckCommand(discoverOnce),
  ]);
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) {
  const log = createLogger({ stream: process.stderr });
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }));
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { err });
    process.exitCode = 1;
  });
  process.exitCode = await main(process.argv.slice(2));
  // Idle keep-alive sockets and timers of stopped parts must not hold the process open.
  setTimeout(() => process.exit(), 100).unref();
}
