/**
 * The scenario of the Kubernetes documentation's "HorizontalPodAutoscaler Walkthrough": the
 * php-apache Deployment (cpu request 200m, limit 500m) and its HPA (cpu 50%, 1 to 10 replicas),
 * on three simulated nodes, with the load generator of {@link walkthroughLoad}.
 * @module
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { walkthroughLoad, type LoadSchedule } from './load.js';
import type { SimWorldOptions } from './world.js';

export const walkthroughNamespace = 'default';
export const walkthroughName = 'php-apache';

export interface WalkthroughOptions {
  startMs: number;
  load?: LoadSchedule;
  /** Default 3. */
  nodes?: number;
  /** Default 10 s: the pods' readiness probe delay. */
  readinessDelayMs?: number;
}

/** The world: nodes and the php-apache Deployment with one replica. */
export function walkthroughWorld(o: WalkthroughOptions): SimWorldOptions {
  return {
    startMs: o.startMs,
    nodeNames: Array.from({ length: o.nodes ?? 3 }, (_, i) => `embedded-node-${i}`),
    deployments: [
      {
        namespace: walkthroughNamespace,
        name: walkthroughName,
        labels: { run: walkthroughName },
        replicas: 1,
        containerName: walkthroughName,
        cpuRequestCores: 0.2,
        cpuLimitCores: 0.5,
        readinessDelayMs: o.readinessDelayMs ?? 10_000,
        load: o.load ?? walkthroughLoad,
      },
    ],
  };
}

/** `kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10`, as autoscaling/v2. */
export function walkthroughHpa(createdMs: number): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      namespace: walkthroughNamespace,
      name: walkthroughName,
      uid: 'sim-hpa-php-apache',
      creationTimestamp: new Date(createdMs),
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: walkthroughName },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
    },
  };
}
