/**
 * The three path shapes of custom.metrics.k8s.io (custom-metrics-apiserver
 * pkg/apiserver/installer/cmhandlers.go registerResourceHandlers) and what they ask for
 * (pkg/registry/custom_metrics/reststorage.go List):
 *
 * - `{resource}/{name}/{metric}`: an object of a root-scoped resource (`nodes/n1/m`, `nodes/*∕m`);
 * - `namespaces/{ns}/{resource}/{name}/{metric}`: a namespaced object (`namespaces/d/pods/*∕m`);
 * - `namespaces/{ns}/metrics/{metric}`: the namespace object `ns` itself.
 *
 * `*` as the name means "every object the label selector picks". Anything else is a 404.
 * @module
 */
import type { GroupResource } from '../../src/store/index.js';

/** The name that stands for every object matching the label selector (custom_metrics.AllObjects). */
export const ALL_OBJECTS = '*';

export interface CustomMetricTarget {
  groupResource: GroupResource;
  /** The described objects' namespace; undefined for root-scoped resources (and namespaces themselves). */
  namespace: string | undefined;
  /** One object's name, or {@link ALL_OBJECTS}. */
  name: string;
  metric: string;
}

/** schema.ParseGroupResource: `deployments.apps` → apps/deployments; no dot → the core group. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0
    ? { group: '', resource: text }
    : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/**
 * The target of a path below `/apis/custom.metrics.k8s.io/{version}`, given its decoded
 * segments; undefined when the path has none of the three shapes.
 */
export function parseCustomPath(segments: readonly string[]): CustomMetricTarget | undefined {
  if (segments.some((s) => s === '')) return undefined;
  if (segments.length === 3) {
    const [resource, name, metric] = segments as [string, string, string];
    return { groupResource: parseGroupResource(resource), namespace: undefined, name, metric };
  }
  if (segments[0] !== 'namespaces') return undefined;
  if (segments.length === 4 && segments[2] === 'metrics') {
    // reststorage.go: `namespace != "" && resource == "metrics"` describes the namespace object.
    return {
      groupResource: { group: '', resource: 'namespaces' },
      namespace: undefined,
      name: segments[1]!,
      metric: segments[3]!,
    };
  }
  if (segments.length === 5) {
    const [, namespace, resource, name, metric] = segments as [
      string,
      string,
      string,
      string,
      string,
    ];
    return { groupResource: parseGroupResource(resource), namespace, name, metric };
  }
  return undefined;
}

/**
 * Splits a request path into decoded segments, or undefined when a segment does not decode
 * (which express would have answered 400; here it is simply not one of our paths).
 */
export function pathSegments(path: string): string[] | undefined {
  const trimmed = path.replace(/^\/+/, '').replace(/\/$/, '');
  if (trimmed === '') return [];
  try {
    return trimmed.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
