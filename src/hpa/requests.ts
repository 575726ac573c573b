/**
 * Per-pod resource requests, the denominator of a utilization target.
 * @module
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { MetricError } from './errors.js';
import type { ParseCache } from './parse-cache.js';

/** Resources a pod may request at pod level (component-helpers resource IsSupportedPodLevelResource). */
const podLevelResources: ReadonlySet<string> = new Set(['cpu', 'memory']);

/**
 * Milli requests of `resource` per pod name (replica_calculator.go calculateRequests): pod-level
 * requests when the pod sets them and no container is named (KEP-2837), else the sum over
 * containers and restartable init containers, or the one named container.
 * @throws MetricError with upstream's message when a pod lacks the request.
 */
export function calculatePodRequests(
  pods: readonly V1Pod[],
  container: string,
  resource: string,
  quantities: ParseCache,
): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const usePodLevel = container === '' && isPodLevelRequestsSet(pod);
    const request = usePodLevel
      ? calculatePodLevelRequests(pod, resource, quantities)
      : calculatePodRequestsFromContainers(pod, container, resource, quantities);
    requests.set(pod.metadata?.name ?? '', request);
  }
  return requests;
}

/** component-helpers resource IsPodLevelRequestsSet: any supported resource requested at pod level. */
function isPodLevelRequestsSet(pod: V1Pod): boolean {
  const requests = pod.spec?.resources?.requests;
  if (requests === undefined) return false;
  for (const name of Object.keys(requests)) if (podLevelResources.has(name)) return true;
  return false;
}

/**
 * replica_calculator.go calculatePodLevelRequests over component-helpers PodRequests: the pod-level
 * value, or, for a resource not set at pod level, the containers' aggregate.
 */
function calculatePodLevelRequests(pod: V1Pod, resource: string, quantities: ParseCache): number {
  const podLevel = pod.spec?.resources?.requests?.[resource];
  if (podLevel !== undefined) return quantities.milli(podLevel);
  let total = 0;
  let found = false;
  for (const c of requestingContainers(pod)) {
    const request = c.resources?.requests?.[resource];
    if (request === undefined) continue;
    total += quantities.milli(request);
    found = true;
  }
  if (!found)
    throw new MetricError(`missing pod-level request for ${resource} in Pod ${podName(pod)}`);
  return total;
}

/** replica_calculator.go calculatePodRequestsFromContainers. */
function calculatePodRequestsFromContainers(
  pod: V1Pod,
  container: string,
  resource: string,
  quantities: ParseCache,
): number {
  let request = 0;
  for (const c of requestingContainers(pod)) {
    if (container === '' || container === c.name) {
      const containerRequest = c.resources?.requests?.[resource];
      if (containerRequest === undefined) {
        throw new MetricError(
          `missing request for ${resource} in container ${c.name} of Pod ${podName(pod)}`,
        );
      }
      request += quantities.milli(containerRequest);
    }
    // Container names are unique inside a pod.
    if (container === c.name) return request;
  }
  if (container !== '')
    throw new MetricError(`container ${container} not found in Pod ${podName(pod)}`);
  return request;
}

/** Regular containers plus restartable (sidecar) init containers, which run for the pod's life. */
function requestingContainers(pod: V1Pod): V1Container[] {
  const containers = pod.spec?.containers ?? [];
  const init = pod.spec?.initContainers;
  if (init === undefined || init.length === 0) return containers;
  const sidecars = init.filter((c) => c.restartPolicy === 'Always');
  return sidecars.length === 0 ? containers : [...containers, ...sidecars];
}

function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}
