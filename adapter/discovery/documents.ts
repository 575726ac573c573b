/**
 * The legacy discovery documents (metav1 APIGroupList, APIGroup, APIResourceList) for the three
 * metrics groups, as apiserver pkg/endpoints/discovery writes them. The kube-aggregator reads
 * `/apis/{group}/{version}` from us to learn what each APIService serves.
 * @module
 */
import type { CustomMetricInfo, ExternalMetricInfo } from '../../src/store/index.js';
import { groupResourceString } from '../../src/store/index.js';

export interface ApiGroupSpec {
  name: string;
  /** Preferred first: custom.metrics.k8s.io prefers v1beta2 (k8s.io/metrics install.go SetVersionPriority). */
  versions: readonly string[];
}

export const METRICS_GROUP = 'metrics.k8s.io';
export const CUSTOM_GROUP = 'custom.metrics.k8s.io';
export const EXTERNAL_GROUP = 'external.metrics.k8s.io';

export const API_GROUPS: readonly ApiGroupSpec[] = [
  { name: METRICS_GROUP, versions: ['v1beta1'] },
  { name: CUSTOM_GROUP, versions: ['v1beta2', 'v1beta1'] },
  { name: EXTERNAL_GROUP, versions: ['v1beta1'] },
];

/** metav1.APIResource with the fields a metrics API sets. */
export interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: readonly string[];
}

function versionEntry(group: string, version: string): { groupVersion: string; version: string } {
  return { groupVersion: `${group}/${version}`, version };
}

function groupEntry(g: ApiGroupSpec): object {
  return {
    name: g.name,
    versions: g.versions.map((v) => versionEntry(g.name, v)),
    preferredVersion: versionEntry(g.name, g.versions[0]!),
  };
}

/** `/apis`: every group we serve, preferred versions first. */
export function apiGroupListJson(): string {
  return JSON.stringify({
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: API_GROUPS.map(groupEntry),
  });
}

/** `/apis/{group}`. */
export function apiGroupJson(g: ApiGroupSpec): string {
  return JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g) });
}

/** `/apis/{group}/{version}`: APIResource in Go field order, singularName empty as metrics-server's. */
export function apiResourceListJson(
  groupVersion: string,
  resources: readonly ApiResource[],
): string {
  return JSON.stringify({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map((r) => ({
      name: r.name,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    })),
  });
}

/** metrics-server's two storages (pkg/api/install.go): list and get, no watch. */
export const RESOURCE_METRICS_RESOURCES: readonly ApiResource[] = [
  { name: 'nodes', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
  { name: 'pods', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
];

/**
 * Stands in when no custom metric is known yet. client-go 0.26+ treats an empty APIResourceList
 * as a failed group ("Got empty response for: custom.metrics.k8s.io/v1beta1", custom-metrics-apiserver
 * issue #146), which prints on every kubectl call and can stall namespace deletion. One `get`-only
 * entry keeps discovery whole; controllers skip it as it has no list or delete verb. KEDA's
 * metrics server made the same choice (`externalmetrics`).
 */
export const CUSTOM_PLACEHOLDER: ApiResource = {
  name: 'custommetrics',
  namespaced: true,
  kind: 'MetricValueList',
  verbs: ['get'],
};
export const EXTERNAL_PLACEHOLDER: ApiResource = {
  name: 'externalmetrics',
  namespaced: true,
  kind: 'ExternalMetricValueList',
  verbs: ['get'],
};

function byName(a: ApiResource, b: ApiResource): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Every custom metric as `<resource>/<metric>` (custom-metrics-apiserver provider
 * resource_lister.go ListAPIResources), duplicates dropped and sorted so the document is stable.
 */
export function customResources(infos: readonly CustomMetricInfo[]): ApiResource[] {
  const seen = new Map<string, ApiResource>();
  for (const info of infos) {
    const name = `${groupResourceString(info.groupResource)}/${info.metric}`;
    const key = `${info.namespaced ? 'ns' : 'root'}|${name}`;
    if (!seen.has(key))
      seen.set(key, { name, namespaced: info.namespaced, kind: 'MetricValueList', verbs: ['get'] });
  }
  const resources = [...seen.values()].sort(byName);
  return resources.length > 0 ? resources : [CUSTOM_PLACEHOLDER];
}

/** Every external metric name, namespaced (the external lister marks them all namespaced). */
export function externalResources(infos: readonly ExternalMetricInfo[]): ApiResource[] {
  const names = [...new Set(infos.map((i) => i.metric))].sort();
  const resources = names.map((name) => ({
    name,
    namespaced: true,
    kind: 'ExternalMetricValueList',
    verbs: ['get'],
  }));
  return resources.length > 0 ? resources : [EXTERNAL_PLACEHOLDER];
}
