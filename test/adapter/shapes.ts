/**
 * Typed validators for the JSON the adapter writes, one per k8s.io/metrics type (and meta/v1
 * Status, Table). Each returns the list of problems with a field path, empty when the document
 * has exactly the fields and types the Go structs marshal: required fields present, optional
 * ones of the right type, and nothing else.
 */

type Issues = string[];
type Check = (v: unknown, path: string, out: Issues) => void;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, p, out) => {
  if (typeof v !== 'string') out.push(`${p}: want string, got ${JSON.stringify(v)}`);
};
const int: Check = (v, p, out) => {
  if (!Number.isInteger(v)) out.push(`${p}: want integer, got ${JSON.stringify(v)}`);
};
const bool: Check = (v, p, out) => {
  if (typeof v !== 'boolean') out.push(`${p}: want boolean, got ${JSON.stringify(v)}`);
};
const literal =
  (want: string): Check =>
  (v, p, out) => {
    if (v !== want) out.push(`${p}: want ${JSON.stringify(want)}, got ${JSON.stringify(v)}`);
  };
const pattern =
  (re: RegExp, what: string): Check =>
  (v, p, out) => {
    if (typeof v !== 'string' || !re.test(v))
      out.push(`${p}: want ${what}, got ${JSON.stringify(v)}`);
  };
const nullable =
  (inner: Check): Check =>
  (v, p, out) => {
    if (v !== null) inner(v, p, out);
  };
const arrayOf =
  (inner: Check): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return void out.push(`${p}: want array, got ${JSON.stringify(v)}`);
    v.forEach((item, i) => inner(item, `${p}[${i}]`, out));
  };
const mapOf =
  (inner: Check): Check =>
  (v, p, out) => {
    if (!isObject(v)) return void out.push(`${p}: want object, got ${JSON.stringify(v)}`);
    for (const [k, item] of Object.entries(v)) inner(item, `${p}.${k}`, out);
  };

/** An object with `required` and `optional` fields and no others. */
const struct =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, p, out) => {
    if (!isObject(v)) return void out.push(`${p}: want object, got ${JSON.stringify(v)}`);
    for (const [k, check] of Object.entries(required)) {
      if (!(k in v)) out.push(`${p}.${k}: missing`);
      else check(v[k], `${p}.${k}`, out);
    }
    for (const [k, item] of Object.entries(v)) {
      if (k in required) continue;
      const check = optional[k];
      if (!check) out.push(`${p}.${k}: unexpected field`);
      else check(item, `${p}.${k}`, out);
    }
  };

/** Canonical quantity text: an integer and an optional SI suffix (no fractions in canonical form). */
export const QUANTITY_RE = /^-?\d+(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const quantity = pattern(QUANTITY_RE, 'canonical quantity');
const time = pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'RFC 3339 time at seconds');
const duration = pattern(/^(\d+h)?(\d+m)?(\d+(\.\d+)?(s|ms|µs|ns))$|^0s$/, 'Go duration');
const labels = mapOf(str);
const usage = struct({ cpu: quantity, memory: quantity });
const objectMeta = (namespaced: boolean): Check =>
  struct(
    { name: str, creationTimestamp: time, ...(namespaced ? { namespace: str } : {}) },
    { labels },
  );
const listMeta = struct({}, { resourceVersion: str, continue: str });

const nodeMetricsFields = { metadata: objectMeta(false), timestamp: time, window: duration, usage };
const podMetricsFields = {
  metadata: objectMeta(true),
  timestamp: time,
  window: duration,
  containers: arrayOf(struct({ name: str, usage })),
};
const typeMeta = (kind: string, apiVersion: string) => ({
  kind: literal(kind),
  apiVersion: literal(apiVersion),
});

const labelSelector = struct(
  {},
  {
    matchLabels: labels,
    matchExpressions: arrayOf(struct({ key: str, operator: str }, { values: arrayOf(str) })),
  },
);
const objectReference = struct({ kind: str, name: str, apiVersion: str }, { namespace: str });

const SHAPES = {
  NodeMetrics: struct({
    ...typeMeta('NodeMetrics', 'metrics.k8s.io/v1beta1'),
    ...nodeMetricsFields,
  }),
  PodMetrics: struct({ ...typeMeta('PodMetrics', 'metrics.k8s.io/v1beta1'), ...podMetricsFields }),
  NodeMetricsList: struct({
    ...typeMeta('NodeMetricsList', 'metrics.k8s.io/v1beta1'),
    metadata: listMeta,
    items: arrayOf(struct(nodeMetricsFields)),
  }),
  PodMetricsList: struct({
    ...typeMeta('PodMetricsList', 'metrics.k8s.io/v1beta1'),
    metadata: listMeta,
    items: arrayOf(struct(podMetricsFields)),
  }),
  MetricValueListV1beta1: struct({
    ...typeMeta('MetricValueList', 'custom.metrics.k8s.io/v1beta1'),
    metadata: listMeta,
    items: arrayOf(
      struct(
        {
          describedObject: objectReference,
          metricName: str,
          timestamp: time,
          value: quantity,
          selector: nullable(labelSelector),
        },
        { window: int },
      ),
    ),
  }),
  MetricValueListV1beta2: struct({
    ...typeMeta('MetricValueList', 'custom.metrics.k8s.io/v1beta2'),
    metadata: listMeta,
    items: arrayOf(
      struct(
        {
          describedObject: objectReference,
          metric: struct({ name: str, selector: nullable(labelSelector) }),
          timestamp: time,
          value: quantity,
        },
        { windowSeconds: int },
      ),
    ),
  }),
  ExternalMetricValueList: struct({
    ...typeMeta('ExternalMetricValueList', 'external.metrics.k8s.io/v1beta1'),
    metadata: listMeta,
    items: arrayOf(
      struct(
        { metricName: str, metricLabels: labels, timestamp: time, value: quantity },
        { window: int },
      ),
    ),
  }),
  Status: struct(
    {
      ...typeMeta('Status', 'v1'),
      metadata: struct({}),
      status: literal('Failure'),
      message: str,
      reason: str,
      code: int,
    },
    {
      details: struct(
        {},
        {
          name: str,
          group: str,
          kind: str,
          causes: arrayOf(struct({ message: str }, { type: str, field: str })),
          retryAfterSeconds: int,
        },
      ),
    },
  ),
  APIResourceList: struct({
    ...typeMeta('APIResourceList', 'v1'),
    groupVersion: str,
    resources: arrayOf(
      struct({ name: str, singularName: str, namespaced: bool, kind: str, verbs: arrayOf(str) }),
    ),
  }),
  Table: struct({
    kind: literal('Table'),
    apiVersion: pattern(/^meta\.k8s\.io\/v1(beta1)?$/, 'meta.k8s.io version'),
    metadata: listMeta,
    columnDefinitions: arrayOf(
      struct({ name: str, type: str, format: str, description: str, priority: int }),
    ),
    rows: arrayOf(struct({ cells: arrayOf(str), object: () => undefined })),
  }),
} satisfies Record<string, Check>;

export type ShapeName = keyof typeof SHAPES;

/** Problems of `doc` against the named type; empty when it conforms. */
export function shapeIssues(name: ShapeName, doc: unknown): string[] {
  const out: Issues = [];
  SHAPES[name](doc, name, out);
  return out;
}
