/**
 * The OpenAPI documents, built once: `/openapi/v2` (Swagger 2.0, every group version, what the
 * kube-aggregator downloads and merges) and `/openapi/v3` (a discovery document naming one
 * OpenAPI 3.0 document per group version, each behind a `?hash=` URL, as kube-openapi
 * pkg/handler3 serves them). The spec is static: custom metric paths are generic
 * (`{resource}/{name}/{subresource}`), so adding a metric does not change it.
 * @module
 */
import { createHash } from 'node:crypto';
import { GROUP_VERSION_OPS, type Operation, type Parameter } from './operations.js';
import { allSchemas, reachable, type Schema } from './schemas.js';

/** A serialized document with its ETag (kube-openapi computeETag: upper-case hex SHA-512). */
export interface Served {
  body: string;
  etag: string;
}

function served(doc: unknown): Served {
  const body = JSON.stringify(doc);
  return { body, etag: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

const V2_PREFIX = '#/definitions/';
const V3_PREFIX = '#/components/schemas/';
const BEARER = {
  BearerToken: {
    type: 'apiKey',
    name: 'authorization',
    in: 'header',
    description: 'Bearer Token authentication',
  },
};

function extensions(op: Operation): Schema {
  const out: Schema = { 'x-kubernetes-action': op.action };
  if (op.gvk) out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

function v2Parameter(p: Parameter): Schema {
  return {
    name: p.name,
    in: p.in,
    description: p.description,
    type: p.type,
    uniqueItems: true,
    ...(p.in === 'path' ? { required: true } : {}),
  };
}

function v2Operation(op: Operation): Schema {
  return {
    description: op.description,
    consumes: ['*/*'],
    produces: ['application/json'],
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
    parameters: op.parameters.map(v2Parameter),
    responses: {
      200: { description: 'OK', schema: { $ref: `${V2_PREFIX}${op.response}` } },
      401: { description: 'Unauthorized' },
    },
    ...extensions(op),
  };
}

function v3Parameter(p: Parameter): Schema {
  return {
    name: p.name,
    in: p.in,
    description: p.description,
    schema: { type: p.type, uniqueItems: true },
    ...(p.in === 'path' ? { required: true } : {}),
  };
}

function v3Operation(op: Operation): Schema {
  return {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
    parameters: op.parameters.map(v3Parameter),
    responses: {
      200: {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `${V3_PREFIX}${op.response}` } } },
      },
      401: { description: 'Unauthorized' },
    },
    ...extensions(op),
  };
}

/** The Swagger 2.0 document of every group version. */
export function buildOpenApiV2(title: string, version: string): Served {
  const paths: Record<string, Schema> = {};
  for (const gv of GROUP_VERSION_OPS)
    for (const op of gv.operations) paths[op.path] = { get: v2Operation(op) };
  const definitions = allSchemas((name) => ({ $ref: `${V2_PREFIX}${name}` }));
  return served({
    swagger: '2.0',
    info: { title, version },
    paths,
    definitions,
    securityDefinitions: BEARER,
    security: [{ BearerToken: [] }],
  });
}

export interface OpenApiV3 {
  /** `/openapi/v3`: `{paths: {"apis/<group>/<version>": {serverRelativeURL}}}`. */
  discovery: Served;
  /** Keyed by `apis/<group>/<version>`. */
  groupVersions: ReadonlyMap<string, Served>;
}

function v3Document(title: string, version: string, ops: readonly Operation[]): Served {
  const all = allSchemas((name) => ({ $ref: `${V3_PREFIX}${name}` }));
  const names = reachable(
    all,
    ops.map((o) => o.response),
    V3_PREFIX,
  );
  const schemas = Object.fromEntries([...names].sort().map((n) => [n, all[n]]));
  const paths = Object.fromEntries(ops.map((op) => [op.path, { get: v3Operation(op) }]));
  return served({
    openapi: '3.0.0',
    info: { title, version },
    paths,
    components: { schemas, securitySchemes: BEARER },
    security: [{ BearerToken: [] }],
  });
}

/** One OpenAPI 3.0 document per group version, and the discovery document pointing at them. */
export function buildOpenApiV3(title: string, version: string): OpenApiV3 {
  const groupVersions = new Map<string, Served>();
  const discovery: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of GROUP_VERSION_OPS) {
    const key = `apis/${gv.group}/${gv.version}`;
    const doc = v3Document(title, version, gv.operations);
    groupVersions.set(key, doc);
    discovery[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.etag}` };
  }
  return { discovery: served({ paths: discovery }), groupVersions };
}
