/**
 * Reads one HPA's sync inputs from a live cluster the way kube-controller-manager does
 * (horizontal.go reconcileAutoscaler; metrics/client.go): the autoscaling/v2 object, its target's
 * /scale, the namespace's pods matching the scale selector, and each metric from the cluster's
 * own metrics APIs through an ApiMetricsClient, the runtime's MetricsClient seam. The objects and
 * metric items are also kept in the API's JSON shapes, which is the scenario contract format.
 * @module
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import {
  KubeApiError,
  ScaleError,
  type ApiDiscovery,
  type KubeApi,
  type KubeScaleReader,
  type MetricsApiClient,
  type TargetScale,
} from '../cluster/index.js';
import type { MetricFetch } from '../hpa/index.js';
import { ApiMetricsClient, type ServedItems } from './api-metrics-client.js';
import { commandError, ExplainError, unreachable, type CallContext } from './explain-errors.js';
import { scaleSelector } from './inputs.js';
import { fetchMetrics, type FetchError } from './metrics-client.js';

/** The cluster clients `hpa explain` reads through. */
export interface ExplainClients {
  api: KubeApi;
  metrics: MetricsApiClient;
  scales: KubeScaleReader;
  discovery: ApiDiscovery;
  /** The API server URL, named in error lines. */
  server: string;
}

/** What was read: the objects and metric items in the scenario's JSON shapes, and the metrics' answers. */
export interface FetchedInputs extends ServedItems {
  hpa: V2HorizontalPodAutoscaler;
  scale: TargetScale;
  pods: unknown[];
  /** The metrics client's answers by metric spec index, as the engine takes them. */
  metrics: (MetricFetch | undefined)[];
  /** Metrics whose API answered with an error; the engine then reports them as the controller would. */
  fetchErrors: FetchError[];
}

/** The object without managedFields, which only make a saved scenario harder to read. */
function withoutManagedFields<T>(obj: T): T {
  const o = obj as { metadata?: Record<string, unknown> };
  if (o?.metadata === undefined) return obj;
  const metadata = { ...o.metadata };
  delete metadata.managedFields;
  return { ...o, metadata } as T;
}

async function getHpa(
  c: ExplainClients,
  namespace: string,
  name: string,
): Promise<V2HorizontalPodAutoscaler> {
  const ctx: CallContext = {
    verb: 'get',
    resource: 'horizontalpodautoscalers.autoscaling',
    namespace,
    server: c.server,
  };
  try {
    const path = `/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers/${encodeURIComponent(name)}`;
    return withoutManagedFields(
      await c.api.request<V2HorizontalPodAutoscaler>({ method: 'GET', path }),
    );
  } catch (err) {
    if (err instanceof KubeApiError && err.statusCode === 404) {
      throw new ExplainError(
        `horizontalpodautoscaler "${name}" not found in namespace "${namespace}": check the name with kubectl get hpa -n ${namespace}`,
      );
    }
    throw commandError(err, ctx, true)!;
  }
}

async function getScale(
  c: ExplainClients,
  namespace: string,
  hpa: V2HorizontalPodAutoscaler,
): Promise<TargetScale> {
  const ref = hpa.spec?.scaleTargetRef;
  if (ref?.kind === undefined || ref.name === undefined)
    throw new ExplainError(
      `horizontalpodautoscaler "${hpa.metadata?.name ?? ''}" in namespace "${namespace}" has no spec.scaleTargetRef: check it with kubectl get hpa -o yaml -n ${namespace}`,
    );
  const what = `${ref.kind} "${ref.name}" (spec.scaleTargetRef of horizontalpodautoscaler "${hpa.metadata?.name ?? ''}")`;
  try {
    return await c.scales.getScale(namespace, ref);
  } catch (err) {
    if (!(err instanceof ScaleError)) throw err;
    const ctx: CallContext = {
      verb: 'get',
      resource: `${ref.kind.toLowerCase()}/scale`,
      namespace,
      server: c.server,
    };
    const cause = err.cause;
    if (cause instanceof KubeApiError && cause.statusCode === 0)
      throw unreachable(ctx, cause.message);
    if (err.code === 'forbidden')
      throw commandError(
        cause instanceof KubeApiError
          ? cause
          : new KubeApiError(403, 'Forbidden', err.message, 'GET', ''),
        ctx,
        true,
      )!;
    if (err.code === 'not_found')
      throw new ExplainError(
        `${what} not found in namespace "${namespace}": check spec.scaleTargetRef with kubectl get ${ref.kind.toLowerCase()} ${ref.name} -n ${namespace}`,
      );
    throw new ExplainError(
      `cannot read the scale of ${what}: ${err.message}: check spec.scaleTargetRef (apiVersion ${ref.apiVersion ?? '(none)'}, kind ${ref.kind})`,
    );
  }
}

async function listPods(
  c: ExplainClients,
  namespace: string,
  selector: string,
): Promise<unknown[]> {
  const ctx: CallContext = { verb: 'list', resource: 'pods', namespace, server: c.server };
  try {
    const body = await c.api.request<{ items?: unknown[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      query: { labelSelector: selector },
    });
    return (body?.items ?? []).map(withoutManagedFields);
  } catch (err) {
    throw commandError(err, ctx, true)!;
  }
}

/** Reads everything one sync of `namespace/name` reads; the metrics through an ApiMetricsClient. */
export async function fetchExplainInputs(
  c: ExplainClients,
  namespace: string,
  name: string,
): Promise<FetchedInputs> {
  const hpa = await getHpa(c, namespace, name);
  const scale = await getScale(c, namespace, hpa);
  const selector = scaleSelector(scale);
  const none = { podMetrics: [], customMetrics: [], externalMetrics: [] };
  // Without a usable selector the controller stops at InvalidSelector before reading anything else.
  if (selector === undefined)
    return { hpa, scale, pods: [], ...none, metrics: [], fetchErrors: [] };
  const pods = await listPods(c, namespace, selector.toString());
  const client = new ApiMetricsClient({
    metrics: c.metrics,
    discovery: c.discovery,
    server: c.server,
  });
  const { answers, fetchErrors } = await fetchMetrics(client, hpa, namespace, selector);
  return { hpa, scale, pods, ...client.served, metrics: answers, fetchErrors };
}
