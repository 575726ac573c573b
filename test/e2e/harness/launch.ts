/**
 * Starts the cluster's processes in dependency order and waits for each to report ready:
 * etcd (/health), kube-apiserver (/readyz as the admin), then kube-controller-manager,
 * kube-scheduler (/healthz) and kwok (/healthz) together.
 * @module
 */
import { join } from 'node:path';
import { tlsRequest } from '../../support/tls-client.js';
import type { ClusterPki } from './cluster-pki.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
  type AggregatorRouting,
  type ClusterPorts,
  type HpaControllerOptions,
} from './components.js';
import { startProcess, type ManagedProcess } from './processes.js';
import type { ControlPlaneBinaries } from './tools.js';
import { waitFor } from './wait.js';

/** Budget for one component to become ready on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 120_000;

/** Everything the launcher needs. */
export interface LaunchPlan {
  dir: string;
  binaries: ControlPlaneBinaries;
  pki: ClusterPki;
  ports: ClusterPorts;
  routing: AggregatorRouting;
  hpa: HpaControllerOptions;
  kubeconfigs: { controllerManager: string; scheduler: string; kwok: string };
  kwokConfigFile: string;
}

/** Milliseconds each phase took, from the start of the launch. */
export interface StartupTimings {
  etcdReadyMs: number;
  apiserverReadyMs: number;
  componentsReadyMs: number;
}

function launch(plan: LaunchPlan, name: string, binary: string, args: string[]): ManagedProcess {
  return startProcess({ name, binary, args, logFile: join(plan.dir, `${name}.log`) });
}

/** Fails the wait as soon as the process has exited, with its last log lines. */
function diedWith(proc: ManagedProcess): () => string | undefined {
  return () => (proc.exited() ? `${proc.name} exited:\n${proc.logTail()}` : undefined);
}

async function httpsReady(
  proc: ManagedProcess,
  url: string,
  pki: ClusterPki,
  verify: boolean,
): Promise<void> {
  await waitFor(
    `${proc.name} at ${url}`,
    async () => {
      const { origin, pathname } = new URL(url);
      const res = await tlsRequest({
        url: origin,
        path: pathname,
        ...(verify ? { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem } : {}),
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 500)}`);
      return true;
    },
    { timeoutMs: READY_TIMEOUT_MS, abort: diedWith(proc) },
  );
}

/**
 * /readyz passes once the bootstrap RBAC policy is stored, but the RBAC authorizer answers from
 * informer caches that may still lag. kube-controller-manager exits when its first read of the
 * extension-apiserver-authentication ConfigMap is denied (options.go, request-header client CA),
 * so wait until a SubjectAccessReview allows exactly that read.
 */
async function rbacReady(apiserver: ManagedProcess, plan: LaunchPlan): Promise<void> {
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: 'system:kube-controller-manager',
      resourceAttributes: {
        namespace: 'kube-system',
        verb: 'get',
        resource: 'configmaps',
        name: 'extension-apiserver-authentication',
      },
    },
  };
  await waitFor(
    'RBAC to allow the controller-manager its bootstrap reads',
    async () => {
      const res = await tlsRequest({
        url: `https://127.0.0.1:${plan.ports.apiserver}`,
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(review),
        ca: plan.pki.ca.certPem,
        cert: plan.pki.admin.certPem,
        key: plan.pki.admin.keyPem,
      });
      return res.status === 201 &&
        (JSON.parse(res.body) as { status?: { allowed?: boolean } }).status?.allowed
        ? true
        : undefined;
    },
    { timeoutMs: READY_TIMEOUT_MS, abort: diedWith(apiserver) },
  );
}

async function startEtcd(plan: LaunchPlan): Promise<ManagedProcess> {
  const proc = launch(
    plan,
    'etcd',
    plan.binaries.etcd,
    etcdArgs(join(plan.dir, 'etcd'), plan.ports),
  );
  await waitFor(
    'etcd /health',
    async () => {
      const res = await fetch(`http://127.0.0.1:${plan.ports.etcdClient}/health`);
      const body = (await res.json()) as { health?: string };
      return body.health === 'true' ? true : undefined;
    },
    { timeoutMs: READY_TIMEOUT_MS, abort: diedWith(proc) },
  );
  return proc;
}

/**
 * Starts every component, pushing each onto `started` as soon as it runs, so the caller can stop
 * what did start when a later step fails.
 */
export async function launchControlPlane(
  plan: LaunchPlan,
  started: ManagedProcess[],
): Promise<StartupTimings> {
  const t0 = Date.now();
  started.push(await startEtcd(plan));
  const etcdReadyMs = Date.now() - t0;
  const apiserver = launch(
    plan,
    'kube-apiserver',
    plan.binaries.kubeApiserver,
    apiserverArgs(plan.pki, plan.ports, plan.routing),
  );
  started.push(apiserver);
  await httpsReady(apiserver, `https://127.0.0.1:${plan.ports.apiserver}/readyz`, plan.pki, true);
  await rbacReady(apiserver, plan);
  const apiserverReadyMs = Date.now() - t0;
  const { kubeconfigs, ports, binaries } = plan;
  const kcm = launch(
    plan,
    'kube-controller-manager',
    binaries.kubeControllerManager,
    controllerManagerArgs(plan.pki, kubeconfigs.controllerManager, ports, plan.hpa),
  );
  const scheduler = launch(
    plan,
    'kube-scheduler',
    binaries.kubeScheduler,
    schedulerArgs(kubeconfigs.scheduler, ports),
  );
  const kwok = launch(
    plan,
    'kwok',
    binaries.kwok,
    kwokArgs(plan.pki, kubeconfigs.kwok, plan.kwokConfigFile, ports),
  );
  started.push(kcm, scheduler, kwok);
  await Promise.all([
    httpsReady(kcm, `https://127.0.0.1:${ports.controllerManager}/healthz`, plan.pki, false),
    httpsReady(scheduler, `https://127.0.0.1:${ports.scheduler}/healthz`, plan.pki, false),
    httpsReady(kwok, `https://127.0.0.1:${ports.kwok}/healthz`, plan.pki, true),
  ]);
  return { etcdReadyMs, apiserverReadyMs, componentsReadyMs: Date.now() - t0 };
}
