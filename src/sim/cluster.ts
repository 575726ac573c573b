/**
 * The simulated cluster behind the same seams a real one has: a ClusterView (nodes, pods), an
 * HpaSource (HPAs and the /scale of their targets) and a ScaleWriter, so the HPA runtime acts as
 * the controller and replicas really change. Every read first advances the world to the clock.
 * @module
 */
import type {
  V1Deployment,
  V1Node,
  V1Pod,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import {
  ScaleError,
  type ClusterView,
  type GroupResourceRef,
  type HpaSource,
  type ScaleTargetRef,
  type TargetScale,
} from '../cluster/index.js';
import type { Selector } from '../k8s/index.js';
import type { Clock } from '../observability/index.js';
import { deploymentObject, nodeObject, podObject, scaleOf } from './objects.js';
import type { SimWorld } from './world.js';

export interface SimClusterOptions {
  world: SimWorld;
  clock: Clock;
  hpas: readonly V2HorizontalPodAutoscaler[];
}

/** Deployments are the one scalable kind of the simulated cluster. */
function isDeployment(ref: ScaleTargetRef): boolean {
  const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return ref.kind === 'Deployment' && (group === 'apps' || ref.apiVersion === undefined);
}

/** Also the runtime's ScaleWriter (structurally: src/sim does not import src/runtime). */
export class SimCluster implements ClusterView, HpaSource {
  private readonly hpas: V2HorizontalPodAutoscaler[];

  constructor(private readonly o: SimClusterOptions) {
    this.hpas = [...o.hpas];
  }

  private now(): number {
    this.o.world.advanceTo(this.o.clock.now());
    return this.o.world.nowMs;
  }

  listNodes(selector?: Selector): V1Node[] {
    return this.o.world.nodeNames
      .map((n) => nodeObject(n, this.o.world.startMs))
      .filter((n) => selector?.matches(n.metadata?.labels) ?? true);
  }

  listPods(namespace: string | undefined, selector?: Selector): V1Pod[] {
    const nowMs = this.now();
    return this.o.world
      .pods()
      .filter(
        (p) =>
          (namespace === undefined || p.namespace === namespace) &&
          (selector?.matches(p.labels) ?? true),
      )
      .map((p) => podObject(p, nowMs));
  }

  listObjectNames(
    resource: GroupResourceRef,
    namespace: string | undefined,
    selector: Selector,
  ): Promise<string[]> {
    if (resource.group === '' && resource.resource === 'pods')
      return Promise.resolve(this.listPods(namespace, selector).map((p) => p.metadata!.name!));
    if (resource.group === '' && resource.resource === 'nodes')
      return Promise.resolve(this.listNodes(selector).map((n) => n.metadata!.name!));
    if (resource.group === 'apps' && resource.resource === 'deployments') {
      const names = this.o.world
        .listDeployments()
        .filter(
          (d) =>
            (namespace === undefined || d.namespace === namespace) && selector.matches(d.labels),
        );
      return Promise.resolve(names.map((d) => d.name));
    }
    return Promise.reject(
      new Error(
        `the server doesn't have a resource type "${resource.group ? `${resource.resource}.${resource.group}` : resource.resource}"`,
      ),
    );
  }

  /** The Deployments as apps/v1 objects, for the embedded cluster's Kubernetes API. */
  listDeployments(): V1Deployment[] {
    const nowMs = this.now();
    return this.o.world
      .listDeployments()
      .map((d) =>
        deploymentObject(d, this.o.world.podsOf(d.namespace, d.name), this.o.world.startMs, nowMs),
      );
  }

  listHpas(): V2HorizontalPodAutoscaler[] {
    return [...this.hpas];
  }

  getScale(namespace: string, ref: ScaleTargetRef): Promise<TargetScale> {
    this.now();
    if (!isDeployment(ref))
      return Promise.reject(
        new ScaleError(
          'unknown_kind',
          `no matches for kind "${ref.kind}" in version "${ref.apiVersion ?? ''}"`,
        ),
      );
    const d = this.o.world.deployment(namespace, ref.name);
    if (!d)
      return Promise.reject(
        new ScaleError('not_found', `deployments.apps "${ref.name}" not found`),
      );
    return Promise.resolve(scaleOf(d, this.o.world.podsOf(namespace, ref.name)));
  }

  setReplicas(namespace: string, ref: ScaleTargetRef, replicas: number): Promise<void> {
    this.now();
    if (!isDeployment(ref))
      return Promise.reject(new ScaleError('unknown_kind', `no matches for kind "${ref.kind}"`));
    try {
      this.o.world.setReplicas(namespace, ref.name, replicas);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(new ScaleError('not_found', (err as Error).message));
    }
  }
}
