/**
 * What the adapter and the HPA runtime need to know about the cluster: the objects that
 * selectors pick. Implementations: client-node informers (serve), and a map-backed fake in tests.
 * @module
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Selector } from '../k8s/index.js';
import type { GroupResourceRef } from './types.js';

export interface ClusterView {
  /** Nodes whose labels match `selector` (everything when undefined). */
  listNodes(selector?: Selector): V1Node[];
  /** Pods in `namespace` (all when undefined) whose labels match `selector`. */
  listPods(namespace: string | undefined, selector?: Selector): V1Pod[];
  /**
   * Names of objects of any group resource matching `selector`, for custom metrics by selector
   * (prometheus-adapter's helpers.ListObjectNames). Rejects when the resource is unknown.
   */
  listObjectNames(
    resource: GroupResourceRef,
    namespace: string | undefined,
    selector: Selector,
  ): Promise<string[]>;
}
