/**
 * The ClusterView over informers: Nodes, Pods (cached by namespace) and Namespaces are listed and
 * watched, and selectors run on the cache; any other group resource is listed through the API
 * with the selector, its URL found by discovery (prometheus-adapter
 * pkg/custom-provider/helpers.go ListObjectNames does the same with a dynamic client). Objects are
 * the API server's JSON as list and watch deliver it: timestamps are RFC 3339 strings.
 * @module
 */
import type {
  KubeConfig,
  KubernetesObject,
  V1Namespace,
  V1Node,
  V1Pod,
} from '@kubernetes/client-node';
import type { Selector } from '../k8s/index.js';
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../observability/index.js';
import type { BackoffOptions } from './backoff.js';
import type { ApiDiscovery } from './discovery.js';
import { ManagedInformer, type InformerState } from './informer.js';
import type { KubeApi } from './kube-api.js';
import type { GroupResourceRef } from './types.js';
import type { ClusterView } from './view.js';

/** A group resource the API server does not serve. */
export class UnknownResourceError extends Error {
  readonly code = 'UNKNOWN_RESOURCE';
  constructor(readonly resource: GroupResourceRef) {
    const name =
      resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
    super(`the server doesn't have a resource type "${name}"`);
    this.name = 'UnknownResourceError';
  }
}

export interface KubeClusterViewOptions {
  kubeConfig: KubeConfig;
  api: KubeApi;
  discovery: ApiDiscovery;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  backoff?: BackoffOptions;
}

/**
 * PartialObjectMetadataList first, full objects as the fallback: the metadata client's Accept
 * header (client-go metadata.ConfigFor), so a list by selector carries names, not whole objects.
 */
const metadataAccept =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

function matching<T extends { metadata?: { labels?: Record<string, string> } }>(
  objects: readonly T[],
  selector: Selector | undefined,
): T[] {
  if (selector === undefined || selector.empty()) return [...objects];
  return objects.filter((o) => selector.matches(o.metadata?.labels));
}

/** ClusterView on client-node informers; `start()` before use, `stop()` at shutdown. */
export class KubeClusterView implements ClusterView {
  private readonly nodes: ManagedInformer<V1Node>;
  private readonly pods: ManagedInformer<V1Pod>;
  private readonly namespaces: ManagedInformer<V1Namespace>;

  constructor(private readonly o: KubeClusterViewOptions) {
    const informer = <T extends KubernetesObject>(
      resource: string,
      path: string,
    ): ManagedInformer<T> => new ManagedInformer<T>({ ...o, resource, path });
    this.nodes = informer<V1Node>('nodes', '/api/v1/nodes');
    this.pods = informer<V1Pod>('pods', '/api/v1/pods');
    this.namespaces = informer<V1Namespace>('namespaces', '/api/v1/namespaces');
  }

  /** The informers' states, for the `cluster-view` health check. */
  states(): InformerState[] {
    return [this.nodes.state(), this.pods.state(), this.namespaces.state()];
  }

  /** Starts every informer; resolves after each made its first attempt. Never rejects. */
  async start(): Promise<void> {
    await Promise.all([this.nodes.start(), this.pods.start(), this.namespaces.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.nodes.stop(), this.pods.stop(), this.namespaces.stop()]);
  }

  listNodes(selector?: Selector): V1Node[] {
    return matching(this.nodes.list(), selector);
  }

  listPods(namespace: string | undefined, selector?: Selector): V1Pod[] {
    return matching(this.pods.list(namespace), selector);
  }

  /**
   * Names of `resource` objects matching `selector`; `namespace` is ignored for cluster-scoped
   * resources and undefined means every namespace, as ListObjectNames does.
   * @throws UnknownResourceError when discovery does not know the resource.
   */
  async listObjectNames(
    resource: GroupResourceRef,
    namespace: string | undefined,
    selector: Selector,
  ): Promise<string[]> {
    const names = (objects: readonly { metadata?: { name?: string } }[]): string[] =>
      objects.map((o) => o.metadata?.name ?? '');
    if (resource.group === '') {
      if (resource.resource === 'pods') return names(this.listPods(namespace, selector));
      if (resource.resource === 'nodes') return names(this.listNodes(selector));
      if (resource.resource === 'namespaces')
        return names(matching(this.namespaces.list(), selector));
    }
    const found = await this.o.discovery.resourceFor(resource);
    if (found === undefined) throw new UnknownResourceError(resource);
    const ns =
      found.namespaced && namespace !== undefined
        ? `/namespaces/${encodeURIComponent(namespace)}`
        : '';
    const body = await this.o.api.request<{ items?: Array<{ metadata?: { name?: string } }> }>({
      method: 'GET',
      path: `${found.basePath}${ns}/${found.resource}`,
      query: { labelSelector: selector.empty() ? undefined : selector.toString() },
      accept: metadataAccept,
    });
    return names(body?.items ?? []).filter((n) => n !== '');
  }
}
