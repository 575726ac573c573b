/**
 * A real Kubernetes control plane on loopback for the end-to-end tests: etcd, kube-apiserver with
 * the aggregation layer, kube-controller-manager (HPA, workloads), kube-scheduler and kwok (fake
 * nodes and Ready pods with emulated kubelet resource metrics), all built from the Go module proxy
 * at pinned versions by test/tools/build-tools.sh and bound to 127.0.0.1.
 *
 * @example
 * const cluster = await startControlPlane({ routing: 'endpoints' });
 * try {
 *   await cluster.addNodes(['kwok-1', 'kwok-2']);
 *   await cluster.kube.ok(['get', 'nodes']);
 * } finally {
 *   await cluster.stop();
 * }
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClusterPki, type ClusterPki } from './harness/cluster-pki.js';
import { RunningCluster, type LocalProcessSpec } from './harness/cluster.js';
import type {
  AggregatorRouting,
  ClusterPorts,
  HpaControllerOptions,
} from './harness/components.js';
import type { Kube, KwokNodeOptions } from './harness/kube.js';
import { writeKubeconfig } from './harness/kubeconfig.js';
import { kwokConfigYaml } from './harness/kwok-config.js';
import { launchControlPlane, type StartupTimings } from './harness/launch.js';
import { createLocalLink } from './harness/netns.js';
import { processAlive, type ManagedProcess } from './harness/processes.js';
import type { LocalBackend } from './harness/routing.js';
import { controlPlaneBinaries } from './harness/tools.js';
import { freePort, waitFor } from './harness/wait.js';

export type { AggregatorRouting, HpaControllerOptions } from './harness/components.js';
export type { LocalProcessSpec } from './harness/cluster.js';
export type { Kube, KwokNodeOptions } from './harness/kube.js';
export type { LocalBackend } from './harness/routing.js';
export type { ManagedProcess } from './harness/processes.js';
export {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  controlPlaneBinaries,
  pinnedVersion,
} from './harness/tools.js';
export { USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION } from './harness/kwok-config.js';
export { waitFor, freePort } from './harness/wait.js';

const DIR_PREFIX = 'scaleplane-e2e-';
/** Holds the pid of the test process owning a working directory. */
const OWNER_FILE = 'owner.pid';

/** Inputs of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /**
   * How the aggregator reaches local processes (see harness/routing.ts): 'endpoints' runs
   * kube-apiserver with --enable-aggregator-routing=true and serves backends inside a network
   * namespace of the test's own (needs root: a veth pair and `ip netns exec`); 'service' leaves it
   * false and uses ExternalName Services to localhost.
   */
  routing: AggregatorRouting;
  hpa?: HpaControllerOptions;
  /** Keep the working directory (logs, PKI, etcd data) after stop; also SCALEPLANE_E2E_KEEP=1. */
  keepDir?: boolean;
}

/** A running cluster. */
export interface ControlPlane {
  /** Working directory: component logs (`<name>.log`), PKI, kubeconfigs. */
  readonly dir: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Admin (system:masters) kubeconfig file. */
  readonly kubeconfig: string;
  readonly pki: ClusterPki;
  readonly ports: ClusterPorts;
  readonly routing: AggregatorRouting;
  /**
   * The address a local process serving an APIService must listen on: 127.0.0.1 under 'service'
   * routing; under 'endpoints' routing the namespace-side veth address (Endpoints reject loopback,
   * and tests may contact only loopback or hosts in namespaces they create), which exists only
   * for processes started with {@link spawnBackend}.
   */
  readonly localServeAddress: string;
  /** kubectl as the admin. */
  readonly kube: Kube;
  readonly timings: StartupTimings & { totalMs: number };
  /** Creates kwok nodes and waits until all are Ready. */
  addNodes(names: readonly string[], options?: KwokNodeOptions): Promise<void>;
  /** Points a Service at a local process; returns the port the APIService must name. */
  routeToLocal(backend: LocalBackend): Promise<number>;
  /** kubectl as a user with a client certificate from the cluster CA (no RBAC of its own). */
  kubeAs(user: string, groups?: string[]): Promise<Kube>;
  /**
   * Starts a local process (e.g. `scaleplane serve`) logging to `<dir>/<name>.log`; it is stopped
   * before the control plane on {@link stop}.
   */
  spawn(spec: LocalProcessSpec): ManagedProcess;
  /**
   * Starts a process that serves an APIService on {@link localServeAddress}, as {@link spawn}
   * does; under 'endpoints' routing inside the test's network namespace, where that address is.
   * There 127.0.0.1 is the namespace's own loopback: such a process cannot reach kube-apiserver.
   */
  spawnBackend(spec: LocalProcessSpec): ManagedProcess;
  /** Last log lines of every process, for failure messages. */
  logs(lines?: number): string;
  /** Stops every process, deletes the network namespace and (unless kept) the dir. Idempotent. */
  stop(): Promise<void>;
}

