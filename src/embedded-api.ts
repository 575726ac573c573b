/**
 * Wiring of `serve --embedded` beside the composition root: the simulated cluster as the objects
 * the read-only Kubernetes API serves (with each HPA's status as the embedded engine, acting as
 * the controller, last wrote it), and the kubeconfig that points kubectl and `scaleplane hpa
 * explain` at it. The kubeconfig lives in the embedded mode's temporary directory, removed on exit.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import type {
  V2HorizontalPodAutoscaler,
  V2HorizontalPodAutoscalerStatus,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { KubeObjectsReader } from '../adapter/index.js';
import type { DecisionReader, HpaDecisionRecord } from './runtime/index.js';
import type { SimCluster } from './sim/index.js';

/** The context (and cluster and user) name of the printed kubeconfig. */
export const embeddedContext = 'scaleplane-embedded';

/** autoscaling/v2 status from the last sync's record, as the controller writes it (horizontal.go setStatus). */
export function hpaStatusOf(record: HpaDecisionRecord): V2HorizontalPodAutoscalerStatus {
  const d = record.decision;
  return {
    currentReplicas: d.currentReplicas,
    desiredReplicas: d.desiredReplicas,
    currentMetrics: d.currentMetrics,
    conditions: d.conditions.map((c) => ({
      ...c,
      lastTransitionTime: c.lastTransitionTime as unknown as Date,
    })),
  };
}

/** The simulated world as the embedded API serves it; HPAs carry the runtime's latest status. */
export function embeddedObjects(
  sim: SimCluster,
  decisions: DecisionReader | undefined,
): KubeObjectsReader {
  const withStatus = (hpa: V2HorizontalPodAutoscaler): V2HorizontalPodAutoscaler => {
    const record = decisions?.getDecision(
      hpa.metadata?.namespace ?? 'default',
      hpa.metadata?.name ?? '',
    );
    return record ? { ...hpa, status: hpaStatusOf(record) } : hpa;
  };
  return {
    listNodes: () => sim.listNodes(),
    listPods: (namespace, selector) => sim.listPods(namespace, selector),
    listDeployments: () => sim.listDeployments(),
    listHpas: () => sim.listHpas().map(withStatus),
  };
}

/** Writes a kubeconfig for the embedded API (owner-only: it holds the token). */
export async function writeEmbeddedKubeconfig(
  file: string,
  o: { url: string; caFile: string; token: string },
): Promise<void> {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: embeddedContext, cluster: { server: o.url, 'certificate-authority': o.caFile } },
    ],
    users: [{ name: embeddedContext, user: { token: o.token } }],
    contexts: [
      {
        name: embeddedContext,
        context: { cluster: embeddedContext, user: embeddedContext, namespace: 'default' },
      },
    ],
    'current-context': embeddedContext,
    preferences: {},
  };
  await writeFile(file, stringify(doc), { mode: 0o600 });
}
