/**
 * Kubernetes client configuration: which KubeConfig the process talks to the cluster with, and
 * the separate ones for TokenReview and SubjectAccessReview (k8s.io/apiserver
 * DelegatingAuthenticationOptions / DelegatingAuthorizationOptions `--authentication-kubeconfig`,
 * `--authorization-kubeconfig`). Every failure names the file and the problem, so a bad flag is
 * fixed from the error line alone.
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIPv6 } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';

/** The directory where the kubelet mounts a pod's service-account token and CA (rest.InClusterConfig). */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A kubeconfig that cannot be used; `file` is the kubeconfig (or service-account file) at fault. */
export class KubeConfigError extends Error {
  readonly code = 'KUBECONFIG_INVALID';
  constructor(
    readonly file: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`kubeconfig ${file}: ${problem}`, options);
    this.name = 'KubeConfigError';
  }
}

export interface LoadKubeConfigOptions {
  /** `--kubeconfig`: an explicit file, which must exist and be valid. */
  kubeconfig?: string;
  /** true: only in-cluster config; false: never in-cluster; undefined: in-cluster when available. */
  inCluster?: boolean;
  /** Environment (KUBERNETES_SERVICE_HOST/PORT, KUBECONFIG, HOME); an input so tests pass their own. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where the service-account files live; tests point it at a temporary directory. */
  serviceAccountDir?: string;
}

/**
 * Resolves the main client configuration: the explicit file; else in-cluster when
 * KUBERNETES_SERVICE_HOST and a service-account token exist (what metrics-server does without
 * --kubeconfig); else the files in $KUBECONFIG; else ~/.kube/config; else `undefined`, meaning no
 * cluster (serve then runs the embedded mode).
 */
export function loadKubeConfig(options: LoadKubeConfigOptions): KubeConfig | undefined {
  if (options.kubeconfig) return loadKubeConfigFile(options.kubeconfig);
  const saDir = options.serviceAccountDir ?? serviceAccountDir;
  if (options.inCluster === true) return loadInCluster(options.env, saDir);
  if (options.inCluster === undefined && inClusterAvailable(options.env, saDir)) {
    return loadInCluster(options.env, saDir);
  }
  const files = defaultKubeConfigFiles(options.env);
  return files.length > 0 ? loadMerged(files) : undefined;
}

/** Where {@link loadKubeConfig} reads from, for error lines: the file(s) or the service account. */
export function kubeConfigSource(options: LoadKubeConfigOptions): string {
  if (options.kubeconfig) return `kubeconfig ${options.kubeconfig}`;
  const saDir = options.serviceAccountDir ?? serviceAccountDir;
  if (
    options.inCluster === true ||
    (options.inCluster === undefined && inClusterAvailable(options.env, saDir))
  )
    return `the in-cluster service account in ${saDir}`;
  const files = defaultKubeConfigFiles(options.env);
  return files.length > 0 ? `kubeconfig ${files.join(':')}` : 'no kubeconfig';
}

export interface DelegationKubeConfigOptions {
  /** The main client configuration, used when no dedicated file is given. */
  main: KubeConfig | undefined;
  /** `--authentication-kubeconfig` (TokenReview and the extension-apiserver-authentication ConfigMap). */
  authenticationKubeconfig?: string;
  /** `--authorization-kubeconfig` (SubjectAccessReview). */
  authorizationKubeconfig?: string;
}

/** The clients for delegated authentication and authorization, each falling back to the main one. */
export function loadDelegationKubeConfigs(options: DelegationKubeConfigOptions): {
  authentication: KubeConfig | undefined;
  authorization: KubeConfig | undefined;
} {
  const pick = (file: string | undefined): KubeConfig | undefined =>
    file ? loadKubeConfigFile(file) : options.main;
  return {
    authentication: pick(options.authenticationKubeconfig),
    authorization: pick(options.authorizationKubeconfig),
  };
}

/** Loads one kubeconfig file (relative paths resolve against its folder) and validates its current context. */
export function loadKubeConfigFile(file: string): KubeConfig {
  const kc = parseKubeConfigFile(file);
  validateCurrentContext(kc, file);
  return kc;
}

/**
 * The kubeconfig whose current context gives the credentials of another service (Prometheus):
 * `--prometheus-auth-config FILE`, or the pod's service account with `--prometheus-auth-incluster`
 * (prometheus-adapter makeKubeconfigHTTPClient: clientcmd for the file, rest.InClusterConfig).
 */
