/**
 * The OpenAPI building blocks shared by every group: the JSON Schema helpers and the
 * apimachinery meta/v1 and core/v1 definitions our documents reference (ObjectMeta, ListMeta,
 * Time, Quantity, LabelSelector, Status, APIResourceList, ObjectReference), trimmed to the fields
 * our objects carry. The kube-aggregator tolerates a definition that differs from the cluster's
 * one of the same name: it renames ours instead of failing the merge.
 * @module
 */

/** A JSON Schema object as both OpenAPI versions accept it. */
export type Schema = Record<string, unknown>;
/** Builds a reference: `#/definitions/<name>` (v2) or `#/components/schemas/<name>` (v3). */
export type Ref = (name: string) => Schema;

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const OBJECT_REFERENCE = 'io.k8s.api.core.v1.ObjectReference';
export const str = (description?: string): Schema =>
  description ? { type: 'string', description } : { type: 'string' };
export const int64: Schema = { type: 'integer', format: 'int64' };
export const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
export const typeMeta = {
  apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
  kind: str('Kind is a string value representing the REST resource this object represents.'),
};

export function gvk(group: string, version: string, kind: string): Schema {
  return { 'x-kubernetes-group-version-kind': [{ group, kind, version }] };
}

export function object(
  description: string,
  properties: Record<string, Schema>,
  required?: string[],
): Schema {
  return { description, type: 'object', ...(required ? { required } : {}), properties };
}

export function list(
  ref: Ref,
  description: string,
  item: string,
  group: string,
  version: string,
  kind: string,
): Schema {
  const props = {
    ...typeMeta,
    metadata: ref(`${META}ListMeta`),
    items: { type: 'array', items: ref(item) },
  };
  return { ...object(description, props, ['items']), ...gvk(group, version, kind) };
}

export function metaSchemas(ref: Ref): Record<string, Schema> {
  return {
    [`${META}Time`]: {
      description: 'RFC 3339 time at second precision.',
      type: 'string',
      format: 'date-time',
    },
    [QUANTITY]: {
      description: 'A fixed-point number with a suffix, such as 250m or 128Mi.',
      type: 'string',
    },
    [`${META}ObjectMeta`]: object('Standard object metadata.', {
      name: str(),
      namespace: str(),
      creationTimestamp: ref(`${META}Time`),
      labels: stringMap,
    }),
    [`${META}ListMeta`]: object('Standard list metadata.', {
      resourceVersion: str(),
      continue: str(),
      remainingItemCount: int64,
    }),
    [`${META}LabelSelectorRequirement`]: object(
      'A selector requirement.',
      { key: str(), operator: str(), values: { type: 'array', items: { type: 'string' } } },
      ['key', 'operator'],
    ),
    [`${META}LabelSelector`]: object('A label query over a set of resources.', {
      matchLabels: stringMap,
      matchExpressions: { type: 'array', items: ref(`${META}LabelSelectorRequirement`) },
    }),
    [`${META}StatusCause`]: object('One cause of a failure.', {
      reason: str(),
      message: str(),
      field: str(),
    }),
    [`${META}StatusDetails`]: object('Details of a failure.', {
      name: str(),
      group: str(),
      kind: str(),
      causes: { type: 'array', items: ref(`${META}StatusCause`) },
      retryAfterSeconds: { type: 'integer', format: 'int32' },
    }),
    [`${META}Status`]: {
      ...object('The result of a failed call.', {
        ...typeMeta,
        metadata: ref(`${META}ListMeta`),
        status: str(),
        message: str(),
        reason: str(),
        details: ref(`${META}StatusDetails`),
        code: { type: 'integer', format: 'int32' },
      }),
      ...gvk('', 'v1', 'Status'),
    },
    [`${META}APIResource`]: object(
      'A resource the group version serves.',
      {
        name: str(),
        singularName: str(),
        namespaced: { type: 'boolean' },
        kind: str(),
        verbs: { type: 'array', items: { type: 'string' } },
      },
      ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
    ),
    [`${META}APIResourceList`]: {
      ...object(
        'The resources of a group version.',
        {
          ...typeMeta,
          groupVersion: str(),
          resources: { type: 'array', items: ref(`${META}APIResource`) },
        },
        ['groupVersion', 'resources'],
      ),
      ...gvk('', 'v1', 'APIResourceList'),
    },
    [OBJECT_REFERENCE]: object('A reference to an object.', {
      kind: str(),
      namespace: str(),
      name: str(),
      uid: str(),
      apiVersion: str(),
      resourceVersion: str(),
      fieldPath: str(),
    }),
  };
}

/** The names `roots` refer to, transitively (for a group version's own v3 document). */
export function reachable(
  schemas: Record<string, Schema>,
  roots: readonly string[],
  prefix: string,
): Set<string> {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix))
          add(v.slice(prefix.length));
        else visit(v);
      }
    }
  };
  const add = (name: string): void => {
    if (seen.has(name) || !(name in schemas)) return;
    seen.add(name);
    visit(schemas[name]);
  };
  roots.forEach(add);
  return seen;
}
