/**
 * OpenAPI v2 and v3 documents of the three metrics groups, for the kube-aggregator and kubectl explain.
 * @module
 */
export { openApiRouter, type OpenApiRoutesOptions } from './router.js';
export { buildOpenApiV2, buildOpenApiV3, type OpenApiV3, type Served } from './documents.js';
