/**
 * `/openapi/v2`, `/openapi/v3` and `/openapi/v3/apis/{group}/{version}`, with the caching rules of
 * kube-openapi (handler.go, handler3/handler.go): a quoted ETag and 304 on If-None-Match; with
 * `?hash=` matching, `Cache-Control: public, immutable`; a stale hash is a 301 to the current URL.
 * JSON only: a client that accepts nothing else (the protobuf forms) gets 406.
 * @module
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { pathNotFound, rejectAnyMethod } from '../errors.js';
import { negotiate, queryOf } from '../request.js';
import { buildOpenApiV2, buildOpenApiV3, type Served } from './documents.js';

export interface OpenApiRoutesOptions {
  /** `info.title` of the documents. */
  title: string;
  /** `info.version`: our gitVersion. */
  version: string;
  /** Wall clock in ms, for the Expires header of hashed URLs. */
  now: () => number;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

function notModified(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${etag}"`);
}

function send(
  req: Request,
  res: Response,
  doc: Served,
  cacheHeaders: Record<string, string> = {},
): void {
  negotiate(req.headers.accept, false);
  res.setHeader('ETag', `"${doc.etag}"`);
  res.setHeader('Vary', 'Accept');
  for (const [k, v] of Object.entries(cacheHeaders)) res.setHeader(k, v);
  if (notModified(req, doc.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.end(doc.body);
}

function groupVersionHandler(docs: ReadonlyMap<string, Served>, now: () => number): RequestHandler {
  return (req, res, next) => {
    const key = `apis/${req.params.group as string}/${req.params.version as string}`;
    const doc = docs.get(key);
    if (!doc) return next(pathNotFound());
    const hash = queryOf(req).get('hash');
    if (hash === null || hash === '') return send(req, res, doc);
    if (hash !== doc.etag) {
      res.redirect(301, `/openapi/v3/${key}?hash=${doc.etag}`);
      return;
    }
    send(req, res, doc, {
      'Cache-Control': 'public, immutable',
      Expires: new Date(now() + ONE_YEAR_MS).toUTCString(),
    });
  };
}

/** The OpenAPI router; mount it at the application root. The documents are built here, once. */
export function openApiRouter(o: OpenApiRoutesOptions): Router {
  const v2 = buildOpenApiV2(o.title, o.version);
  const v3 = buildOpenApiV3(o.title, o.version);
  const router = Router({ caseSensitive: true, strict: false });
  router
    .route('/openapi/v2')
    .get((req, res) => send(req, res, v2))
    .all(rejectAnyMethod);
  router
    .route('/openapi/v3')
    .get((req, res) => send(req, res, v3.discovery))
    .all(rejectAnyMethod);
  router
    .route('/openapi/v3/apis/:group/:version')
    .get(groupVersionHandler(v3.groupVersions, o.now))
    .all(rejectAnyMethod);
  return router;
}
