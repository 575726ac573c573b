/**
 * The group resource of an Object metric's described object, which names the custom metric
 * (`deployments.apps`, `services`): the controller maps apiVersion/kind through its RESTMapper
 * (metrics/client.go GetObjectMetric). Here a pluggable resolver (discovery, in serve) answers
 * first; then a table of common kinds; then apimachinery's UnsafeGuessKindToResource.
 * @module
 */
import type { GroupResourceRef } from '../cluster/index.js';

/** Maps apiVersion and kind to a group resource; undefined when it does not know the kind. */
export type ObjectResourceResolver = (
  apiVersion: string | undefined,
  kind: string,
) => Promise<GroupResourceRef | undefined>;

/** Kinds an HPA commonly names, with the group they live in when the reference has no apiVersion. */
const commonKinds: Readonly<Record<string, GroupResourceRef>> = {
  Pod: { group: '', resource: 'pods' },
  Service: { group: '', resource: 'services' },
  Namespace: { group: '', resource: 'namespaces' },
  Node: { group: '', resource: 'nodes' },
  Endpoints: { group: '', resource: 'endpoints' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
};

/** The group of an apiVersion; undefined when there is none. */
export function groupOfApiVersion(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined || apiVersion === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** apimachinery meta.UnsafeGuessKindToResource: lower-case plural by English suffix rules. */
export function guessResource(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** The group resource for `kind` in `apiVersion`; the resolver's failure falls back to the table and the guess. */
export async function resolveObjectResource(
  apiVersion: string | undefined,
  kind: string,
  resolver?: ObjectResourceResolver,
): Promise<GroupResourceRef> {
  if (resolver !== undefined) {
    try {
      const resolved = await resolver(apiVersion, kind);
      if (resolved !== undefined) return resolved;
    } catch {
      // Discovery being down must not hide a metric the table or the guess can still name.
    }
  }
  const group = groupOfApiVersion(apiVersion);
  const common = Object.prototype.hasOwnProperty.call(commonKinds, kind)
    ? commonKinds[kind]
    : undefined;
  if (common !== undefined && (group === undefined || group === common.group)) return common;
  return { group: group ?? '', resource: guessResource(kind) };
}
