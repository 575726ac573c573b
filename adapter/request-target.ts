/**
 * Refuses every request whose target the router would read differently from the guard, before
 * the guard runs. k8s.io/apiserver authorizes the parsed URL path (requestinfo.go reads
 * `req.URL.Path`), the same path its mux serves. Here the router parses the target (express's
 * parseurl: an absolute-form `https://host/apis/...` becomes `/apis/...`; a target with `#` or
 * whitespace goes through url.parse, which turns `\` into `/` and drops the fragment), while
 * the guard reads the raw target. Rather than a second parser that must agree with express
 * forever, only targets both read alike get through: origin form (RFC 9112 §3.2.1, an absolute
 * path and an optional query), whose path is exactly the path the router matches. Absolute
 * form, authority form and the `*` of `OPTIONS *` are never sent to an origin server by
 * kube-apiserver's proxy, kubectl or client-go, so refusing them costs no client anything.
 * @module
 */
import type { Request, RequestHandler } from 'express';
import { badRequest } from '../src/k8s/index.js';
import type { Logger, SelfMetrics } from '../src/observability/index.js';
import { sendStatus } from './errors.js';

/** The `reason` label of scaleplane_api_rejected_requests_total for a refused target. */
export const REQUEST_TARGET_REASON = 'request_target';

/** The raw path of a target: everything before the first `?`. */
function rawPath(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/**
 * Why `req`'s target cannot be authorized as served, or undefined when it can. `req.path` is the
 * path express routes on (parseurl's pathname of `req.url`), read at the application's root.
 */
export function requestTargetProblem(req: Pick<Request, 'url' | 'path'>): string | undefined {
  const target = req.url;
  if (!target.startsWith('/'))
    return 'the request target must be in origin form: an absolute path and an optional query';
  if (req.path !== rawPath(target))
    return 'the request target must not carry a fragment, whitespace or a backslash';
  return undefined;
}

/**
 * The middleware in front of the guard: a target outside origin form, or one whose routed path
 * is not its raw path, gets 400 BadRequest, counted with reason `request_target`.
 */
export function requireOriginForm(deps: { metrics: SelfMetrics; logger: Logger }): RequestHandler {
  return (req, res, next) => {
    const problem = requestTargetProblem(req);
    if (problem === undefined) return next();
    deps.metrics.apiRejected.inc({ reason: REQUEST_TARGET_REASON });
    sendStatus(res, badRequest(problem), deps.logger);
  };
}
