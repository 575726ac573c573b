/**
 * The simulated cluster's state and its stepping: nodes, Deployments and their pods, and the CPU
 * each container has used. Pure apart from the time passed in: {@link SimWorld.advanceTo}
 * integrates usage up to a simulated instant, so cumulative CPU counters (what kubelets report)
 * and the rates the scraper derives from them agree with the load at any speed.
 * @module
 */
import { loadAt, type LoadSchedule, type LoadStep } from './load.js';

/** A Deployment of the simulated cluster: one container per pod, with a CPU request and limit. */
export interface SimDeploymentSpec {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  replicas: number;
  containerName: string;
  cpuRequestCores: number;
  cpuLimitCores: number;
  /** How long a new pod stays unready (its readiness probe's initial delay). */
  readinessDelayMs: number;
  /** The load its Service receives over time. */
  load: LoadSchedule;
}

export interface SimPodState {
  namespace: string;
  name: string;
  uid: string;
  deployment: string;
  labels: Record<string, string>;
  nodeName: string;
  containerName: string;
  cpuRequestCores: number;
  createdMs: number;
  readyAtMs: number;
  /** Usage now, in cores. */
  cpuCores: number;
  /** Integrated usage since the container started. */
  cpuCoreSeconds: number;
  memoryBytes: number;
}

export interface SimWorldOptions {
  startMs: number;
  nodeNames: readonly string[];
  deployments: readonly SimDeploymentSpec[];
}

/** CPU a running pod burns with no requests (php-apache idles at about 1m). */
const idleCores = 0.001;
const baseMemoryBytes = 12 * 1024 * 1024;
/** Memory per core of load: request buffers grow with traffic. */
const memoryPerCoreBytes = 40 * 1024 * 1024;

/** The simulated cluster. */
export class SimWorld {
  readonly startMs: number;
  readonly nodeNames: readonly string[];
  private readonly deployments = new Map<string, SimDeploymentSpec>();
  private readonly podsByKey = new Map<string, SimPodState>();
  private lastMs: number;
  private created = 0;

  constructor(o: SimWorldOptions) {
    this.startMs = o.startMs;
    this.lastMs = o.startMs;
    this.nodeNames = [...o.nodeNames];
    for (const d of o.deployments) {
      this.deployments.set(`${d.namespace}/${d.name}`, { ...d });
      this.reconcile(d.namespace, d.name, o.startMs);
    }
  }

  deployment(namespace: string, name: string): SimDeploymentSpec | undefined {
    return this.deployments.get(`${namespace}/${name}`);
  }

  listDeployments(): SimDeploymentSpec[] {
    return [...this.deployments.values()];
  }

  /** Every pod, in creation order. */
  pods(): SimPodState[] {
    return [...this.podsByKey.values()];
  }

  podsOf(namespace: string, deployment: string): SimPodState[] {
    return this.pods().filter((p) => p.namespace === namespace && p.deployment === deployment);
  }

  /** The load step in force for a Deployment at the current simulated time. */
  loadOf(namespace: string, name: string): LoadStep {
    const d = this.deployment(namespace, name);
    return d
      ? loadAt(d.load, this.lastMs - this.startMs)
      : { atSeconds: 0, cpuCores: 0, requestsPerSecond: 0 };
  }

  /** The simulated instant the state has been advanced to. */
  get nowMs(): number {
    return this.lastMs;
  }

  /**
   * Integrates CPU from the last instant to `nowMs` at the usage of the last instant, then sets
   * each pod's usage from the load now. Earlier instants are ignored: time only moves forward.
   */
  advanceTo(nowMs: number): void {
    if (nowMs <= this.lastMs) return;
    const dtSeconds = (nowMs - this.lastMs) / 1000;
    for (const pod of this.podsByKey.values()) pod.cpuCoreSeconds += pod.cpuCores * dtSeconds;
    this.lastMs = nowMs;
    for (const d of this.deployments.values()) this.shareLoad(d);
  }

  /** The Deployment's spec.replicas, as the controller writes it through /scale; pods follow at once. */
  setReplicas(namespace: string, name: string, replicas: number): void {
    const d = this.deployment(namespace, name);
    if (!d) throw new Error(`deployments.apps "${name}" not found`);
    d.replicas = replicas;
    this.reconcile(namespace, name, this.lastMs);
    this.shareLoad(d);
  }

  /** The ReplicaSet's job: create missing pods on the emptiest node, delete the newest extra ones. */
  private reconcile(namespace: string, name: string, nowMs: number): void {
    const d = this.deployment(namespace, name)!;
    const pods = this.podsOf(namespace, name);
    for (let i = pods.length; i < d.replicas; i++) this.createPod(d, nowMs);
    // ReplicaSet deletion ranks not-ready and younger pods first (controller.ActivePodsWithRanks).
    // uids count up, so they order pods created in the same instant.
    const extra = pods
      .sort((a, b) => b.createdMs - a.createdMs || b.uid.localeCompare(a.uid))
      .slice(0, Math.max(0, pods.length - d.replicas));
    for (const p of extra) this.podsByKey.delete(`${p.namespace}/${p.name}`);
  }

  private createPod(d: SimDeploymentSpec, nowMs: number): void {
    this.created += 1;
    const suffix = (0x10000 + this.created * 7919).toString(36).slice(-5);
    const name = `${d.name}-5d8b7c9f6-${suffix}`;
    const pod: SimPodState = {
      namespace: d.namespace,
      name,
      uid: `sim-${this.created.toString(16).padStart(8, '0')}`,
      deployment: d.name,
      labels: { ...d.labels },
      nodeName: this.emptiestNode(),
      containerName: d.containerName,
      cpuRequestCores: d.cpuRequestCores,
      createdMs: nowMs,
      readyAtMs: nowMs + d.readinessDelayMs,
      cpuCores: idleCores,
      cpuCoreSeconds: 0,
      memoryBytes: baseMemoryBytes,
    };
    this.podsByKey.set(`${d.namespace}/${name}`, pod);
  }

  private emptiestNode(): string {
    const counts = new Map(this.nodeNames.map((n) => [n, 0]));
    for (const p of this.podsByKey.values())
      counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
    let best = this.nodeNames[0] ?? 'node-0';
    for (const [n, c] of counts) if (c < (counts.get(best) ?? 0)) best = n;
    return best;
  }

  /** The Service sends traffic to ready pods only; each uses its share, capped at its limit. */
  private shareLoad(d: SimDeploymentSpec): void {
    const pods = this.podsOf(d.namespace, d.name);
    const ready = pods.filter((p) => p.readyAtMs <= this.lastMs);
    const load = loadAt(d.load, this.lastMs - this.startMs);
    const share = ready.length > 0 ? load.cpuCores / ready.length : 0;
    for (const p of pods) {
      const used =
        p.readyAtMs <= this.lastMs ? Math.min(idleCores + share, d.cpuLimitCores) : idleCores;
      p.cpuCores = used;
      p.memoryBytes = Math.round(baseMemoryBytes + used * memoryPerCoreBytes);
    }
  }
}
