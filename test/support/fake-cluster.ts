/**
 * A map-backed ClusterView (design habit 8): nodes and pods as client-node objects, plus any other
 * group resource as plain `{namespace, name, labels}` records for custom metrics by selector.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterView, GroupResourceRef } from '../../src/cluster/index.js';
import type { Selector } from '../../src/k8s/index.js';

/** An object of any group resource, as listObjectNames needs it. */
export interface FakeObject {
  /** Absent for root-scoped resources. */
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
}

export interface FakeClusterInit {
  nodes?: V1Node[];
  pods?: V1Pod[];
  /** Keyed by `resource` or `resource.group` (`deployments.apps`, `namespaces`, `services`). */
  objects?: Record<string, FakeObject[]>;
}

export function node(name: string, labels?: Record<string, string>): V1Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
}

export function pod(namespace: string, name: string, labels?: Record<string, string>): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels },
    status: { phase: 'Running' },
  };
}

function key(gr: GroupResourceRef): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

export class FakeClusterView implements ClusterView {
  readonly nodes: V1Node[];
  readonly pods: V1Pod[];
  readonly objects: Record<string, FakeObject[]>;
  /** Pods by namespace, as an informer's namespace index keeps them. */
  readonly #podsByNamespace = new Map<string, V1Pod[]>();

  constructor(init: FakeClusterInit = {}) {
    this.nodes = init.nodes ?? [];
    this.pods = init.pods ?? [];
    this.objects = init.objects ?? {};
    for (const p of this.pods) {
      const ns = p.metadata?.namespace ?? '';
      const list = this.#podsByNamespace.get(ns) ?? [];
      list.push(p);
      this.#podsByNamespace.set(ns, list);
    }
  }

  listNodes(selector?: Selector): V1Node[] {
    return selector
      ? this.nodes.filter((n) => selector.matches(n.metadata?.labels))
      : [...this.nodes];
  }

  listPods(namespace: string | undefined, selector?: Selector): V1Pod[] {
    const scope =
      namespace === undefined ? this.pods : (this.#podsByNamespace.get(namespace) ?? []);
    return selector ? scope.filter((p) => selector.matches(p.metadata?.labels)) : [...scope];
  }

  listObjectNames(
    resource: GroupResourceRef,
    namespace: string | undefined,
    selector: Selector,
  ): Promise<string[]> {
    const k = key(resource);
    if (k === 'pods')
      return Promise.resolve(this.listPods(namespace, selector).map((p) => p.metadata!.name!));
    if (k === 'nodes')
      return Promise.resolve(this.listNodes(selector).map((n) => n.metadata!.name!));
    const objects = this.objects[k];
    if (!objects)
      return Promise.reject(new Error(`the server doesn't have a resource type "${k}"`));
    const names = objects
      .filter((o) => o.namespace === namespace && selector.matches(o.labels))
      .map((o) => o.name);
    return Promise.resolve(names);
  }
}
