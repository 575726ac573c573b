/**
 * The custom.metrics.k8s.io routes of one version. Paths are parsed here rather than by express
 * patterns, because the resource segment is dynamic and upstream's three shapes overlap.
 * @module
 */
import { Router, type RequestHandler } from 'express';
import type { ClusterView } from '../../src/cluster/index.js';
import { badRequest, type FieldSelector } from '../../src/k8s/index.js';
import type { CustomMetricsReader } from '../../src/store/index.js';
import { methodNotAllowed } from '../errors.js';
import {
  boolParam,
  fieldSelectorParam,
  labelSelectorParam,
  negotiate,
  queryOf,
  writeJson,
  type RequestLimits,
} from '../request.js';
import { describedKind } from './kinds.js';
import { ALL_OBJECTS, parseCustomPath, pathSegments, type CustomMetricTarget } from './paths.js';
import { MetricInfoIndex, resolveCustomValues } from './resolve.js';
import { metricValueListJson, type CustomVersion } from './values.js';

export interface CustomRoutesOptions {
  reader: CustomMetricsReader;
  cluster: ClusterView;
  limits: RequestLimits;
}

/**
 * `fieldSelector=metadata.name=x` on a `*` path asks for the one object `x`: the list handler of
 * custom-metrics-apiserver carries the name that way (reststorage.go RequiresExactMatch).
 */
function nameFromFields(target: CustomMetricTarget, fields: FieldSelector): CustomMetricTarget {
  if (target.name !== ALL_OBJECTS) return target;
  const exact = fields.requirements.find((r) => r.field === 'metadata.name' && r.operator !== '!=');
  return exact ? { ...target, name: exact.value } : target;
}

function handler(o: CustomRoutesOptions, version: CustomVersion): RequestHandler {
  const index = new MetricInfoIndex();
  return async (req, res, next) => {
    const segments = pathSegments(req.path);
    // `namespaces/{ns}/{x}` matches upstream's root route with resource `namespaces`, but its
    // RequestInfo reads a namespace and a bare resource (fewer than three parts): handlers/get.go
    // answers 400 "invalid request path" rather than treating it as the namespace object.
    if (
      segments?.length === 3 &&
      segments[0] === 'namespaces' &&
      (req.method === 'GET' || req.method === 'HEAD')
    )
      return next(badRequest('invalid request path'));
    const parsed = segments === undefined ? undefined : parseCustomPath(segments);
    // Not one of our shapes (the discovery document included): later routes or the 404 handler answer.
    if (!parsed) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return next(methodNotAllowed());
    }
    negotiate(req.headers.accept, false);
    const q = queryOf(req);
    const selector = labelSelectorParam(q, 'labelSelector', o.limits);
    const metricSelector = labelSelectorParam(q, 'metricLabelSelector', o.limits);
    const target = nameFromFields(
      parsed,
      fieldSelectorParam(q, ['metadata.name', 'metadata.namespace'], o.limits),
    );
    const pretty = boolParam(q, 'pretty') ?? false;
    const samples = await resolveCustomValues(
      { reader: o.reader, cluster: o.cluster, index },
      target,
      selector,
      metricSelector,
    );
    const listTarget = {
      described: describedKind(target.groupResource),
      namespace: target.namespace,
      metric: target.metric,
    };
    writeJson(res, metricValueListJson(version, listTarget, samples, metricSelector), { pretty });
  };
}

/** A router for everything below `/apis/custom.metrics.k8s.io/{version}` except its discovery document. */
export function customRouter(o: CustomRoutesOptions, version: CustomVersion): Router {
  const router = Router({ caseSensitive: true, strict: false });
  router.use(handler(o, version));
  return router;
}
