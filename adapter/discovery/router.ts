/**
 * Routes for the discovery documents: `/apis`, `/apis/{group}` and `/apis/{group}/{version}`
 * for the groups we serve. Other groups and versions fall through to the 404 handler.
 * @module
 */
import { Router, type RequestHandler } from 'express';
import type { CustomMetricsReader, ExternalMetricsReader } from '../../src/store/index.js';
import { rejectAnyMethod } from '../errors.js';
import { boolParam, negotiate, queryOf, writeJson } from '../request.js';
import {
  API_GROUPS,
  apiGroupJson,
  apiGroupListJson,
  apiResourceListJson,
  CUSTOM_GROUP,
  customResources,
  EXTERNAL_GROUP,
  externalResources,
  METRICS_GROUP,
  RESOURCE_METRICS_RESOURCES,
} from './documents.js';

export interface DiscoveryRoutesOptions {
  custom: CustomMetricsReader;
  external: ExternalMetricsReader;
}

/** A GET handler writing the document `build` returns, JSON only (the aggregator falls back to it). */
function serve(build: () => string): RequestHandler {
  return (req, res) => {
    negotiate(req.headers.accept, false);
    writeJson(res, build(), { pretty: boolParam(queryOf(req), 'pretty') ?? false });
  };
}

function resourceListBuilder(
  o: DiscoveryRoutesOptions,
  group: string,
  version: string,
): () => string {
  const groupVersion = `${group}/${version}`;
  if (group === METRICS_GROUP) {
    const fixed = apiResourceListJson(groupVersion, RESOURCE_METRICS_RESOURCES);
    return () => fixed;
  }
  if (group === CUSTOM_GROUP)
    return () => apiResourceListJson(groupVersion, customResources(o.custom.listCustomMetrics()));
  if (group === EXTERNAL_GROUP)
    return () =>
      apiResourceListJson(groupVersion, externalResources(o.external.listExternalMetrics()));
  throw new Error(`no discovery document for ${groupVersion}`);
}

/** The discovery router; mount it at the application root. */
export function discoveryRouter(o: DiscoveryRoutesOptions): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const groupList = apiGroupListJson();
  router
    .route('/apis')
    .get(serve(() => groupList))
    .all(rejectAnyMethod);
  for (const group of API_GROUPS) {
    const groupDoc = apiGroupJson(group);
    router
      .route(`/apis/${group.name}`)
      .get(serve(() => groupDoc))
      .all(rejectAnyMethod);
    for (const version of group.versions) {
      router
        .route(`/apis/${group.name}/${version}`)
        .get(serve(resourceListBuilder(o, group.name, version)))
        .all(rejectAnyMethod);
    }
  }
  return router;
}
