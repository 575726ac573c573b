/**
 * metav1.Status errors in the exact shapes the Kubernetes API machinery writes them
 * (apimachinery pkg/api/errors/errors.go, apiserver responsewriters/errors.go) and the metric
 * errors of custom-metrics-apiserver (pkg/provider/errors.go). Handlers throw these; the adapter
 * turns any thrown value into a Status with {@link toStatus} in one place.
 *
 * @example
 * throw notFound({ group: 'metrics.k8s.io', resource: 'nodes' }, 'n1'); // nodes.metrics.k8s.io "n1" not found
 * @module
 */
import { goQuote } from './go-quote.js';
import type { Selector } from './selector.js';

export interface StatusCause {
  type?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A metav1.Status as JSON; empty fields are left out as Go's `omitempty` does. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** An error that is an API response (errors.StatusError). */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message, options);
    this.name = 'StatusError';
    this.status = status;
  }
  /** The HTTP status code. */
  get code(): number {
    return this.status.code;
  }
}

export interface GroupResource {
  group: string;
  resource: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

/** `resource` for the core group, else `resource.group` (schema.GroupResource.String). */
export function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** Drops empty strings, empty lists and zero retry, as `omitempty` does in StatusDetails. */
function compactDetails(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (details.name) out.name = details.name;
  if (details.group) out.group = details.group;
  if (details.kind) out.kind = details.kind;
  if (details.causes && details.causes.length > 0) out.causes = details.causes;
  if (details.retryAfterSeconds) out.retryAfterSeconds = details.retryAfterSeconds;
  return out;
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
  cause?: unknown,
): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = compactDetails(details);
  return new StatusError(status, cause === undefined ? undefined : { cause });
}

function resourceDetails(gr: GroupResource, name = ''): StatusDetails {
  return { name, group: gr.group, kind: gr.resource };
}

/** 404 NotFound: `nodes.metrics.k8s.io "n1" not found` (errors.NewNotFound). */
export function notFound(gr: GroupResource, name: string): StatusError {
  return failure(
    404,
    'NotFound',
    `${groupResourceString(gr)} ${goQuote(name)} not found`,
    resourceDetails(gr, name),
  );
}

/** 400 BadRequest with `message` as is (errors.NewBadRequest). */
export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

/**
 * 422 Invalid: `Kind.group "name" is invalid: <field>: <message>`, several causes in brackets
 * (errors.NewInvalid with a field.ErrorList aggregate).
 */
