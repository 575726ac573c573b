/**
 * external.metrics.k8s.io/v1beta1: `namespaces/{ns}/{metric}?labelSelector=…` lists every series
 * of the metric whose labels match (custom-metrics-apiserver pkg/apiserver/installer/emhandlers.go
 * registers exactly that path; registry/external_metrics reststorage.go passes the label selector
 * as the metric selector). Any other shape, including a metric name with a slash, is a 404.
 * @module
 */
import { Router, type RequestHandler } from 'express';
import { internalError, metricNotFound, StatusError } from '../../src/k8s/index.js';
import type { Selector } from '../../src/k8s/index.js';
import type { ExternalMetricSample, ExternalMetricsReader } from '../../src/store/index.js';
import { methodNotAllowed } from '../errors.js';
import {
  boolParam,
  labelSelectorParam,
  negotiate,
  queryOf,
  writeJson,
  type RequestLimits,
} from '../request.js';
import { milliQuantity, pathSegments } from '../custom/index.js';
import { formatTime } from '../resource/index.js';

export interface ExternalRoutesOptions {
  reader: ExternalMetricsReader;
  limits: RequestLimits;
}

/**
 * prometheus-adapter answers an unknown external metric with NewMetricNotFoundError for the
 * namespace's group resource (external-provider/provider.go selectGroupResource); we always name
 * `namespaces`, where upstream leaves the resource empty outside `default`.
 */
const NAMESPACES = { group: '', resource: 'namespaces' };

/** ExternalMetricValue in Go field order; `metricLabels` is always an object, `window` is never set by our store. */
function valueJson(s: ExternalMetricSample): string {
  return `{"metricName":${JSON.stringify(s.metric)},"metricLabels":${JSON.stringify(s.labels)},"timestamp":"${formatTime(s.timestampMs)}","value":"${milliQuantity(s.value)}"}`;
}

export function externalMetricValueListJson(samples: readonly ExternalMetricSample[]): string {
  const items = samples
    .filter((s) => Number.isNaN(s.value) || Number.isFinite(s.value))
    .map(valueJson);
  return `{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[${items.join(',')}]}`;
}

async function readSeries(
  reader: ExternalMetricsReader,
  namespace: string,
  metric: string,
  selector: Selector,
): Promise<ExternalMetricSample[]> {
  if (!reader.listExternalMetrics().some((i) => i.metric === metric))
    throw metricNotFound(NAMESPACES, metric);
  try {
    return await reader.getExternalMetric(namespace, metric, selector);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw internalError(new Error('unable to fetch metrics', { cause: err }));
  }
}

function handler(o: ExternalRoutesOptions): RequestHandler {
  return async (req, res, next) => {
    const segments = pathSegments(req.path);
    if (
      segments?.length !== 3 ||
      segments[0] !== 'namespaces' ||
      segments[1] === '' ||
      segments[2] === ''
    )
      return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return next(methodNotAllowed());
    }
    negotiate(req.headers.accept, false);
    const q = queryOf(req);
    const selector = labelSelectorParam(q, 'labelSelector', o.limits);
    const pretty = boolParam(q, 'pretty') ?? false;
    const samples = await readSeries(o.reader, segments[1]!, segments[2]!, selector);
    writeJson(res, externalMetricValueListJson(samples), { pretty });
  };
}

/** A router for everything below `/apis/external.metrics.k8s.io/v1beta1` except its discovery document. */
export function externalRouter(o: ExternalRoutesOptions): Router {
  const router = Router({ caseSensitive: true, strict: false });
  router.use(handler(o));
  return router;
}
