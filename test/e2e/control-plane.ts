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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClusterPki, type ClusterPki } from './harness/cluster-pki.js';
import type { AggregatorRouting, ClusterPorts, HpaControllerOptions } from './harness/components.js';
import { kubeFor, kwokNode, readyNodes, type Kube, type KwokNodeOptions } from './harness/kube.js';
import { writeKubeconfig } from './harness/kubeconfig.js';
import { kwokConfigYaml } from './harness/kwok-config.js';
import { launchControlPlane, type StartupTimings } from './harness/launch.js';
import { createLocalLink, type LocalLink } from './harness/netns.js';
import { startProcess, type ManagedProcess } from './harness/processes.js';
import { issue } from '../support/pki.js';
import { routeToLocal, type LocalBackend } from './harness/routing.js';
import { controlPlaneBinaries } from './harness/tools.js';
import { freePort, waitFor } from './harness/wait.js';

export type { AggregatorRouting, HpaControllerOptions } from './harness/components.js';
export type { Kube, KwokNodeOptions } from './harness/kube.js';
export type { LocalBackend } from './harness/routing.js';
export type { ManagedProcess } from './harness/processes.js';
export { CONTROL_PLANE_BUILD_TIMEOUT_MS, controlPlaneBinaries, pinnedVersion } from './harness/tools.js';
export { USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION } from './harness/kwok-config.js';
export { waitFor, freePort } from './harness/wait.js';

/** Inputs of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /**
   * How the aggregator reaches local processes (see harness/routing.ts): 'endpoints' runs
   * kube-apiserver with --enable-aggregator-routing=true and needs CAP_NET_ADMIN for a veth pair;
   * 'service' leaves it false and uses ExternalName Services to localhost.
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
  /** The address a local process serving an APIService must listen on. */
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
  spawn(spec: { name: string; binary: string; args: readonly string[]; env?: NodeJS.ProcessEnv }): ManagedProcess;
  /** Last log lines of every component, for failure messages. */
  logs(lines?: number): string;
  /** Stops every process, removes the veth pair and (unless kept) the directory. Idempotent. */
  stop(): Promise<void>;
}

async function allocatePorts(): Promise<ClusterPorts> {
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  return { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver!, controllerManager: controllerManager!, scheduler: scheduler!, kwok: kwok! };
}

/** Stops components in reverse dependency order: clients first, then the apiserver, then etcd. */
async function stopAll(processes: readonly ManagedProcess[], local: readonly ManagedProcess[]): Promise<void> {
  const byName = (names: string[]): ManagedProcess[] => processes.filter((p) => names.includes(p.name));
  await Promise.all(local.map((p) => p.stop()));
  await Promise.all(byName(['kwok', 'kube-scheduler', 'kube-controller-manager']).map((p) => p.stop()));
  await Promise.all(byName(['kube-apiserver']).map((p) => p.stop()));
  await Promise.all(byName(['etcd']).map((p) => p.stop()));
}

function kubeconfigs(dir: string, server: string, pki: ClusterPki) {
  const write = (name: string, user: ClusterPki['admin']): string =>
    writeKubeconfig(join(dir, `${name}.kubeconfig`), server, pki.ca.certFile, user);
  return {
    admin: write('admin', pki.admin),
    controllerManager: write('controller-manager', pki.controllerManager),
    scheduler: write('scheduler', pki.scheduler),
    kwok: write('kwok', pki.kwokClient),
  };
}

/** Starts a cluster; on failure everything started is stopped and the error carries the logs. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const t0 = Date.now();
  const binaries = await controlPlaneBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-e2e-'));
  const keep = options.keepDir === true || process.env.SCALEPLANE_E2E_KEEP === '1';
  const processes: ManagedProcess[] = [];
  const local: ManagedProcess[] = [];
  const kubes: Kube[] = [];
  let link: LocalLink | undefined;
  const teardown = async (): Promise<void> => {
    await stopAll(processes, local);
    await link?.remove();
    for (const k of kubes) k.cleanup();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  const logs = (lines = 30): string =>
    [...processes, ...local].map((p) => `--- ${p.name}\n${p.logTail(lines)}`).join('\n');
  try {
    if (options.routing === 'endpoints') link = await createLocalLink();
    const [pki, ports] = await Promise.all([createClusterPki(dir), allocatePorts()]);
    const server = `https://127.0.0.1:${ports.apiserver}`;
    const files = kubeconfigs(dir, server, pki);
    const kwokConfigFile = join(dir, 'kwok.yaml');
    writeFileSync(kwokConfigFile, kwokConfigYaml());
    const timings = await launchControlPlane(
      { dir, binaries, pki, ports, routing: options.routing, hpa: options.hpa ?? {}, kubeconfigs: files, kwokConfigFile },
      processes,
    );
    const admin = kubeFor(dir, server, pki.ca.certFile, pki.admin);
    kubes.push(admin);
    await waitFor('the default ServiceAccount (controller-manager at work)', async () =>
      (await admin.run(['get', 'serviceaccount', 'default', '-n', 'default'])).code === 0 ? true : undefined,
    { timeoutMs: 120_000 });
    const localServeAddress = link?.hostAddress ?? '127.0.0.1';
    let stopping: Promise<void> | undefined;
    return {
      dir, server, kubeconfig: files.admin, pki, ports, routing: options.routing, localServeAddress, kube: admin,
      timings: { ...timings, totalMs: Date.now() - t0 },
      addNodes: async (names, nodeOptions) => {
        await admin.apply(names.map((n) => kwokNode(n, nodeOptions)));
        await waitFor(`nodes ${names.join(', ')} Ready`, async () =>
          (await readyNodes(admin, names)).length === names.length ? true : undefined, { timeoutMs: 60_000 });
      },
      routeToLocal: (backend) => routeToLocal(admin, options.routing, localServeAddress, backend),
      kubeAs: async (user, groups) => {
        const cert = await issue(pki.dir, { name: `user-${user}`, cn: user, o: groups ?? [], ca: pki.ca, usage: 'clientAuth' });
        const kube = kubeFor(dir, server, pki.ca.certFile, cert);
        kubes.push(kube);
        return kube;
      },
      spawn: (spec) => {
        const proc = startProcess({ ...spec, logFile: join(dir, `${spec.name}.log`) });
        local.push(proc);
        return proc;
      },
      logs,
      stop: () => (stopping ??= teardown()),
    };
  } catch (err) {
    const message = `control plane failed to start: ${err instanceof Error ? err.message : String(err)}\n${logs()}`;
    await teardown();
    throw new Error(message, { cause: err });
  }
}
