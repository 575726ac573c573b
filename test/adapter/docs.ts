/**
 * The JSON documents the adapter writes, as TypeScript types (k8s.io/metrics, meta/v1), so tests
 * read responses with types instead of `any`. shapes.ts checks a document really has this shape.
 */

export interface StatusDoc {
  kind: 'Status';
  apiVersion: 'v1';
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { message: string }[];
    retryAfterSeconds?: number;
  };
}

export interface ObjectMetaDoc {
  name: string;
  namespace?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
}

export interface UsageDoc {
  cpu: string;
  memory: string;
}

export interface NodeMetricsDoc {
  kind?: 'NodeMetrics';
  apiVersion?: string;
  metadata: ObjectMetaDoc;
  timestamp: string;
  window: string;
  usage: UsageDoc;
}

export interface PodMetricsDoc {
  kind?: 'PodMetrics';
  apiVersion?: string;
  metadata: ObjectMetaDoc;
  timestamp: string;
  window: string;
  containers: { name: string; usage: UsageDoc }[];
}

export interface ListDoc<T> {
  kind: string;
  apiVersion: string;
  metadata: Record<string, string>;
  items: T[];
}

export interface TableDoc {
  kind: 'Table';
  apiVersion: string;
  columnDefinitions: {
    name: string;
    type: string;
    format: string;
    description: string;
    priority: number;
  }[];
  rows: {
    cells: string[];
    object: { kind?: string; apiVersion?: string; metadata?: ObjectMetaDoc } | null;
  }[];
}

export interface LabelSelectorDoc {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** v1beta1 and v1beta2 MetricValue in one type: each version sets its own half. */
export interface MetricValueDoc {
  describedObject: { kind: string; namespace?: string; name: string; apiVersion: string };
  metricName?: string;
  selector?: LabelSelectorDoc | null;
  window?: number;
  metric?: { name: string; selector: LabelSelectorDoc | null };
  windowSeconds?: number;
  timestamp: string;
  value: string;
}

export interface ExternalMetricValueDoc {
  metricName: string;
  metricLabels: Record<string, string>;
  timestamp: string;
  value: string;
}

export interface GroupVersionDoc {
  groupVersion: string;
  version: string;
}

export interface APIGroupDoc {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionDoc[];
  preferredVersion: GroupVersionDoc;
}

export interface APIGroupListDoc {
  kind: 'APIGroupList';
  groups: APIGroupDoc[];
}

export interface APIResourceListDoc {
  kind: 'APIResourceList';
  groupVersion: string;
  resources: {
    name: string;
    singularName: string;
    namespaced: boolean;
    kind: string;
    verbs: string[];
  }[];
}

export interface OpenApiDoc {
  swagger?: string;
  openapi?: string;
  paths: Record<string, { get: { operationId: string } }>;
  definitions?: Record<string, Record<string, unknown>>;
  components?: { schemas: Record<string, unknown> };
}

export interface OpenApiV3DiscoveryDoc {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface VersionDoc {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  buildDate: string;
  compiler: string;
  platform: string;
}
