/**
 * The bench's side of the end-to-end control plane: Node objects for thousands of simulated
 * kubelets, created with concurrent HTTPS requests as the admin (one kubectl call per node would
 * take longer than the measurement), and the components the bench does not need stopped, so they
 * neither compete for the two cores nor touch the nodes while the peers are measured.
 * @module
 */
import https from 'node:https';
import type { ControlPlane, ManagedProcess } from '../../e2e/control-plane.js';
import { metricsPath, type NodePorts } from './tls-kubelets.js';

/** Admin HTTPS client of the cluster's kube-apiserver, with keep-alive connections. */
export class ApiClient {
  private readonly agent: https.Agent;

  constructor(private readonly cluster: ControlPlane) {
    const { ca, admin } = cluster.pki;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      ca: ca.certPem,
      cert: admin.certPem,
      key: admin.keyPem,
    });
  }

  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    const url = new URL(path, this.cluster.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with `width` in flight. */
export async function pool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * A Node whose kubelet is the simulator: loopback InternalIP, its own port as the status port,
 * Ready, the path annotation. Not kwok's (no `kwok.x-k8s.io/node` annotation). kube-apiserver
 * keeps a Node's status on create (the node strategy allows every field on create).
 */
function nodeObject(name: string, port: number): unknown {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'bench.scaleplane.io/sim': 'true' },
      annotations: { 'metrics.k8s.io/resource-metrics-path': metricsPath(name) },
    },
    spec: {},
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'bench:peers simulator',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  };
}

/** Creates (or replaces) the Node objects of `ports`; throws on the first refusal. */
export async function createNodes(api: ApiClient, ports: NodePorts): Promise<void> {
  await pool(Object.entries(ports), 24, async ([name, port]) => {
    const res = await api.request('POST', '/api/v1/nodes', nodeObject(name, port));
    if (res.status === 409) {
      await api.request('DELETE', `/api/v1/nodes/${name}`);
      const again = await api.request('POST', '/api/v1/nodes', nodeObject(name, port));
      if (again.status !== 201)
        throw new Error(`creating node ${name}: ${again.status} ${again.body.slice(0, 300)}`);
    } else if (res.status !== 201) {
      throw new Error(`creating node ${name}: ${res.status} ${res.body.slice(0, 300)}`);
    }
  });
  const sample = Object.entries(ports)[0];
  if (sample) {
    const got = JSON.parse((await api.request('GET', `/api/v1/nodes/${sample[0]}`)).body) as {
      status?: { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
    };
    if (got.status?.daemonEndpoints?.kubeletEndpoint?.Port !== sample[1])
      throw new Error(`node ${sample[0]} lost its status on create: ${JSON.stringify(got.status)}`);
  }
}

/** Deletes every simulated node (label `bench.scaleplane.io/sim`) with one collection DELETE. */
export async function deleteSimNodes(api: ApiClient): Promise<void> {
  const res = await api.request(
    'DELETE',
    '/api/v1/nodes?labelSelector=bench.scaleplane.io%2Fsim%3Dtrue',
  );
  if (res.status !== 200)
    throw new Error(`deleting nodes: ${res.status} ${res.body.slice(0, 300)}`);
}

/**
 * Stops kwok, the scheduler and the controller-manager once the cluster is up: no Node here has a
 * kubelet lease, so the node-lifecycle controller would mark all of them NotReady and taint them
 * mid-measurement, and each such update reaches both peers' node informers.
 */
export async function stopIdleComponents(cluster: ControlPlane): Promise<string[]> {
  const components = (cluster as unknown as { components?: ManagedProcess[] }).components ?? [];
  const idle = components.filter((p) =>
    ['kwok', 'kube-scheduler', 'kube-controller-manager'].includes(p.name),
  );
  await Promise.all(idle.map((p) => p.stop()));
  return idle.map((p) => p.name);
}
