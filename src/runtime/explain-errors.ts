/**
 * The failures that stop `hpa explain` before the engine runs, each as one line that names what
 * is missing and how to fix it. A metric API that answers with an error for one metric is not
 * one of them: the controller reports that in the HPA's conditions, and so does the explanation.
 * @module
 */
import { KubeApiError, MetricsApiError, type MetricsApiGroup } from '../cluster/index.js';

/** Why the explanation could not be produced; `usage` marks bad command-line input (exit 2). */
export class ExplainError extends Error {
  readonly code = 'HPA_EXPLAIN_FAILED';
  constructor(
    message: string,
    readonly usage = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ExplainError';
  }
}

/** The API call that failed, for the message: `list` `pods.metrics.k8s.io` in `shop`. */
export interface CallContext {
  verb: string;
  /** Qualified resource, as `kubectl auth can-i` takes it. */
  resource: string;
  namespace: string;
  /** The API server URL, for the unreachable message. */
  server: string;
}

/** What to install for each metrics API group. */
const providers: Readonly<Record<MetricsApiGroup, string>> = {
  'metrics.k8s.io': 'scaleplane (or metrics-server)',
  'custom.metrics.k8s.io': 'scaleplane (or prometheus-adapter)',
  'external.metrics.k8s.io': 'scaleplane (or prometheus-adapter)',
};

const apiServiceVersions: Readonly<Record<MetricsApiGroup, string>> = {
  'metrics.k8s.io': 'v1beta1',
  'custom.metrics.k8s.io': 'v1beta2',
  'external.metrics.k8s.io': 'v1beta1',
};

/** "the metrics.k8s.io API is not registered: install ... and check kubectl get apiservice ...". */
export function notRegistered(group: MetricsApiGroup): ExplainError {
  return new ExplainError(
    `the ${group} API is not registered: install ${providers[group]} and check kubectl get apiservice ${apiServiceVersions[group]}.${group}`,
  );
}

/** A 403, naming the verb, the resource and the RBAC rule that would allow it. */
export function forbidden(ctx: CallContext, serverMessage: string): ExplainError {
  const [resource, ...groupParts] = ctx.resource.split('.');
  const group = groupParts.join('.');
  return new ExplainError(
    `forbidden: cannot ${ctx.verb} ${ctx.resource} in namespace "${ctx.namespace}" (${serverMessage}): grant a Role rule {apiGroups: ["${group}"], resources: ["${resource ?? ''}"], verbs: ["${ctx.verb}"]} to this user and check with kubectl auth can-i ${ctx.verb} ${ctx.resource} -n ${ctx.namespace}`,
  );
}

/** No HTTP answer at all: connection refused, DNS, TLS or the request timeout. */
export function unreachable(ctx: CallContext, detail: string): ExplainError {
  return new ExplainError(
    `cannot reach the Kubernetes API server at ${ctx.server} (${ctx.verb} ${ctx.resource}: ${detail}): check --kubeconfig and --context, and that the cluster is running`,
  );
}

/**
 * Errors that end the command, or undefined when the caller may carry on (a metric API that
 * failed for this metric only). `fatalOnAnyError` is for the reads without which nothing can be
 * explained (the HPA, the pods).
 */
export function commandError(
  err: unknown,
  ctx: CallContext,
  fatalOnAnyError: boolean,
): ExplainError | undefined {
  if (err instanceof ExplainError) return err;
  if (err instanceof MetricsApiError) return notRegistered(err.group);
  if (err instanceof KubeApiError) {
    if (err.statusCode === 403) return forbidden(ctx, err.message);
    if (err.statusCode === 401) {
      return new ExplainError(
        `unauthorized: the API server at ${ctx.server} rejected the kubeconfig's credentials (${err.message}): refresh them, or pick another --context`,
      );
    }
    if (fatalOnAnyError && err.statusCode === 0) return unreachable(ctx, err.message);
  }
  if (!fatalOnAnyError) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  return new ExplainError(
    `cannot ${ctx.verb} ${ctx.resource} in namespace "${ctx.namespace}": ${message}`,
    false,
    { cause: err },
  );
}
