/**
 * The request filter in front of every route: authenticate, then authorize, then hand over
 * (k8s.io/apiserver endpoints/filters WithAuthentication and WithAuthorization). A request with
 * no valid identity fails with 401 `Unauthorized`; a denied one with 403 and the forbidden
 * message; an authorizer that cannot decide with 500. Failures go to `next(err)` as StatusErrors,
 * so the application's one error handler writes (and counts) them. The identity and request info
 * are left in `res.locals`.
 * @module
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, internalError, unauthorized } from '../../src/k8s/index.js';
import type { Logger, SelfMetrics } from '../../src/observability/index.js';
import { requestInfo, type RequestInfo } from './request-info.js';
import type { Attributes, AuthMethod, AuthRequest, Authorizer, UserInfo } from './types.js';
import type { RequestAuthenticator } from './union.js';

/** What the guard leaves in `res.locals` for handlers and logs. */
export interface AuthLocals {
  user: UserInfo;
  authMethod: AuthMethod;
  requestInfo: RequestInfo;
}

export interface GuardOptions {
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  logger: Logger;
  metrics?: SelfMetrics;
}

const peerChains = new WeakMap<object, X509Certificate[]>();

/** The peer chain as sent, leaf first; parsed once per TLS connection. */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const known = peerChains.get(socket);
  if (known) return known;
  const chain: X509Certificate[] = [];
  if (typeof socket.getPeerCertificate === 'function') {
    let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
    const seen = new Set<DetailedPeerCertificate>();
    while (cert?.raw && !seen.has(cert) && chain.length < 10) {
      seen.add(cert);
      chain.push(new X509Certificate(cert.raw));
      cert = cert.issuerCertificate;
    }
  }
  peerChains.set(socket, chain);
  return chain;
}

/** The authenticators' view of a Node request. */
export function toAuthRequest(req: IncomingMessage): AuthRequest {
  const socket = req.socket as TLSSocket;
  const headers = req.headersDistinct as Record<string, string[] | undefined>;
  return {
    headers,
    connection: socket,
    peerCertificates: () => peerChain(socket),
    removeHeader: (name) => {
      delete req.headers[name];
      delete headers[name];
    },
  };
}

/** authorizer.AttributesRecord from the request info and the user. */
export function attributesFor(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    namespace: info.namespace,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

function forbiddenFor(attrs: Attributes, reason: string): Error {
  if (!attrs.isResourceRequest)
    return forbidden(
      { user: attrs.user.name, verb: attrs.verb, group: '', resource: '', path: attrs.path },
      reason,
    );
  return forbidden(
    {
      user: attrs.user.name,
      verb: attrs.verb,
      group: attrs.apiGroup,
      resource: attrs.resource,
      subresource: attrs.subresource,
      namespace: attrs.namespace,
      name: attrs.name,
    },
    reason,
  );
}

async function guard(
  options: GuardOptions,
  req: Request,
  res: Response,
  next: NextFunction,
): Promise<void> {
  const info = requestInfo(req.method, req.originalUrl);
  let outcome;
  try {
    outcome = await options.authenticator.authenticate(toAuthRequest(req), info.path);
  } catch (err) {
    options.logger.debug('unable to authenticate the request', { path: info.path, err });
  }
  if (!outcome) {
    next(unauthorized());
    return;
  }
  // The credential is no longer needed once someone is authenticated (filters.WithAuthentication).
  delete req.headers.authorization;
  delete req.headersDistinct.authorization;
  const attrs = attributesFor(outcome.user, info);
  let result;
  try {
    result = await options.authorizer.authorize(attrs);
  } catch (err) {
    options.metrics?.authorization.inc({ decision: 'error', cached: 'false' });
    next(internalError(err));
    return;
  }
  const cached = result.cached ? 'true' : 'false';
  if (result.decision !== 'allow') {
    options.metrics?.authorization.inc({ decision: 'deny', cached });
    options.logger.debug('forbidden', {
      user: outcome.user.name,
      verb: attrs.verb,
      path: info.path,
      reason: result.reason,
    });
    next(forbiddenFor(attrs, result.reason));
    return;
  }
  options.metrics?.authorization.inc({ decision: 'allow', cached });
  const locals: AuthLocals = { user: outcome.user, authMethod: outcome.method, requestInfo: info };
  Object.assign(res.locals, locals);
  next();
}

/** The express middleware that authenticates and authorizes every request before the routes. */
export function createGuard(options: GuardOptions): RequestHandler {
  return (req, res, next) => {
    guard(options, req, res, next).catch(next);
  };
}