async function allocatePorts(): Promise<ClusterPorts> {
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  return {
    etcdClient: etcdClient!,
    etcdPeer: etcdPeer!,
    apiserver: apiserver!,
    controllerManager: controllerManager!,
    scheduler: scheduler!,
    kwok: kwok!,
  };
}

function writeKubeconfigs(dir: string, server: string, pki: ClusterPki) {
  const write = (name: string, user: ClusterPki['admin']): string =>
    writeKubeconfig(join(dir, `${name}.kubeconfig`), server, pki.ca.certFile, user);
  return {
    admin: write('admin', pki.admin),
    controllerManager: write('controller-manager', pki.controllerManager),
    scheduler: write('scheduler', pki.scheduler),
    kwok: write('kwok', pki.kwokClient),
  };
}

/** Generates the files, launches the components and waits for the controllers to act. */
async function boot(
  cluster: RunningCluster,
  options: ControlPlaneOptions,
  t0: number,
): Promise<void> {
  const binaries = await controlPlaneBinaries();
  if (options.routing === 'endpoints') cluster.link = await createLocalLink();
  const [pki, ports] = await Promise.all([createClusterPki(cluster.dir), allocatePorts()]);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfigs = writeKubeconfigs(cluster.dir, server, pki);
  const kwokConfigFile = join(cluster.dir, 'kwok.yaml');
  writeFileSync(kwokConfigFile, kwokConfigYaml());
  const plan = {
    dir: cluster.dir,
    binaries,
    pki,
    ports,
    routing: options.routing,
    hpa: options.hpa ?? {},
    kubeconfigs,
    kwokConfigFile,
  };
  const timings = await launchControlPlane(plan, cluster.components);
  cluster.ready({
    server,
    kubeconfig: kubeconfigs.admin,
    pki,
    ports,
    timings: { ...timings, totalMs: 0 },
  });
  // Pods need their namespace's ServiceAccount: its existence shows the controllers at work.
  await waitFor(
    'the default ServiceAccount (controller-manager at work)',
    async () =>
      (await cluster.kube.run(['get', 'serviceaccount', 'default'])).code === 0 ? true : undefined,
    { timeoutMs: 120_000 },
  );
  cluster.ready({
    server,
    kubeconfig: kubeconfigs.admin,
    pki,
    ports,
    timings: { ...timings, totalMs: Date.now() - t0 },
  });
}

/**
 * Removes working directories of test processes that died without cleanup (a SIGKILLed worker
 * runs no hook; its components die with it, see harness/processes.ts). Kept directories
 * (SCALEPLANE_E2E_KEEP) have no owner file and stay.
 */
function removeStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (!processAlive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a cluster; on failure everything started is stopped and the error carries the logs. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const t0 = Date.now();
  const keep = options.keepDir === true || process.env.SCALEPLANE_E2E_KEEP === '1';
  removeStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  if (!keep) writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const cluster = new RunningCluster(dir, options.routing, keep);
  try {
    await boot(cluster, options, t0);
    return cluster;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `control plane failed to start: ${reason}\n${cluster.logs()}`;
    await cluster.stop();
    throw new Error(message, { cause: err });
  }
}
