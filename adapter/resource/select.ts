/**
 * Which nodes and pods a metrics.k8s.io request is about, joined with their metrics. As in
 * metrics-server pkg/api (node.go, pod.go), the cluster's objects come first: only objects that
 * exist and match the label and field selectors are served, an object without metrics is left
 * out of a list, and a GET tells "no such object" from "no metrics for it" by the resource in the
 * 404.
 * @module
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterView } from '../../src/cluster/index.js';
import { notFound } from '../../src/k8s/index.js';
import type { FieldSelector, Selector } from '../../src/k8s/index.js';
import type { PodMetricsValue, ResourceMetricsReader } from '../../src/store/index.js';
import type { NodeItem, PodItem } from './serialize.js';

export interface ListQuery {
  labelSelector: Selector;
  fieldSelector: FieldSelector;
}

/**
 * Fields a field selector may name (runtime.DefaultMetaV1FieldSelectorConversion). A node has no
 * namespace field (generic.AddObjectMetaFieldsSet with hasNamespaceField=false), so on nodes
 * `metadata.namespace` reads as the empty string, as upstream.
 */
export const SELECTABLE_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/** The GroupResources metrics-server builds its NotFound errors from (install.go). */
const NODE_METRICS = { group: 'metrics.k8s.io', resource: 'nodemetrics' };
const POD_METRICS = { group: 'metrics.k8s.io', resource: 'podmetrics' };
/** The listers' own NotFound: client-go's node lister says "node", the pod metadata lister "pods". */
const NODE_OBJECT = { group: '', resource: 'node' };
const POD_OBJECT = { group: '', resource: 'pods' };

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byNamespaceThenName(a: PodItem, b: PodItem): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return byName(a, b);
}

/** Nodes matching the query that have metrics, sorted by name (node.go getMetrics). */
export function listNodeItems(
  cluster: ClusterView,
  reader: ResourceMetricsReader,
  q: ListQuery,
): NodeItem[] {
  const nodes = cluster.listNodes(q.labelSelector.empty() ? undefined : q.labelSelector);
  const selected: V1Node[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name;
    if (
      name !== undefined &&
      (q.fieldSelector.empty() || q.fieldSelector.matches({ 'metadata.name': name }))
    )
      selected.push(node);
  }
  const metrics = new Map(
    reader.getNodeMetrics(selected.map((n) => n.metadata!.name!)).map((m) => [m.name, m]),
  );
  const items: NodeItem[] = [];
  for (const node of selected) {
    const m = metrics.get(node.metadata!.name!);
    if (m) items.push({ name: m.name, labels: node.metadata?.labels, metrics: m });
  }
  return items.sort(byName);
}

/** One node's metrics, or 404 naming either the missing node or its missing metrics. */
export function getNodeItem(
  cluster: ClusterView,
  reader: ResourceMetricsReader,
  name: string,
): NodeItem {
  const node = cluster.listNodes().find((n) => n.metadata?.name === name);
  if (!node) throw notFound(NODE_OBJECT, name);
  const [m] = reader.getNodeMetrics([name]);
  if (!m) throw notFound(NODE_METRICS, name);
  return { name, labels: node.metadata?.labels, metrics: m };
}

/**
 * metrics-server's pod informer lists only `status.phase=Running` pods (pkg/server/informer.go), so
 * a Pending, Succeeded or Failed pod is served as if it did not exist, whatever its kubelet reports.
 */
function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running';
}

function podFields(pod: V1Pod): Record<string, string> {
  return {
    'metadata.name': pod.metadata?.name ?? '',
    'metadata.namespace': pod.metadata?.namespace ?? '',
  };
}

/**
 * Pods in `namespace` (all when undefined) matching the query that have metrics, sorted by
 * namespace then name (pod.go getMetrics).
 */
export function listPodItems(
  cluster: ClusterView,
  reader: ResourceMetricsReader,
  namespace: string | undefined,
  q: ListQuery,
): PodItem[] {
  const pods = cluster
    .listPods(namespace, q.labelSelector.empty() ? undefined : q.labelSelector)
    .filter(isRunning);
  const selected = q.fieldSelector.empty()
    ? pods
    : pods.filter((p) => q.fieldSelector.matches(podFields(p)));
  // One namespace: ask for exactly the selected names. All namespaces: names alone are ambiguous,
  // so read the whole scope and join on namespace/name.
  const names = namespace === undefined ? undefined : selected.map((p) => p.metadata?.name ?? '');
  // Namespace, then name: two Map lookups instead of building a `namespace/name` string per pod twice.
  const metrics = new Map<string, Map<string, PodMetricsValue>>();
  for (const m of reader.getPodMetrics(namespace, names)) {
    let inNamespace = metrics.get(m.namespace);
    if (!inNamespace) metrics.set(m.namespace, (inNamespace = new Map<string, PodMetricsValue>()));
    inNamespace.set(m.name, m);
  }
  const items: PodItem[] = [];
  for (const pod of selected) {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const m = metrics.get(ns)?.get(name);
    if (m) items.push({ namespace: ns, name, labels: pod.metadata?.labels, metrics: m });
  }
  return items.sort(byNamespaceThenName);
}

/** One pod's metrics, or 404: `pods "p" not found` or `podmetrics.metrics.k8s.io "ns/p" not found`. */
export function getPodItem(
  cluster: ClusterView,
  reader: ResourceMetricsReader,
  namespace: string,
  name: string,
): PodItem {
  const pod = cluster.listPods(namespace).find((p) => p.metadata?.name === name);
  if (!pod || !isRunning(pod)) throw notFound(POD_OBJECT, name);
  const m = reader.getPodMetrics(namespace, [name]).find((v) => v.name === name);
  if (!m) throw notFound(POD_METRICS, `${namespace}/${name}`);
  return { namespace, name, labels: pod.metadata?.labels, metrics: m };
}
