/**
 * The simulated source of a Pods custom metric and an External metric, as prometheus-adapter
 * would serve them from an application's exporter and a queue exporter: `packets_per_second` of
 * each pod (its share of the requests) and `queue_messages_ready{queue="worker_tasks"}` (a
 * backlog that grows while the load runs). One whole store cycle per call, like the collector's.
 * @module
 */
import type { CustomStoreCycle } from '../store/index.js';
import type { SimWorld } from './world.js';

export const podsMetricName = 'packets_per_second';
export const externalMetricName = 'queue_messages_ready';
export const externalQueue = 'worker_tasks';

/** Messages one ready pod drains from the queue per 1,000 requests per second it serves. */
const backlogPerRequestPerSecond = 0.2;

/** The custom store's cycle for the world at its current instant. */
export function simulatedMetricsCycle(world: SimWorld): CustomStoreCycle {
  const nowMs = world.nowMs;
  const custom = new Map<string, { namespace: string; name: string; value: number }[]>();
  const external: { namespace: string; value: number }[] = [];
  for (const d of world.listDeployments()) {
    const load = world.loadOf(d.namespace, d.name);
    const pods = world.podsOf(d.namespace, d.name);
    const ready = pods.filter((p) => p.readyAtMs <= nowMs);
    const perPod = ready.length > 0 ? load.requestsPerSecond / ready.length : 0;
    const samples = custom.get(d.namespace) ?? [];
    for (const p of pods)
      samples.push({
        namespace: p.namespace,
        name: p.name,
        value: p.readyAtMs <= nowMs ? perPod : 0,
      });
    custom.set(d.namespace, samples);
    external.push({
      namespace: d.namespace,
      value: Math.round(load.requestsPerSecond * backlogPerRequestPerSecond),
    });
  }
  const namespaces = [...new Set(world.listDeployments().map((d) => d.namespace))];
  return {
    customMetrics: [
      { groupResource: { group: '', resource: 'pods' }, namespaced: true, metric: podsMetricName },
    ],
    externalMetrics: [{ metric: externalMetricName }],
    custom: namespaces.map((ns) => ({
      info: {
        groupResource: { group: '', resource: 'pods' },
        namespaced: true,
        metric: podsMetricName,
      },
      selector: '',
      samples: (custom.get(ns) ?? []).map((s) => ({
        ...s,
        metric: podsMetricName,
        timestampMs: nowMs,
      })),
    })),
    external: external.map((e) => ({
      metric: externalMetricName,
      namespace: e.namespace,
      selector: '',
      samples: [
        {
          metric: externalMetricName,
          labels: { queue: externalQueue },
          value: e.value,
          timestampMs: nowMs,
        },
      ],
    })),
    retain: [],
  };
}
