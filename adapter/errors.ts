/**
 * Errors leave the adapter in one shape, as a `metav1.Status` with its HTTP code, and in one
 * place: this file. Handlers throw (or pass to `next`) a StatusError from src/k8s or any other
 * error; {@link sendStatus} turns it into the response the apiserver machinery would write
 * (k8s.io/apiserver pkg/endpoints/handlers/responsewriters `ErrorNegotiated`).
 * @module
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import {
  badRequest,
  methodNotSupported,
  requestEntityTooLarge,
  StatusError,
  toStatus,
} from '../src/k8s/index.js';
import type { GroupResource, Status } from '../src/k8s/index.js';
import type { Logger } from '../src/observability/index.js';

/**
 * Errors raised by express and its dependencies (the router's "Failed to decode param", a body
 * over the limit) carry a 4xx `status` and a message meant for the client.
 */
function fromHttpError(err: unknown): Status | undefined {
  if (!(err instanceof Error) || err instanceof StatusError) return undefined;
  const { status } = err as { status?: unknown };
  if (typeof status !== 'number') return undefined;
  if (status === 413) return toStatus(requestEntityTooLarge(err.message));
  if (status >= 400 && status < 500) return toStatus(badRequest(err.message));
  return undefined;
}

/** The Status for any thrown value; unknown errors become 500 without leaking their text. */
export function statusOf(err: unknown): Status {
  return fromHttpError(err) ?? toStatus(err);
}

/** Writes `status` as the JSON body with its code, unless the response has already started. */
export function writeStatus(res: Response, status: Status): void {
  if (res.headersSent) {
    // A complete answer (say, the deadline's 504) stands; half a body on the wire can only be cut off.
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = JSON.stringify(status);
  res.status(status.code);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}

/**
 * Sends `err` as a metav1.Status. Server faults (5xx) are logged at error with the request's
 * context and the original error; client errors (4xx) at debug, as kube-apiserver logs only its
 * own failures loudly.
 */
export function sendStatus(res: Response, err: unknown, logger?: Logger): void {
  const status = statusOf(err);
  if (logger) {
    const req = res.req;
    const fields = {
      method: req.method,
      path: req.path,
      code: status.code,
      reason: status.reason,
      err,
    };
    if (status.code >= 500) logger.error('request failed', fields);
    else logger.debug('request rejected', fields);
  }
  writeStatus(res, status);
}

/** The express error middleware: the last `app.use` of the adapter, mapping every error to a Status. */
export function statusErrorHandler(logger?: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    sendStatus(res, err, logger);
  };
}

/** The apiserver's wording for a path no route serves (errors.NewGenericServerResponse for 404). */
export const PATH_NOT_FOUND_MESSAGE = 'the server could not find the requested resource';

/** 404 for a path no route serves, with the empty details kube-apiserver writes. */
export function pathNotFound(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: PATH_NOT_FOUND_MESSAGE,
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/** True for the Status of {@link pathNotFound}, as opposed to a missing object or metric. */
export function isPathNotFound(status: Status): boolean {
  return status.code === 404 && status.message === PATH_NOT_FOUND_MESSAGE;
}

/** 405 for a non-resource path (discovery, OpenAPI, health): errors.NewGenericServerResponse's wording. */
export function methodNotAllowed(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server does not allow this method on the requested resource',
    reason: 'MethodNotAllowed',
    details: {},
    code: 405,
  });
}

/** For `route.all(...)` after a non-resource GET route: 405 with the Allow header. */
export const rejectAnyMethod: RequestHandler = (_req, res, next) => {
  res.setHeader('Allow', 'GET, HEAD');
  next(methodNotAllowed());
};

/** The verb a write method would be (apiserver request.RequestInfo); collections delete as deletecollection. */
function verbOf(method: string, collection: boolean): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return collection ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

/**
 * For `route.all(...)` after a route's GET: every other method gets 405 MethodNotAllowed naming
 * the verb (errors.NewMethodNotSupported), with the Allow header RFC 9110 asks for.
 */
export function rejectMethod(gr: GroupResource, collection: boolean): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Allow', 'GET, HEAD');
    next(methodNotSupported(gr, verbOf(req.method, collection)));
  };
}
