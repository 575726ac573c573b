/**
 * What each simulated kubelet reports: per node, its pods' containers with cumulative CPU and
 * working set at the world's current instant, in the shape scraper/sim's world kubelets render.
 * @module
 */
import type { SimWorld } from './world.js';

export interface KubeletContainerState {
  name: string;
  startTimeMs: number;
  cpuCores: number;
  cpuCoreSeconds: number;
  memoryBytes: number;
}

export interface KubeletPodState {
  namespace: string;
  name: string;
  uid: string;
  startTimeMs: number;
  containers: KubeletContainerState[];
}

export interface KubeletNodeState {
  name: string;
  startTimeMs: number;
  pods: KubeletPodState[];
}

/** The kubelets' view of the world, advanced to `atMs` first. */
export function kubeletNodes(world: SimWorld, atMs: number): KubeletNodeState[] {
  world.advanceTo(atMs);
  return world.nodeNames.map((name) => ({
    name,
    startTimeMs: world.startMs,
    pods: world
      .pods()
      .filter((p) => p.nodeName === name)
      .map((p) => ({
        namespace: p.namespace,
        name: p.name,
        uid: p.uid,
        startTimeMs: p.createdMs,
        containers: [
          {
            name: p.containerName,
            startTimeMs: p.createdMs,
            cpuCores: p.cpuCores,
            cpuCoreSeconds: p.cpuCoreSeconds,
            memoryBytes: p.memoryBytes,
          },
        ],
      })),
  }));
}
