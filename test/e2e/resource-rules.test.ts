/**
 * A kube-prometheus user's prometheus-adapter config served by scaleplane in a real control plane:
 * the chart installed with the real helm with `resourceRules` and an external rule, the process its
 * Deployment describes running on loopback against a real Prometheus. metrics.k8s.io comes from
 * the resource rules (no kubelet is scraped): the real `kubectl top pods` and `kubectl top nodes`
 * answer, with the rules' window in the API objects; and the real HPA controller scales a
 * Deployment on a namespaced external metric whose series carry no namespace label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  freePort,
  startControlPlane,
  waitFor,
  type ControlPlane,
  type ManagedProcess,
} from './control-plane.js';
import { podNames } from './support/load-world.js';
import { apiServiceAvailability, deployment, externalHpa } from './support/objects.js';
import { installChart, runRelease } from './support/release.js';
import { RESOURCE_RULES_VALUES, ResourceRulesWorld } from './support/resource-rules-world.js';

const NS = 'e2e';
const RELEASE = { name: 'scaleplane', namespace: 'kube-system' };
const NODES: Record<string, { cores: number; bytes: number }> = {
  'kwok-a': { cores: 1.5, bytes: 2048 * 1024 * 1024 },
  'kwok-b': { cores: 0.75, bytes: 1024 * 1024 * 1024 },
};
const MiB = 1024 * 1024;

interface MetricsList {
  items: {
    metadata: { name: string };
    window: string;
    usage?: { cpu: string; memory: string };
    containers?: { name: string; usage: { cpu: string; memory: string } }[];
  }[];
}

/** Millicores of a Quantity as scaleplane writes CPU from resource rules (`123m`, or `2` cores). */
function milli(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

describe('scaleplane serving prometheus-adapter resourceRules in a real control plane', () => {
  let cluster: ControlPlane;
  let scaleplane: ManagedProcess;
  const world = new ResourceRulesWorld();

  const raw = async <T>(path: string): Promise<T> =>
    JSON.parse(await cluster.kube.ok(['get', '--raw', path])) as T;
  const abort = () =>
    scaleplane.exited() ? `scaleplane exited:\n${scaleplane.logTail()}` : undefined;
  const waitReplicas = (name: string, n: number, timeoutMs: number): Promise<true> =>
    waitFor(
      `${name} at ${n} ready replicas`,
      async () => {
        const d = await cluster.kube.getJson<{
          spec: { replicas: number };
          status?: { readyReplicas?: number };
        }>(['deployment', name, '-n', NS]);
        return d.spec.replicas === n && d.status?.readyReplicas === n ? true : undefined;
      },
      { timeoutMs, intervalMs: 1000, abort },
    );

  beforeAll(async () => {
    cluster = await startControlPlane({ routing: 'service', hpa: { syncPeriod: '5s' } });
    await cluster.addNodes(Object.keys(NODES));
    for (const [node, usage] of Object.entries(NODES)) world.setNode(node, usage);
    const prometheusUrl = await world.start();
    await cluster.kube.ok(['create', 'namespace', NS]);
    const port = await freePort();
    const release = await installChart(cluster, RELEASE, {
      image: { repository: 'registry.invalid/scaleplane', tag: '0.1.0' },
      service: { port },
      metricResolution: '10s',
      kubelet: { requestTimeout: '5s' },
      prometheus: { url: prometheusUrl, metricsRelistInterval: '5s' },
      hpa: { mode: 'off' },
      ...RESOURCE_RULES_VALUES,
    });
    scaleplane = await runRelease(cluster, release, { port });
    await cluster.routeToLocal({ ...RELEASE, port });
    for (const name of ['v1beta1.metrics.k8s.io', 'v1beta1.external.metrics.k8s.io'])
      await waitFor(
        `${name} Available`,
        async () =>
          (await apiServiceAvailability(cluster.kube, name))?.status === 'True' ? true : undefined,
        { timeoutMs: 90_000, intervalMs: 1000, abort },
      );
  }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
    await world.stop();
  }, 60_000);

  it('answers kubectl top pods and top nodes from the resource rules, with their 5m window', async () => {
    expect(scaleplane.logTail()).toMatch(
      /"msg":"metrics.k8s.io source".*"source":"prometheus","reason":"default with resourceRules/,
    );
    await cluster.kube.apply([
      deployment({ name: 'web', namespace: NS, replicas: 2, cpuUsage: '1m', cpuRequest: '100m' }),
    ]);
    await waitReplicas('web', 2, 90_000);
    const pods = await podNames(cluster.kube, NS, 'app=web');
    for (const pod of pods) world.setContainer(NS, pod, 'app', { cores: 0.12, bytes: 40 * MiB });

    const list = await waitFor(
      'pod metrics from the resource rules',
      async () => {
        const l = await raw<MetricsList>(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`);
        return l.items.length === 2 ? l : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000, abort },
    );
    for (const item of list.items) {
      expect(item.window).toBe('5m0s');
      expect(item.containers?.map((c) => [c.name, c.usage.memory])).toEqual([['app', '40Mi']]);
      expect(milli(item.containers![0]!.usage.cpu)).toBeGreaterThanOrEqual(115);
      expect(milli(item.containers![0]!.usage.cpu)).toBeLessThanOrEqual(125);
    }
    const nodes = await raw<MetricsList>('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(nodes.items.map((n) => [n.metadata.name, n.window, n.usage?.memory])).toEqual([
      ['kwok-a', '5m0s', '2Gi'],
      ['kwok-b', '5m0s', '1Gi'],
    ]);

    const top = (await cluster.kube.ok(['top', 'pods', '-n', NS, '--no-headers']))
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(top.map((t) => t[0]).sort()).toEqual(pods);
    for (const [, cpu, memory] of top) {
      expect(milli(cpu!)).toBeGreaterThanOrEqual(115);
      expect(milli(cpu!)).toBeLessThanOrEqual(125);
      expect(memory).toBe('40Mi');
    }
    const topNodes = (await cluster.kube.ok(['top', 'nodes', '--no-headers']))
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(topNodes.map((n) => n[0]).sort()).toEqual(Object.keys(NODES));
    for (const [name, cpu] of topNodes) {
      const want = NODES[name!]!.cores * 1000;
      expect(Math.abs(milli(cpu!) - want)).toBeLessThanOrEqual(want * 0.05);
    }
  }, 240_000);

  it('lets the real HPA controller scale on a namespaced external metric whose series have no namespace', async () => {
    await cluster.kube.apply([
      deployment({
        name: 'worker',
        namespace: NS,
        replicas: 1,
        cpuUsage: '1m',
        cpuRequest: '100m',
      }),
      externalHpa(
        'worker',
        NS,
        // No selector: the request names only the namespace, which no series carries.
        { name: 'queue_depth', matchLabels: {}, averageValue: '10' },
        { minReplicas: 1, maxReplicas: 5 },
      ),
    ]);
    await waitReplicas('worker', 1, 60_000);
    // 30 ready messages at 10 per replica: ceil(30 / 10) = 3.
    world.queues.set('jobs', 30);
    await waitReplicas('worker', 3, 90_000);
    const value = await raw<{ items: { metricLabels: Record<string, string>; value: string }[] }>(
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${NS}/queue_depth`,
    );
    expect(value.items).toMatchObject([{ metricLabels: { queue: 'jobs' }, value: '30' }]);
    const events = await cluster.kube.getJson<{
      items: { reason: string; message: string; involvedObject: { name: string } }[];
    }>([
      'events',
      '-n',
      NS,
      '--field-selector',
      'involvedObject.name=worker,reason=SuccessfulRescale',
    ]);
    expect(events.items.map((e) => e.message)).toContain(
      'New size: 3; reason: external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}) above target',
    );
  }, 200_000);
});
