/**
 * Builders for HPA engine scenarios. Defaults follow upstream's tests (pods `test-pod-N` labelled
 * `name=test-pod` in `test-namespace`, two containers each, Ready, started an hour ago; the
 * controller flags of horizontal_test.go: tolerance 0.1, CPU initialization 2 min, readiness delay
 * 10 s) so table cases state only what they are about.
 */
import type {
  V1Container,
  V1LabelSelector,
  V1Pod,
  V2HorizontalPodAutoscaler,
  V2HorizontalPodAutoscalerBehavior,
  V2MetricSpec,
} from '@kubernetes/client-node';
import type {
  EngineOptions,
  ExternalMetricValue,
  HpaHistory,
  MetricValue,
  PodMetrics,
  Scenario,
} from '../../src/hpa/types.js';

export const NOW = '2026-01-01T12:00:00Z';
export const NOW_MS = Date.parse(NOW);
export const NAMESPACE = 'test-namespace';
export const SELECTOR = 'name=test-pod';

/** The flags upstream's controller tests use. */
export const testOptions: EngineOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodSeconds: 120,
  initialReadinessDelaySeconds: 10,
  downscaleStabilizationWindowSeconds: 300,
};

/** RFC 3339 for NOW plus `offsetSeconds` (negative: in the past). */
export function at(offsetSeconds: number): string {
  return new Date(NOW_MS + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

export interface PodOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  phase?: string;
  /** Ready condition status; 'none' leaves the condition out. */
  ready?: 'True' | 'False' | 'Unknown' | 'none';
  /** Seconds before NOW the pod started; null: no start time. */
  startedSecondsAgo?: number | null;
  /** Seconds before NOW the Ready condition last changed; defaults to the start; null: no time. */
  readySinceSecondsAgo?: number | null;
  deleted?: boolean;
  /** CPU request of each of the two default containers. */
  cpuRequest?: string;
  containers?: V1Container[];
  initContainers?: V1Container[];
  /** Pod-level requests (KEP-2837). */
  podRequests?: Record<string, string>;
}

function ago(seconds: number): Date {
  return new Date(NOW_MS - seconds * 1000);
}

export function container(
  name: string,
  requests?: Record<string, string>,
  restartPolicy?: string,
): V1Container {
  const c: V1Container = { name };
  if (requests !== undefined) c.resources = { requests };
  if (restartPolicy !== undefined) c.restartPolicy = restartPolicy;
  return c;
}

export function pod(o: PodOptions): V1Pod {
  const started = o.startedSecondsAgo === undefined ? 3600 : o.startedSecondsAgo;
  const readySince = o.readySinceSecondsAgo === undefined ? started : o.readySinceSecondsAgo;
  const requests = o.cpuRequest === undefined ? undefined : { cpu: o.cpuRequest };
  const ready = o.ready ?? 'True';
  return {
    metadata: {
      name: o.name,
      namespace: o.namespace ?? NAMESPACE,
      labels: o.labels ?? { name: 'test-pod' },
      ...(o.deleted === true && { deletionTimestamp: ago(5) }),
    },
    spec: {
      containers: o.containers ?? [
        container('container1', requests),
        container('container2', requests),
      ],
      ...(o.initContainers !== undefined && { initContainers: o.initContainers }),
      ...(o.podRequests !== undefined && { resources: { requests: o.podRequests } }),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(started !== null && { startTime: ago(started) }),
      conditions:
        ready === 'none'
          ? []
          : [
              {
                type: 'Ready',
                status: ready,
                ...(readySince !== null && { lastTransitionTime: ago(readySince) }),
              },
            ],
    },
  };
}

/** PodMetrics with the given usage per container name. */
export function podMetrics(
  name: string,
  containers: Record<string, Record<string, string>>,
  o: { sampledSecondsAgo?: number; window?: string; namespace?: string } = {},
): PodMetrics {
  return {
    metadata: { name, namespace: o.namespace ?? NAMESPACE },
    timestamp: at(-(o.sampledSecondsAgo ?? 0)),
    window: o.window ?? '1m0s',
    containers: Object.entries(containers).map(([c, usage]) => ({ name: c, usage })),
  };
}

/** Two containers using `cpuMilliEach` millicores each (upstream's numContainersPerPod = 2). */
export function cpuMetrics(
  name: string,
  cpuMilliEach: number,
  o: { sampledSecondsAgo?: number } = {},
): PodMetrics {
  const usage = { cpu: `${cpuMilliEach}m`, memory: '512Ki' };
  return podMetrics(name, { container1: usage, container2: usage }, o);
}

export function hpa(o: {
  metrics?: V2MetricSpec[];
  minReplicas?: number;
  maxReplicas?: number;
  behavior?: V2HorizontalPodAutoscalerBehavior;
  status?: V2HorizontalPodAutoscaler['status'];
}): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'test-hpa', namespace: NAMESPACE },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-deployment' },
      ...(o.minReplicas !== undefined && { minReplicas: o.minReplicas }),
      maxReplicas: o.maxReplicas ?? 100,
      ...(o.metrics !== undefined && { metrics: o.metrics }),
      ...(o.behavior !== undefined && { behavior: o.behavior }),
    },
    ...(o.status !== undefined && { status: o.status }),
  };
}

