/**
 * The simulated cluster's state as the Kubernetes objects the rest of scaleplane reads: Nodes
 * whose only address is loopback, Pods with the Ready condition and start time the HPA engine's
 * groupPods reads, and the Deployment's /scale.
 * @module
 */
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { TargetScale } from '../cluster/index.js';
import type { SimDeploymentSpec, SimPodState } from './world.js';
import { formatTime } from '../k8s/index.js';

function millicores(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** A Ready node; loopback is its only address, so nothing can resolve elsewhere. */
export function nodeObject(name: string, createdMs: number): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `sim-node-${name}`,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
      creationTimestamp: formatTime(createdMs) as unknown as Date,
    },
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'simulated kubelet is posting ready status',
        },
      ],
    },
  };
}

/** A Running pod; Ready once its readiness delay has passed, with the transition time the engine reads. */
export function podObject(p: SimPodState, nowMs: number): V1Pod {
  const ready = p.readyAtMs <= nowMs;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: p.namespace,
      name: p.name,
      uid: p.uid,
      labels: { ...p.labels },
      creationTimestamp: formatTime(p.createdMs) as unknown as Date,
    },
    spec: {
      nodeName: p.nodeName,
      containers: [
        {
          name: p.containerName,
          image: 'registry.k8s.io/hpa-example',
          resources: { requests: { cpu: millicores(p.cpuRequestCores) }, limits: { cpu: '500m' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      startTime: formatTime(p.createdMs) as unknown as Date,
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: formatTime(ready ? p.readyAtMs : p.createdMs) as unknown as Date,
        },
      ],
    },
  };
}

/** The Deployment's autoscaling/v1 Scale: spec from the Deployment, status from its pods. */
export function scaleOf(d: SimDeploymentSpec, pods: readonly SimPodState[]): TargetScale {
  const selector = Object.entries(d.labels)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
  return { specReplicas: d.replicas, statusReplicas: pods.length, selector };
}

/** The apps/v1 Deployment as the API serves it: spec from the simulation, status from its pods. */
export function deploymentObject(
  d: SimDeploymentSpec,
  pods: readonly SimPodState[],
  createdMs: number,
  nowMs: number,
): V1Deployment {
  const ready = pods.filter((p) => p.readyAtMs <= nowMs).length;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      namespace: d.namespace,
      name: d.name,
      uid: `sim-deployment-${d.namespace}-${d.name}`,
      labels: { ...d.labels },
      creationTimestamp: formatTime(createdMs) as unknown as Date,
    },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { ...d.labels } },
      template: {
        metadata: { labels: { ...d.labels } },
        spec: {
          containers: [
            {
              name: d.containerName,
              image: 'registry.k8s.io/hpa-example',
              resources: {
                requests: { cpu: millicores(d.cpuRequestCores) },
                limits: { cpu: millicores(d.cpuLimitCores) },
              },
            },
          ],
        },
      },
    },
    status: {
      replicas: pods.length,
      updatedReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
    },
  };
}
