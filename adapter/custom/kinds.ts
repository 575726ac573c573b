/**
 * The `describedObject` kind and apiVersion of a group resource. custom-metrics-apiserver asks a
 * RESTMapper backed by live discovery (provider/helpers ReferenceFor); we have no discovery
 * client, so common built-in resources come from a static table and anything else from a
 * documented guess (see {@link describedKind}). Clients of the API (the HPA included) key on the
 * described object's name, not its kind, so a guess never changes a scaling decision.
 * @module
 */
import type { GroupResource } from '../../src/store/index.js';

export interface DescribedKind {
  kind: string;
  /** `v1` for the core group, else `group/version`. */
  apiVersion: string;
}

/** Preferred versions of the built-in groups, for resources the table below does not name. */
const GROUP_VERSIONS: Readonly<Record<string, string>> = {
  '': 'v1',
  apps: 'apps/v1',
  batch: 'batch/v1',
  autoscaling: 'autoscaling/v2',
  policy: 'policy/v1',
  'networking.k8s.io': 'networking.k8s.io/v1',
  'discovery.k8s.io': 'discovery.k8s.io/v1',
  'storage.k8s.io': 'storage.k8s.io/v1',
};

/** Kinds whose names the singularising guess would get wrong, or that are listed for clarity. */
const KINDS: Readonly<Record<string, string>> = {
  pods: 'Pod',
  nodes: 'Node',
  namespaces: 'Namespace',
  services: 'Service',
  endpoints: 'Endpoints',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  replicationcontrollers: 'ReplicationController',
  configmaps: 'ConfigMap',
  serviceaccounts: 'ServiceAccount',
  'deployments.apps': 'Deployment',
  'statefulsets.apps': 'StatefulSet',
  'daemonsets.apps': 'DaemonSet',
  'replicasets.apps': 'ReplicaSet',
  'jobs.batch': 'Job',
  'cronjobs.batch': 'CronJob',
  'horizontalpodautoscalers.autoscaling': 'HorizontalPodAutoscaler',
  'poddisruptionbudgets.policy': 'PodDisruptionBudget',
  'ingresses.networking.k8s.io': 'Ingress',
  'networkpolicies.networking.k8s.io': 'NetworkPolicy',
  'endpointslices.discovery.k8s.io': 'EndpointSlice',
};

/**
 * Undoes meta.UnsafeGuessKindToResource (`y` → `ies`, `s` → `ses`, else `+s`) and capitalises:
 * `widgets` → `Widget`, `policies` → `Policy`, `statuses` → `Status`. Words inside a kind are not
 * recovered (`scaledobjects` → `Scaledobject`): the resource name does not record them.
 */
function guessKind(resource: string): string {
  let singular = resource;
  if (resource.endsWith('ies')) singular = `${resource.slice(0, -3)}y`;
  else if (resource.endsWith('ses')) singular = resource.slice(0, -2);
  else if (resource.endsWith('s')) singular = resource.slice(0, -1);
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/**
 * The kind and apiVersion for `gr`: the static table for built-in resources; otherwise the
 * guessed kind with the group's known preferred version, or `v1` for an unknown group (the
 * version most CRDs serve first). Upstream writes `/v1` for the core group (`kind.Group + "/" +
 * kind.Version`); we write the valid `v1`.
 */
export function describedKind(gr: GroupResource): DescribedKind {
  const key = gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
  const kind = Object.prototype.hasOwnProperty.call(KINDS, key)
    ? KINDS[key]!
    : guessKind(gr.resource);
  const apiVersion = Object.prototype.hasOwnProperty.call(GROUP_VERSIONS, gr.group)
    ? GROUP_VERSIONS[gr.group]!
    : `${gr.group}/v1`;
  return { kind, apiVersion };
}
