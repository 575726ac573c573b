/**
 * Reads the /scale subresource of an HPA's target the way the controller does
 * (horizontal.go reconcileAutoscaler → scaleForResourceMappings): the group of the reference's
 * apiVersion plus its kind pick the resource through discovery, then
 * `GET {basePath}/namespaces/{ns}/{resource}/{name}/scale` returns an autoscaling/v1 Scale. Works
 * for Deployments, ReplicaSets, StatefulSets, ReplicationControllers and any custom resource with
 * a scale subresource. Failures are typed so the runtime can say what is missing.
 * @module
 */
import type { ApiDiscovery } from './discovery.js';
import { KubeApiError, type KubeApi } from './kube-api.js';
import type { ScaleTargetRef, TargetScale } from './types.js';

export type ScaleErrorCode =
  /** apiVersion does not parse (schema.ParseGroupVersion). */
  | 'invalid_reference'
  /** No resource of that kind in that group (RESTMapper NoKindMatchError). */
  | 'unknown_kind'
  /** The resource exists but publishes no /scale. */
  | 'no_scale_subresource'
  /** The target object does not exist. */
  | 'not_found'
  /** Our service account may not read the scale. */
  | 'forbidden'
  /** The API server did not answer usefully (down, timeout, 5xx). */
  | 'unavailable';

/** A scale that could not be read; `message` is fit for the HPA's condition and explanation. */
export class ScaleError extends Error {
  constructor(
    readonly code: ScaleErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ScaleError';
  }
}

/** "apps/v1" → { group: "apps", version: "v1" }; "v1" → core (schema.ParseGroupVersion). */
export function parseGroupVersion(
  apiVersion: string | undefined,
): { group: string; version: string } | undefined {
  if (apiVersion === undefined || apiVersion === '') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '')
    return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

/** The autoscaling/v1 Scale body as a TargetScale; absent replicas count as 0 (Go's zero value). */
export function decodeScale(body: unknown): TargetScale {
  const scale = body as
    | { spec?: { replicas?: unknown }; status?: { replicas?: unknown; selector?: unknown } }
    | undefined;
  const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    specReplicas: int(scale?.spec?.replicas),
    statusReplicas: int(scale?.status?.replicas),
    selector: typeof scale?.status?.selector === 'string' ? scale.status.selector : '',
  };
}

function fromApiError(err: KubeApiError): ScaleError {
  if (err.statusCode === 404) return new ScaleError('not_found', err.message, { cause: err });
  if (err.statusCode === 403) return new ScaleError('forbidden', err.message, { cause: err });
  return new ScaleError('unavailable', err.message, { cause: err });
}

export interface ScaleReaderOptions {
  api: KubeApi;
  discovery: ApiDiscovery;
}

/** GETs /scale of any scalable resource. */
export class KubeScaleReader {
  constructor(private readonly o: ScaleReaderOptions) {}

  /** @throws ScaleError */
  async getScale(namespace: string, ref: ScaleTargetRef): Promise<TargetScale> {
    const gv = parseGroupVersion(ref.apiVersion);
    if (gv === undefined)
      throw new ScaleError(
        'invalid_reference',
        `unexpected GroupVersion string: ${ref.apiVersion ?? ''}`,
      );
    let resource;
    try {
      resource = await this.o.discovery.resourceForKind(gv.group, ref.kind);
    } catch (err) {
      const forbidden = err instanceof KubeApiError && err.statusCode === 403;
      throw new ScaleError(
        forbidden ? 'forbidden' : 'unavailable',
        `API discovery failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (resource === undefined) {
      throw new ScaleError(
        'unknown_kind',
        `no matches for kind "${ref.kind}" in group "${gv.group}"`,
      );
    }
    const gr = resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
    if (!resource.scale)
      throw new ScaleError('no_scale_subresource', `${gr} has no scale subresource`);
    const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const path = `${resource.basePath}${ns}/${resource.resource}/${encodeURIComponent(ref.name)}/scale`;
    try {
      return decodeScale(await this.o.api.request({ method: 'GET', path }));
    } catch (err) {
      throw err instanceof KubeApiError
        ? fromApiError(err)
        : new ScaleError('unavailable', (err as Error).message, { cause: err });
    }
  }
}
