/**
 * The state of one running cluster and what tests do with it once it is up. Built by
 * startControlPlane (../control-plane.ts); everything it starts or creates is released by
 * {@link RunningCluster.stop}, also when start-up fails half-way.
 * @module
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { issue } from '../../support/pki.js';
import type { ClusterPki } from './cluster-pki.js';
import type { AggregatorRouting, ClusterPorts } from './components.js';
import { kubeFor, kwokNode, readyNodes, type Kube, type KwokNodeOptions } from './kube.js';
import type { StartupTimings } from './launch.js';
import type { LocalLink } from './netns.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { routeToLocal, type LocalBackend } from './routing.js';
import { waitFor } from './wait.js';

/** What a local process started through {@link RunningCluster.spawn} runs. */
export interface LocalProcessSpec {
  name: string;
  binary: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Facts known once the control plane answers. */
export interface ClusterFacts {
  server: string;
  /** Admin (system:masters) kubeconfig file. */
  kubeconfig: string;
  pki: ClusterPki;
  ports: ClusterPorts;
  timings: StartupTimings & { totalMs: number };
}

/** Stops processes in reverse dependency order: clients first, then the apiserver, then etcd. */
async function stopInOrder(
  components: readonly ManagedProcess[],
  local: readonly ManagedProcess[],
): Promise<void> {
  const named = (names: string[]): Promise<void[]> =>
    Promise.all(components.filter((p) => names.includes(p.name)).map((p) => p.stop()));
  await Promise.all(local.map((p) => p.stop()));
  await named(['kwok', 'kube-scheduler', 'kube-controller-manager']);
  await named(['kube-apiserver']);
  await named(['etcd']);
}

/** A cluster being started or running; see ControlPlane in ../control-plane.ts for the API. */
export class RunningCluster {
  /** Control-plane components, in start order (launchControlPlane appends). */
  readonly components: ManagedProcess[] = [];
  private readonly local: ManagedProcess[] = [];
  private readonly kubes: Kube[] = [];
  private stopping: Promise<void> | undefined;
  link: LocalLink | undefined;
  private facts: (ClusterFacts & { kube: Kube }) | undefined;

  constructor(
    readonly dir: string,
    readonly routing: AggregatorRouting,
    private readonly keepDir: boolean,
  ) {}

  /** Records the control plane as answering (again, to update timings); the accessors work after. */
  ready(facts: ClusterFacts): void {
    let kube = this.facts?.kube;
    if (!kube) {
      kube = kubeFor(this.dir, facts.server, facts.pki.ca.certFile, facts.pki.admin);
      this.kubes.push(kube);
    }
    this.facts = { ...facts, kube };
  }

  private get up(): ClusterFacts & { kube: Kube } {
    if (!this.facts) throw new Error('the control plane is not running');
    return this.facts;
  }

  get server(): string {
    return this.up.server;
  }
  get kubeconfig(): string {
    return this.up.kubeconfig;
  }
  get pki(): ClusterPki {
    return this.up.pki;
  }
  get ports(): ClusterPorts {
    return this.up.ports;
  }
  get timings(): StartupTimings & { totalMs: number } {
    return this.up.timings;
  }
  get kube(): Kube {
    return this.up.kube;
  }
  /** The namespace-side veth address under 'endpoints' routing (see netns.ts), else loopback. */
  get localServeAddress(): string {
    return this.link?.peerAddress ?? '127.0.0.1';
  }

  async addNodes(names: readonly string[], options?: KwokNodeOptions): Promise<void> {
    await this.kube.apply(names.map((n) => kwokNode(n, options)));
    await waitFor(
      `nodes ${names.join(', ')} Ready`,
      async () => ((await readyNodes(this.kube, names)).length === names.length ? true : undefined),
      { timeoutMs: 60_000 },
    );
  }

  routeToLocal(backend: LocalBackend): Promise<number> {
    return routeToLocal(this.kube, this.routing, this.localServeAddress, backend);
  }

  async kubeAs(user: string, groups: string[] = []): Promise<Kube> {
    const { pki, server } = this.up;
    const cert = await issue(pki.dir, {
      name: `user-${user}`,
      cn: user,
      o: groups,
      ca: pki.ca,
      usage: 'clientAuth',
    });
    const kube = kubeFor(this.dir, server, pki.ca.certFile, cert);
    this.kubes.push(kube);
    return kube;
  }

  spawn(spec: LocalProcessSpec): ManagedProcess {
    const proc = startProcess({ ...spec, logFile: join(this.dir, `${spec.name}.log`) });
    this.local.push(proc);
    return proc;
  }

  spawnBackend(spec: LocalProcessSpec): ManagedProcess {
    if (!this.link) return this.spawn(spec);
    // `ip netns exec` execs the command, so the leash still watches (and stops) the process itself.
    const args = ['netns', 'exec', this.link.namespace, spec.binary, ...spec.args];
    return this.spawn({ ...spec, binary: 'ip', args });
  }

  logs(lines = 30): string {
    return [...this.components, ...this.local]
      .map((p) => `--- ${p.name}\n${p.logTail(lines)}`)
      .join('\n');
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await stopInOrder(this.components, this.local);
      await this.link?.remove();
      for (const kube of this.kubes) kube.cleanup();
      if (!this.keepDir) rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}
