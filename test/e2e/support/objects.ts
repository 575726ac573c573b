/**
 * Manifests and status readers the end-to-end tests share: a Deployment whose kwok pods carry
 * emulated usage, an HPA on CPU utilization, an APIService, and condition lookups.
 * @module
 */
import { USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION } from '../harness/kwok-config.js';
import type { Kube } from '../harness/kube.js';

/** A status condition of an HPA, APIService, Node or Deployment. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Any object with status conditions. */
export interface WithConditions {
  status?: { conditions?: Condition[] };
}

/** The condition of `type`, if present. */
export function condition(obj: WithConditions, type: string): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type);
}

/** Inputs of {@link deployment}. */
export interface DeploymentOptions {
  name: string;
  namespace: string;
  replicas: number;
  /** Each container's emulated CPU usage (kwok annotation), e.g. `50m`. */
  cpuUsage: string;
  /** Each container's emulated memory working set (kwok annotation); kwok's default is 1Mi. */
  memoryUsage?: string;
  /** The container's CPU request, the HPA's utilization denominator. */
  cpuRequest: string;
}

/** A one-container Deployment for kwok nodes; the image is never pulled. */
export function deployment(options: DeploymentOptions): unknown {
  const labels = { app: options.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels,
          annotations: {
            [USAGE_CPU_ANNOTATION]: options.cpuUsage,
            ...(options.memoryUsage ? { [USAGE_MEMORY_ANNOTATION]: options.memoryUsage } : {}),
          },
        },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.invalid/app:1',
              resources: { requests: { cpu: options.cpuRequest, memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** Bounds and behavior of an HPA (autoscaling/v2 HorizontalPodAutoscalerSpec fields). */
export interface HpaShape {
  minReplicas?: number;
  maxReplicas?: number;
  behavior?: unknown;
}

function hpa(name: string, namespace: string, metrics: unknown[], shape: HpaShape): unknown {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: shape.minReplicas ?? 1,
      maxReplicas: shape.maxReplicas ?? 5,
      metrics,
      ...(shape.behavior ? { behavior: shape.behavior } : {}),
    },
  };
}

/** An autoscaling/v2 HPA on average CPU utilization of a Deployment of the same name. */
export function cpuHpa(
  name: string,
  namespace: string,
  averageUtilization: number,
  shape: HpaShape = {},
): unknown {
  const metric = {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
  };
  return hpa(name, namespace, [metric], shape);
}

/** An HPA on an External metric's value per replica (target AverageValue). */
export function externalHpa(
  name: string,
  namespace: string,
  metric: { name: string; matchLabels: Record<string, string>; averageValue: string },
  shape: HpaShape = {},
): unknown {
  const spec = {
    type: 'External',
    external: {
      metric: { name: metric.name, selector: { matchLabels: metric.matchLabels } },
      target: { type: 'AverageValue', averageValue: metric.averageValue },
    },
  };
  return hpa(name, namespace, [spec], shape);
}

/** Where an APIService's requests go. */
export interface ServiceRef {
  namespace: string;
  name: string;
  port: number;
}

/** An APIService verified with `caPem`, with the priorities metrics-server's chart uses. */
export function apiService(
  group: string,
  version: string,
  service: ServiceRef,
  caPem: string,
): unknown {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}` },
    spec: {
      group,
      version,
      service,
      caBundle: Buffer.from(caPem).toString('base64'),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
}

/** The Available condition of an APIService such as `v1beta1.metrics.k8s.io`. */
export async function apiServiceAvailability(
  kube: Kube,
  name: string,
): Promise<Condition | undefined> {
  return condition(await kube.getJson<WithConditions>(['apiservice', name]), 'Available');
}
