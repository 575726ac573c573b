/**
 * Reading the leader election of several replicas of one release from outside: the Lease's holder,
 * the Events they wrote, and each replica's own answers (its `/hpa` decision and its
 * `scaleplane_leader` self-metric), asked of each replica directly over its own port.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { tlsRequest } from '../../support/tls-client.js';
import type { ControlPlane, ManagedProcess } from '../control-plane.js';

/** A replica's serving port and how to reach it as the cluster admin. */
export interface ReplicaEndpoint {
  port: number;
  servingCa: string;
  servername: string;
}

export interface LeaseView {
  spec: { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
}

export interface EventView {
  reason: string;
  message: string;
  count?: number;
  reportingInstance?: string;
  source?: { host?: string };
  involvedObject: { kind: string; name: string };
}

/** The Lease, or undefined before anyone created it. */
export async function readLease(
  cluster: ControlPlane,
  namespace: string,
  name: string,
): Promise<LeaseView | undefined> {
  const res = await cluster.kube.run(['get', 'lease', name, '-n', namespace, '-o', 'json']);
  return res.code === 0 ? (JSON.parse(res.stdout) as LeaseView) : undefined;
}

/** Events of `reason` about the HPA `name` in `namespace`. */
export async function hpaEvents(
  cluster: ControlPlane,
  namespace: string,
  name: string,
  reason: string,
): Promise<EventView[]> {
  const list = await cluster.kube.getJson<{ items: EventView[] }>(['events', '-n', namespace]);
  return list.items.filter(
    (e) =>
      e.involvedObject.kind === 'HorizontalPodAutoscaler' &&
      e.involvedObject.name === name &&
      e.reason === reason,
  );
}

/** GET `path` of one replica as the admin (system:masters), straight to its port. */
export async function askReplica(
  cluster: ControlPlane,
  replica: ReplicaEndpoint,
  path: string,
): Promise<{ status: number; body: string }> {
  const res = await tlsRequest({
    url: `https://127.0.0.1:${replica.port}`,
    path,
    ca: replica.servingCa,
    servername: replica.servername,
    cert: cluster.pki.admin.certPem,
    key: cluster.pki.admin.keyPem,
  });
  return { status: res.status, body: res.body };
}

/** The replica's `scaleplane_leader` value for the Lease `namespace/name`, from its /metrics. */
export async function leaderGauge(
  cluster: ControlPlane,
  replica: ReplicaEndpoint,
  lease: string,
): Promise<number | undefined> {
  const res = await askReplica(cluster, replica, '/metrics');
  if (res.status !== 200) return undefined;
  const line = res.body
    .split('\n')
    .find((l) => l.startsWith(`scaleplane_leader{lease="${lease}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/**
 * One SIGTERM to the process itself, as the kubelet sends it (ManagedProcess.stop signals the
 * whole group and its leash signals again, and a second signal ends a server at once, as
 * k8s.io/apiserver's signal handler does); resolves once it is gone.
 */
export async function terminateOnce(proc: ManagedProcess, timeoutMs: number): Promise<void> {
  // The leash's own children are the server and, now and then, its `sleep 1`: only the server.
  const children = execFileSync('pgrep', ['-P', String(proc.pid), '-f', 'dist/src/main.js'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map(Number);
  if (children.length !== 1)
    throw new Error(`${proc.name}: expected one server under its leash, found ${children.length}`);
  process.kill(children[0]!, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (!proc.exited()) {
    if (Date.now() > deadline) throw new Error(`${proc.name} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
