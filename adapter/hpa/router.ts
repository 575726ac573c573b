/**
 * `/hpa`: the HPA runtime's decisions, for operators asking why an HPA did (not) scale.
 * `GET /hpa` lists every HPA, `GET /hpa/{namespace}` one namespace's, `GET /hpa/{namespace}/{name}`
 * one record; JSON by default, text with `?format=text`. An HPA the runtime has not evaluated is a
 * 404 NotFound Status for horizontalpodautoscalers.autoscaling, as the API would answer.
 * @module
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { badRequest, notFound } from '../../src/k8s/index.js';
import type { DecisionReader, HpaDecisionRecord } from '../../src/runtime/index.js';
import { rejectAnyMethod, sendStatus } from '../errors.js';
import { queryOf, writeJson } from '../request.js';
import { listText, recordText } from './format.js';

const HPAS = { group: 'autoscaling', resource: 'horizontalpodautoscalers' };

type Format = 'json' | 'text';

function formatOf(req: Request): Format {
  const raw = queryOf(req).get('format');
  if (raw === null || raw === '' || raw === 'json') return 'json';
  if (raw === 'text') return 'text';
  throw badRequest(`unsupported format ${JSON.stringify(raw)}: use "json" or "text"`);
}

function writeText(res: Response, text: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(text);
}

function listJson(records: readonly HpaDecisionRecord[]): string {
  return JSON.stringify({ kind: 'HpaDecisionList', items: records });
}

function list(reader: DecisionReader, namespace?: string): RequestHandler {
  return (req, res) => {
    const format = formatOf(req);
    const records = reader
      .listDecisions()
      .filter((r) => namespace === undefined || r.hpa.namespace === namespace);
    if (format === 'text') writeText(res, listText(records));
    else writeJson(res, listJson(records));
  };
}

/** The routes, with their full paths: mount with `app.use(hpaRouter(reader))`. */
export function hpaRouter(reader: DecisionReader): Router {
  const router = Router({ caseSensitive: true, strict: false });
  router.route('/hpa').get(list(reader)).all(rejectAnyMethod);
  router
    .route('/hpa/:namespace')
    .get((req, res, next) => list(reader, req.params.namespace)(req, res, next))
    .all(rejectAnyMethod);
  router
    .route('/hpa/:namespace/:name')
    .get((req, res) => {
      const format = formatOf(req);
      const record = reader.getDecision(req.params.namespace, req.params.name);
      if (record === undefined) return sendStatus(res, notFound(HPAS, req.params.name));
      if (format === 'text') writeText(res, recordText(record));
      else writeJson(res, JSON.stringify(record));
    })
    .all(rejectAnyMethod);
  return router;
}