export function resourceUtilization(name: string, averageUtilization: number): V2MetricSpec {
  return {
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  };
}

export function resourceAverageValue(name: string, averageValue: string): V2MetricSpec {
  return { type: 'Resource', resource: { name, target: { type: 'AverageValue', averageValue } } };
}

export function containerUtilization(
  name: string,
  containerName: string,
  averageUtilization: number,
): V2MetricSpec {
  return {
    type: 'ContainerResource',
    containerResource: {
      name,
      container: containerName,
      target: { type: 'Utilization', averageUtilization },
    },
  };
}

export function podsMetric(
  name: string,
  averageValue: string,
  selector?: V1LabelSelector,
): V2MetricSpec {
  return {
    type: 'Pods',
    pods: {
      metric: { name, ...(selector && { selector }) },
      target: { type: 'AverageValue', averageValue },
    },
  };
}

export function objectMetric(
  name: string,
  target: { value?: string; averageValue?: string },
  kind = 'Deployment',
): V2MetricSpec {
  const type = target.value !== undefined ? 'Value' : 'AverageValue';
  return {
    type: 'Object',
    object: {
      describedObject: { apiVersion: 'apps/v1', kind, name: 'some-deployment' },
      metric: { name },
      target: { type, ...target },
    },
  };
}

export function externalMetric(
  name: string,
  target: { value?: string; averageValue?: string },
  selector?: V1LabelSelector,
): V2MetricSpec {
  const type = target.value !== undefined ? 'Value' : 'AverageValue';
  return {
    type: 'External',
    external: { metric: { name, ...(selector && { selector }) }, target: { type, ...target } },
  };
}

export function podCustomMetric(podName: string, metric: string, value: string): MetricValue {
  return {
    describedObject: { kind: 'Pod', name: podName, namespace: NAMESPACE, apiVersion: 'v1' },
    metric: { name: metric },
    timestamp: NOW,
    value,
  };
}

export function objectMetricValue(
  metric: string,
  value: string,
  kind = 'Deployment',
  name = 'some-deployment',
): MetricValue {
  return {
    describedObject: { kind, name, namespace: NAMESPACE, apiVersion: 'apps/v1' },
    metric: { name: metric },
    timestamp: NOW,
    value,
  };
}

export function externalMetricValue(
  metric: string,
  value: string,
  labels: Record<string, string> = {},
): ExternalMetricValue {
  return { metricName: metric, metricLabels: labels, timestamp: NOW, value };
}

export interface ScenarioOptions extends Partial<Omit<Scenario, 'history'>> {
  specReplicas?: number;
  statusReplicas?: number;
  selector?: string;
  /** Absent history (the HPA's first sync) instead of the default empty memory. */
  firstSync?: boolean;
  history?: Partial<HpaHistory>;
}

/** A scenario with upstream-test defaults; the scale's replicas default to the number of pods. */
export function scenario(o: ScenarioOptions = {}): Scenario {
  const pods = o.pods ?? [];
  const specReplicas = o.specReplicas ?? pods.length;
  const s: Scenario = {
    now: o.now ?? NOW,
    hpa: o.hpa ?? hpa({}),
    scale: o.scale ?? {
      specReplicas,
      statusReplicas: o.statusReplicas ?? specReplicas,
      selector: o.selector ?? SELECTOR,
    },
    pods,
    podMetrics: o.podMetrics ?? [],
    customMetrics: o.customMetrics ?? [],
    externalMetrics: o.externalMetrics ?? [],
    options: o.options ?? testOptions,
  };
  if (o.firstSync !== true) s.history = o.history ?? {};
  return s;
}