export function loadAuthKubeConfig(o: {
  file?: string;
  inCluster: boolean;
  env: LoadKubeConfigOptions['env'];
  serviceAccountDir?: string;
}): KubeConfig | undefined {
  if (o.file !== undefined) return loadKubeConfigFile(o.file);
  if (o.inCluster) return loadInCluster(o.env, o.serviceAccountDir ?? serviceAccountDir);
  return undefined;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : 'cannot read';
    throw new KubeConfigError(file, problem, { cause: err });
  }
}

function parseKubeConfigFile(file: string): KubeConfig {
  const text = readText(file);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new KubeConfigError(file, `not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KubeConfigError(
      file,
      'not a kubeconfig (expected a mapping with clusters, users and contexts)',
    );
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (err) {
    throw new KubeConfigError(file, (err as Error).message, { cause: err });
  }
  kc.makePathsAbsolute(dirname(file));
  return kc;
}

/** client-go's DirectClientConfig.ConfirmUsable, reduced to what a client here depends on. */
function validateCurrentContext(kc: KubeConfig, file: string): void {
  const current = kc.getCurrentContext();
  if (!current) throw new KubeConfigError(file, 'no current-context is set');
  const context = kc.getContextObject(current);
  if (!context)
    throw new KubeConfigError(file, `current-context "${current}" is not defined in contexts`);
  if (!kc.getCluster(context.cluster)) {
    throw new KubeConfigError(
      file,
      `context "${current}" refers to cluster "${context.cluster}", which is not defined`,
    );
  }
  const user = context.user ? kc.getUser(context.user) : null;
  if (context.user && !user) {
    throw new KubeConfigError(
      file,
      `context "${current}" refers to user "${context.user}", which is not defined`,
    );
  }
  const cluster = kc.getCurrentCluster();
  const referenced: Array<[string, string | undefined]> = [
    ['certificate-authority', cluster?.caFile],
    ['client-certificate', user?.certFile],
    ['client-key', user?.keyFile],
  ];
  for (const [field, path] of referenced) {
    if (!path) continue;
    try {
      readFileSync(path);
    } catch (err) {
      throw new KubeConfigError(
        file,
        `${field} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        {
          cause: err,
        },
      );
    }
  }
}

function inClusterAvailable(env: LoadKubeConfigOptions['env'], saDir: string): boolean {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  try {
    readFileSync(join(saDir, 'token'));
    return true;
  } catch {
    return false;
  }
}

/** rest.InClusterConfig: the service host and port from the environment, the mounted token and CA. */
function loadInCluster(env: LoadKubeConfigOptions['env'], saDir: string): KubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(saDir, 'token');
  const caFile = join(saDir, 'ca.crt');
  if (!host || !port) {
    throw new KubeConfigError(
      '(in-cluster)',
      'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  readText(tokenFile);
  readText(caFile);
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const cluster: Cluster = { name: 'in-cluster', server, caFile, skipTLSVerify: false };
  // The tokenFile auth provider re-reads the projected token, which the kubelet rotates.
  const user: User = {
    name: 'in-cluster',
    authProvider: { name: 'tokenFile', config: { tokenFile } },
  };
  const context: Context = { name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' };
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [context],
    currentContext: 'in-cluster',
  });
  return kc;
}

/** $KUBECONFIG (path-list, missing entries skipped as client-go does), else ~/.kube/config if present. */
function defaultKubeConfigFiles(env: LoadKubeConfigOptions['env']): string[] {
  const exists = (file: string): boolean => {
    try {
      readFileSync(file);
      return true;
    } catch {
      return false;
    }
  };
  if (env.KUBECONFIG) return env.KUBECONFIG.split(':').filter((f) => f.length > 0 && exists(f));
  const home = env.HOME;
  const fallback = home ? join(home, '.kube', 'config') : undefined;
  return fallback && exists(fallback) ? [fallback] : [];
}

/**
 * Merges kubeconfig files with client-go's rules (clientcmd ClientConfigLoadingRules.Load): the
 * first file to define a name wins, and so does the first current-context.
 */
function loadMerged(files: string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    const kc = parseKubeConfigFile(file);
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ??= kc.getCurrentContext() || undefined;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: currentContext ?? '',
  });
  validateCurrentContext(merged, files.join(':'));
  return merged;
}
