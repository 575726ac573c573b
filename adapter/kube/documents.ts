/**
 * Discovery documents of the read-only Kubernetes API that the embedded cluster serves beside the
 * metrics groups: core/v1 (nodes, pods), apps/v1 (deployments and their scale) and autoscaling/v2
 * (horizontalpodautoscalers), in kube-apiserver's shapes (APIVersions, APIGroup, APIResourceList),
 * enough for client-go's discovery, `kubectl top` and `scaleplane hpa explain`.
 * @module
 */

/** One served resource; `verbs` are the read verbs only: nothing here writes. */
interface ServedResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  /** Subresources are listed as `{name}/{sub}` with their own kind, as kube-apiserver does. */
  verbs: readonly string[];
  shortNames?: readonly string[];
}

export interface ServedGroupVersion {
  /** '' for the core group. */
  group: string;
  version: string;
  resources: readonly ServedResource[];
}

const read = ['get', 'list'] as const;

export const CORE_V1: ServedGroupVersion = {
  group: '',
  version: 'v1',
  resources: [
    {
      name: 'nodes',
      singularName: 'node',
      namespaced: false,
      kind: 'Node',
      verbs: read,
      shortNames: ['no'],
    },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: read,
      shortNames: ['po'],
    },
  ],
};

export const APPS_V1: ServedGroupVersion = {
  group: 'apps',
  version: 'v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: read,
      shortNames: ['deploy'],
    },
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      kind: 'Scale',
      verbs: ['get'],
    },
  ],
};

export const AUTOSCALING_V2: ServedGroupVersion = {
  group: 'autoscaling',
  version: 'v2',
  resources: [
    {
      name: 'horizontalpodautoscalers',
      singularName: 'horizontalpodautoscaler',
      namespaced: true,
      kind: 'HorizontalPodAutoscaler',
      verbs: read,
      shortNames: ['hpa'],
    },
  ],
};

/** The named groups, in the order kube-apiserver lists them. */
export const NAMED_GROUPS: readonly ServedGroupVersion[] = [APPS_V1, AUTOSCALING_V2];

/** `/api`: the core group's versions. */
export function apiVersionsJson(): string {
  return JSON.stringify({
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: null,
  });
}

/** One `groups[]` entry, or the body of `/apis/{group}`. */
export function groupEntry(g: ServedGroupVersion): object {
  const gv = { groupVersion: `${g.group}/${g.version}`, version: g.version };
  return { name: g.group, versions: [gv], preferredVersion: gv };
}

/** `/api/v1` or `/apis/{group}/{version}`. */
export function resourceListJson(g: ServedGroupVersion): string {
  return JSON.stringify({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: g.group === '' ? g.version : `${g.group}/${g.version}`,
    resources: g.resources.map((r) => ({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    })),
  });
}