export function invalid(gk: GroupKind, name: string, causes: readonly StatusCause[]): StatusError {
  const kind = gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`;
  const texts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  const detailCauses = causes.map((c) => ({
    type: c.type ?? 'FieldValueInvalid',
    message: c.message,
    field: c.field ?? '',
  }));
  return failure(422, 'Invalid', `${kind} ${goQuote(name)} is invalid: ${summary}`, {
    name,
    group: gk.group,
    kind: gk.kind,
    causes: detailCauses,
  });
}

/** 401 Unauthorized; the authentication filter's message is "Unauthorized". */
export function unauthorized(message = 'Unauthorized'): StatusError {
  return failure(401, 'Unauthorized', message);
}

/** What was asked for, as the authorizer saw it (authorizer.Attributes). */
export interface ForbiddenAttributes {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** For non-resource requests (`/healthz`): set `path` and leave `resource` empty. */
  path?: string;
}

/** Escapes what could pass for HTML, as responsewriters' sanitizer does. Quotes stay. */
function sanitize(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** responsewriters.forbiddenMessage: the three shapes (path, namespaced, cluster scope). */
function forbiddenMessage(a: ForbiddenAttributes): string {
  const user = goQuote(a.user);
  if (a.resource === '' && a.path !== undefined)
    return `User ${user} cannot ${a.verb} path ${goQuote(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = `User ${user} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.group)}`;
  return a.namespace
    ? `${what} in the namespace ${goQuote(a.namespace)}`
    : `${what} at the cluster scope`;
}

/**
 * 403 Forbidden as the authorization filter writes it (responsewriters.Forbidden + errors.NewForbidden):
 * `pods.metrics.k8s.io "p" is forbidden: User "u" cannot get resource "pods" in API group
 * "metrics.k8s.io" in the namespace "ns": <reason>`; no `: <reason>` when the reason is empty.
 */
export function forbidden(attrs: ForbiddenAttributes, reason = ''): StatusError {
  const base = sanitize(forbiddenMessage(attrs));
  const detail = reason === '' ? base : `${base}: ${reason}`;
  const gr = { group: attrs.group, resource: attrs.resource };
  const name = attrs.name ?? '';
  let message: string;
  if (gr.group === '' && gr.resource === '') message = `forbidden: ${detail}`;
  else if (name === '') message = `${groupResourceString(gr)} is forbidden: ${detail}`;
  else message = `${groupResourceString(gr)} ${goQuote(name)} is forbidden: ${detail}`;
  return failure(403, 'Forbidden', message, resourceDetails(gr, name));
}

/** 405 MethodNotAllowed: `create is not supported on resources of kind "pods.metrics.k8s.io"`. */
export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  const message = `${action} is not supported on resources of kind ${goQuote(groupResourceString(gr))}`;
  return failure(405, 'MethodNotAllowed', message, { group: gr.group, kind: gr.resource });
}

/** 413 RequestEntityTooLarge: `Request entity too large: <message>`. */
export function requestEntityTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** 429 TooManyRequests with a Retry-After hint in the details. */
export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

/**
 * 500 InternalError: `Internal error occurred: <err>`, the error text also as the one cause
 * (errors.NewInternalError). Use it when the text is safe to show; the error is kept as `cause`.
 */
export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return failure(
    500,
    'InternalError',
    `Internal error occurred: ${text}`,
    { causes: [{ message: text }] },
    err,
  );
}

/** 503 ServiceUnavailable with `message` as is. */
export function serviceUnavailable(message: string): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

/** 504 Timeout: `Timeout: <message>` (errors.NewTimeoutError). */
export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return failure(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/** 404: `the server could not find the metric <metric> for <resource>` (NewMetricNotFoundError). */
export function metricNotFound(gr: GroupResource, metric: string): StatusError {
  return failure(
    404,
    'NotFound',
    `the server could not find the metric ${metric} for ${groupResourceString(gr)}`,
  );
}

/** 404: `the server could not find the metric <metric> for <resource> <name>` (NewMetricNotFoundForError). */
export function metricNotFoundFor(gr: GroupResource, metric: string, name: string): StatusError {
  return failure(
    404,
    'NotFound',
    `the server could not find the metric ${metric} for ${groupResourceString(gr)} ${name}`,
  );
}

/** 404: `... for <resource> <name> with selector <selector>` (NewMetricNotFoundForSelectorError). */
export function metricNotFoundForSelector(
  gr: GroupResource,
  metric: string,
  name: string,
  selector: Selector | string,
): StatusError {
  const message = `the server could not find the metric ${metric} for ${groupResourceString(gr)} ${name} with selector ${selector.toString()}`;
  return failure(404, 'NotFound', message);
}

/** True for a StatusError whose reason is NotFound (errors.IsNotFound), so callers can pass it through. */
export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.status.reason === 'NotFound';
}

const CLIENT_INPUT_CODES: ReadonlySet<unknown> = new Set([
  'InvalidSelector',
  'InvalidQuantity',
  'InvalidDuration',
]);

/**
 * The Status for any thrown value: a StatusError's own; this module's parse errors (selector,
 * quantity, duration), which only arise from request input here, as 400 BadRequest; anything else a
 * 500 InternalError whose text is not shown, since it may hold internals (log the error instead).
 */
export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  if (err instanceof Error && CLIENT_INPUT_CODES.has((err as { code?: unknown }).code))
    return badRequest(err.message).status;
  return failure(500, 'InternalError', 'Internal error occurred: unexpected server error').status;
}
