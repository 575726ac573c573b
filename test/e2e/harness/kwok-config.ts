/**
 * kwok's configuration for the end-to-end cluster: a Metric that emulates the kubelet's
 * /metrics/resource endpoint per node, and a ClusterResourceUsage that takes each pod's usage from
 * its annotations, so a test sets load with `kubectl annotate pod`. Written as kwok `--config`
 * documents (sigs.k8s.io/kwok pkg/apis/v1alpha1 metric_types.go, resource_usage_types.go).
 * @module
 */
import { stringify } from 'yaml';

/** Pod annotation holding a container's emulated CPU usage, a Quantity such as `250m`. */
export const USAGE_CPU_ANNOTATION = 'kwok.x-k8s.io/usage-cpu';
/** Pod annotation holding a container's emulated memory working set, a Quantity such as `64Mi`. */
export const USAGE_MEMORY_ANNOTATION = 'kwok.x-k8s.io/usage-memory';
/** The node annotation metrics-server (pkg/scraper/client/resource/client.go) reads the path from. */
export const RESOURCE_METRICS_PATH_ANNOTATION = 'metrics.k8s.io/resource-metrics-path';
/** The path template kwok serves the Metric below on; `{nodeName}` is the node's name. */
export const RESOURCE_METRICS_PATH = '/metrics/nodes/{nodeName}/metrics/resource';

/** Usage of a pod without annotations: what an idle container reports. */
const DEFAULT_CPU = '1m';
const DEFAULT_MEMORY = '1Mi';

interface MetricSpec {
  name: string;
  dimension: 'node' | 'pod' | 'container';
  kind: 'gauge' | 'counter';
  help: string;
  value: string;
}

const podLabels = [
  { name: 'namespace', value: 'pod.metadata.namespace' },
  { name: 'pod', value: 'pod.metadata.name' },
];
const containerLabels = [{ name: 'container', value: 'container.name' }, ...podLabels];

/**
 * The series of the kubelet's /metrics/resource (pkg/kubelet/metrics/collectors/
 * resource_metrics.go), each as a CEL expression over kwok's emulated usage.
 */
const resourceMetrics: MetricSpec[] = [
  {
    name: 'scrape_error',
    dimension: 'node',
    kind: 'gauge',
    help: '1 if there was an error while getting container metrics, 0 otherwise',
    value: '0',
  },
  {
    name: 'node_cpu_usage_seconds_total',
    dimension: 'node',
    kind: 'counter',
    help: 'Cumulative cpu time consumed by the node in core-seconds',
    value: 'node.CumulativeUsage("cpu")',
  },
  {
    name: 'node_memory_working_set_bytes',
    dimension: 'node',
    kind: 'gauge',
    help: 'Current working set of the node in bytes',
    value: 'node.Usage("memory")',
  },
  {
    name: 'pod_cpu_usage_seconds_total',
    dimension: 'pod',
    kind: 'counter',
    help: 'Cumulative cpu time consumed by the pod in core-seconds',
    value: 'pod.CumulativeUsage("cpu")',
  },
  {
    name: 'pod_memory_working_set_bytes',
    dimension: 'pod',
    kind: 'gauge',
    help: 'Current working set of the pod in bytes',
    value: 'pod.Usage("memory")',
  },
  {
    name: 'container_cpu_usage_seconds_total',
    dimension: 'container',
    kind: 'counter',
    help: 'Cumulative cpu time consumed by the container in core-seconds',
    value: 'pod.CumulativeUsage("cpu", container.name)',
  },
  {
    name: 'container_memory_working_set_bytes',
    dimension: 'container',
    kind: 'gauge',
    help: 'Current working set of the container in bytes',
    value: 'pod.Usage("memory", container.name)',
  },
  {
    name: 'container_start_time_seconds',
    dimension: 'container',
    kind: 'gauge',
    help: 'Start time of the container since unix epoch in seconds',
    value: 'pod.SinceSecond()',
  },
];

function metricDocument(): unknown {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Metric',
    metadata: { name: 'metrics-resource' },
    spec: {
      path: RESOURCE_METRICS_PATH,
      metrics: resourceMetrics.map((m) => ({
        name: m.name,
        dimension: m.dimension,
        kind: m.kind,
        help: m.help,
        value: m.value,
        ...(m.dimension === 'pod' ? { labels: podLabels } : {}),
        ...(m.dimension === 'container' ? { labels: containerLabels } : {}),
      })),
    },
  };
}

/** CEL: the annotation's Quantity when present, else the idle default. */
function fromAnnotation(annotation: string, fallback: string): string {
  return `"${annotation}" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["${annotation}"]) : Quantity("${fallback}")`;
}

function usageDocument(): unknown {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterResourceUsage',
    metadata: { name: 'usage-from-annotation' },
    spec: {
      usages: [
        {
          usage: {
            cpu: { expression: fromAnnotation(USAGE_CPU_ANNOTATION, DEFAULT_CPU) },
            memory: { expression: fromAnnotation(USAGE_MEMORY_ANNOTATION, DEFAULT_MEMORY) },
          },
        },
      ],
    },
  };
}

/** The multi-document YAML passed to `kwok --config`. */
export function kwokConfigYaml(): string {
  return [metricDocument(), usageDocument()].map((doc) => stringify(doc)).join('---\n');
}
