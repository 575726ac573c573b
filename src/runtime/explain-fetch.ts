/**
 * Reads one HPA's sync inputs from a live cluster the way kube-controller-manager does
 * (horizontal.go reconcileAutoscaler; metrics/client.go): the autoscaling/v2 object, its target's
 * /scale, the namespace's pods matching the scale selector, and each metric from the cluster's
 * own metrics APIs. Values stay in the API's JSON shapes, which is the scenario contract format.
 * @module
 */
import type {
  V1LabelSelector,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import {
  KubeApiError,
  ScaleError,
  type ApiDiscovery,
  type CustomMetricValueItem,
  type ExternalMetricValueItem,
  type KubeApi,
  type KubeScaleReader,
  type MetricsApiClient,
  type PodMetricsItem,
  type TargetScale,
} from '../cluster/index.js';
import { defaultMetricSpec } from '../hpa/index.js';
import { everything, parseSelector, selectorFromLabelSelector } from '../k8s/index.js';
import { commandError, ExplainError, unreachable, type CallContext } from './explain-errors.js';
import type { FetchError } from './inputs.js';
import { groupOfApiVersion, resolveObjectResource } from './object-resource.js';

/** The cluster clients `hpa explain` reads through. */
export interface ExplainClients {
  api: KubeApi;
  metrics: MetricsApiClient;
  scales: KubeScaleReader;
  discovery: ApiDiscovery;
  /** The API server URL, named in error lines. */
  server: string;
}

/** What was read, in the scenario's JSON shapes. */
export interface FetchedInputs {
  hpa: V2HorizontalPodAutoscaler;
  scale: TargetScale;
  pods: unknown[];
  podMetrics: PodMetricsItem[];
  customMetrics: CustomMetricValueItem[];
  externalMetrics: ExternalMetricValueItem[];
  /** Metrics whose API answered with an error; the engine then reports them as the controller would. */
  fetchErrors: FetchError[];
}

/** The selector string a metric's LabelSelector becomes on the wire ("" selects everything). */
function metricSelector(ls: V1LabelSelector | undefined): string {
  return (ls === undefined || ls === null ? everything : selectorFromLabelSelector(ls)).toString();
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

/** The canonical selector string, or undefined for an empty or unparsable one (the engine reports it). */
function podSelector(scale: TargetScale): string | undefined {
  if (scale.selector.trim() === '') return undefined;
  try {
    return parseSelector(scale.selector).toString();
  } catch {
    return undefined;
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

/** Accumulates metric values; a failed call becomes a FetchError with the controller's wording. */
class MetricReader {
  readonly out: Omit<FetchedInputs, 'hpa' | 'scale' | 'pods'> = {
    podMetrics: [],
    customMetrics: [],
    externalMetrics: [],
    fetchErrors: [],
  };
  private resourceRead: Promise<string | undefined> | undefined;

  constructor(
    private readonly c: ExplainClients,
    private readonly namespace: string,
    private readonly selector: string,
  ) {}

  /** Runs one call; a 403 or a missing API ends the command, other failures are this metric's. */
  private async attempt(
    index: number,
    metric: string,
    api: string,
    ctx: Omit<CallContext, 'namespace' | 'server'>,
    call: () => Promise<void>,
  ): Promise<string | undefined> {
    try {
      await call();
      return undefined;
    } catch (err) {
      const fatal = commandError(
        err,
        { ...ctx, namespace: this.namespace, server: this.c.server },
        false,
      );
      if (fatal !== undefined) throw fatal;
      // metrics/client.go wraps every failure as "unable to fetch metrics from <api>: <err>".
      const error = `unable to fetch metrics from ${api}: ${err instanceof Error ? err.message : String(err)}`;
      this.out.fetchErrors.push({ index, metric, error });
      return error;
    }
  }

  async read(spec: V2MetricSpec, index: number): Promise<void> {
    if (
      (spec.type === 'Resource' && spec.resource) ||
      (spec.type === 'ContainerResource' && spec.containerResource)
    ) {
      const name = spec.resource?.name ?? spec.containerResource?.name ?? '';
      // One list serves every resource metric: the controller's calls would return the same items.
      this.resourceRead ??= this.attempt(
        index,
        name,
        'resource metrics API',
        { verb: 'list', resource: 'pods.metrics.k8s.io' },
        async () => {
          this.out.podMetrics.push(
            ...(await this.c.metrics.listPodMetrics(this.namespace, this.selector)),
          );
        },
      );
      const error = await this.resourceRead;
      if (error !== undefined && !this.out.fetchErrors.some((e) => e.index === index))
        this.out.fetchErrors.push({ index, metric: name, error });
    } else if (spec.type === 'Pods' && spec.pods) {
      const m = spec.pods.metric;
      await this.attempt(
        index,
        m.name,
        'custom metrics API',
        { verb: 'get', resource: `pods.custom.metrics.k8s.io` },
        async () => {
          this.out.customMetrics.push(
            ...(await this.c.metrics.getPodsMetric(
              this.namespace,
              m.name,
              this.selector,
              metricSelector(m.selector),
            )),
          );
        },
      );
    } else if (spec.type === 'Object' && spec.object) {
      await this.object(index, spec.object.describedObject, spec.object.metric);
    } else if (spec.type === 'External' && spec.external) {
      const m = spec.external.metric;
      await this.attempt(
        index,
        m.name,
        'external metrics API',
        { verb: 'get', resource: `${m.name}.external.metrics.k8s.io` },
        async () => {
          this.out.externalMetrics.push(
            ...(await this.c.metrics.getExternalMetric(
              this.namespace,
              m.name,
              metricSelector(m.selector),
            )),
          );
        },
      );
    }
  }

  private async object(
    index: number,
    ref: { apiVersion?: string; kind: string; name: string },
    m: { name: string; selector?: V1LabelSelector },
  ): Promise<void> {
    const selector = metricSelector(m.selector);
    // metrics/client.go GetObjectMetric: a core Namespace is the root-scoped form for the HPA's namespace.
    if (ref.kind === 'Namespace' && (groupOfApiVersion(ref.apiVersion) ?? '') === '') {
      await this.attempt(
        index,
        m.name,
        'custom metrics API',
        { verb: 'get', resource: 'namespaces.custom.metrics.k8s.io' },
        async () => {
          this.out.customMetrics.push(
            ...(await this.c.metrics.getNamespaceMetric(this.namespace, m.name, selector)),
          );
        },
      );
      return;
    }
    const gr = await resolveObjectResource(ref.apiVersion, ref.kind, async (apiVersion, kind) =>
      this.c.discovery.resourceForKind(groupOfApiVersion(apiVersion) ?? '', kind),
    );
    const qualified = gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
    await this.attempt(
      index,
      m.name,
      'custom metrics API',
      { verb: 'get', resource: `${gr.resource}.custom.metrics.k8s.io` },
      async () => {
        this.out.customMetrics.push(
          ...(await this.c.metrics.getObjectMetric(
            this.namespace,
            qualified,
            ref.name,
            m.name,
            selector,
          )),
        );
      },
    );
  }
}

/** Reads everything one sync of `namespace/name` reads. */
export async function fetchExplainInputs(
  c: ExplainClients,
  namespace: string,
  name: string,
): Promise<FetchedInputs> {
  const hpa = await getHpa(c, namespace, name);
  const scale = await getScale(c, namespace, hpa);
  const selector = podSelector(scale);
  const empty = { podMetrics: [], customMetrics: [], externalMetrics: [], fetchErrors: [] };
  // Without a usable selector the controller stops at InvalidSelector before reading anything else.
  if (selector === undefined) return { hpa, scale, pods: [], ...empty };
  const pods = await listPods(c, namespace, selector);
  const reader = new MetricReader(c, namespace, selector);
  const specs = hpa.spec?.metrics?.length ? hpa.spec.metrics : [defaultMetricSpec];
  for (const [index, spec] of specs.entries()) await reader.read(spec, index);
  reader.out.fetchErrors.sort((a, b) => a.index - b.index);
  return { hpa, scale, pods, ...reader.out };
}
