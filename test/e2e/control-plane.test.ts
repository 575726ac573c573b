/**
 * Proves the end-to-end harness on a real control plane, once per aggregator routing mode: the
 * components start, kwok nodes and pods behave like a cluster with kubelets (emulated resource
 * metrics included), the HPA controller runs, and an APIService backed by a local process becomes
 * Available and is reachable through kube-apiserver.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsRequest } from '../support/tls-client.js';
import {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  pinnedVersion,
  startControlPlane,
  waitFor,
  type AggregatorRouting,
  type ControlPlane,
} from './control-plane.js';
import {
  apiService,
  apiServiceAvailability,
  condition,
  cpuHpa,
  deployment,
  type WithConditions,
} from './support/objects.js';
import { externalNameRefused, loopbackEndpointsRejected } from './support/refusals.js';
import { sampleValue } from './support/prom-text.js';
import { startStandIn, type StandIn } from './support/stand-in.js';

const NODES = ['kwok-a', 'kwok-b'];
const NS = 'e2e';

const modes: {
  routing: AggregatorRouting;
  via: string;
  refused: string;
  refusal: (c: ControlPlane) => Promise<void>;
}[] = [
  {
    routing: 'service',
    via: 'an ExternalName Service to localhost',
    refused: 'rejects Endpoints with a loopback address',
    refusal: loopbackEndpointsRejected,
  },
  {
    routing: 'endpoints',
    via: 'Endpoints to a backend inside a test network namespace',
    refused: 'refuses an ExternalName Service under endpoint routing',
    refusal: externalNameRefused,
  },
];

describe.each(modes)(
  'control plane with aggregator routing "$routing"',
  ({ routing, via, refused, refusal }) => {
    let cluster: ControlPlane;
    let standIn: StandIn | undefined;

    beforeAll(async () => {
      cluster = await startControlPlane({ routing });
      console.log(`control plane (${routing}) ready: ${JSON.stringify(cluster.timings)}`);
    }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await standIn?.close();
      await cluster?.stop();
    }, 60_000);

    it('serves the pinned Kubernetes version and is ready', async () => {
      const version = JSON.parse(await cluster.kube.ok(['version', '-o', 'json'])) as {
        serverVersion: { gitVersion: string; major: string; minor: string };
      };
      const pinned = pinnedVersion('KUBERNETES');
      expect(version.serverVersion).toMatchObject({
        gitVersion: pinned,
        major: '1',
        minor: pinned.split('.')[1],
      });
      expect(await cluster.kube.ok(['get', '--raw', '/readyz'])).toBe('ok');
    });

    it('makes kwok nodes Ready on loopback, with the metrics annotation and emulated kubelet metrics', async () => {
      await cluster.addNodes(NODES);
      const node = await cluster.kube.getJson<{
        metadata: { annotations: Record<string, string> };
        status: {
          addresses: { type: string; address: string }[];
          daemonEndpoints: { kubeletEndpoint: { Port: number } };
        };
      }>(['node', NODES[0]!]);
      expect(node.metadata.annotations['metrics.k8s.io/resource-metrics-path']).toBe(
        `/metrics/nodes/${NODES[0]}/metrics/resource`,
      );
      expect(node.status.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }]);
      expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(cluster.ports.kwok);
      const res = await tlsRequest({
        url: `https://127.0.0.1:${cluster.ports.kwok}`,
        path: node.metadata.annotations['metrics.k8s.io/resource-metrics-path'],
        ca: cluster.pki.ca.certPem,
      });
      expect(res.status).toBe(200);
      // kwok writes samples without the timestamps a kubelet adds: scrapers take the scrape time.
      expect(res.body).toMatch(/^node_cpu_usage_seconds_total [0-9.e+-]+$/m);
      expect(res.body).toMatch(/^node_memory_working_set_bytes [0-9.e+-]+$/m);
    }, 120_000);

    it('runs a Deployment to Ready pods on kwok nodes, whose annotated usage kwok serves', async () => {
      await cluster.kube.ok(['create', 'namespace', NS]);
      await waitFor(
        'the e2e default ServiceAccount',
        async () =>
          (await cluster.kube.run(['get', 'serviceaccount', 'default', '-n', NS])).code === 0
            ? true
            : undefined,
        { timeoutMs: 60_000 },
      );
      await cluster.kube.apply([
        deployment({
          name: 'web',
          namespace: NS,
          replicas: 3,
          cpuUsage: '50m',
          memoryUsage: '48Mi',
          cpuRequest: '100m',
        }),
      ]);
      await waitFor(
        '3 ready replicas',
        async () => {
          const d = await cluster.kube.getJson<{ status?: { readyReplicas?: number } }>([
            'deployment',
            'web',
            '-n',
            NS,
          ]);
          return d.status?.readyReplicas === 3 ? true : undefined;
        },
        { timeoutMs: 90_000 },
      );
      const pods = await cluster.kube.getJson<{
        items: { metadata: { name: string }; spec: { nodeName: string } }[];
      }>(['pods', '-n', NS, '-l', 'app=web']);
      expect(pods.items).toHaveLength(3);
      for (const pod of pods.items) expect(NODES).toContain(pod.spec.nodeName);
      // Usage comes from the pod's annotations (kwok ClusterResourceUsage): the memory gauge is
      // the annotated value, the CPU counter grows at the annotated rate.
      const pod = pods.items[0]!;
      const series = { namespace: NS, pod: pod.metadata.name, container: 'app' };
      const scrape = async (): Promise<{ body: string; atMs: number }> => {
        const res = await tlsRequest({
          url: `https://127.0.0.1:${cluster.ports.kwok}`,
          path: `/metrics/nodes/${pod.spec.nodeName}/metrics/resource`,
          ca: cluster.pki.ca.certPem,
        });
        return { body: res.body, atMs: Date.now() };
      };
      const cpu = (body: string): number | undefined =>
        sampleValue(body, 'container_cpu_usage_seconds_total', series);
      const first = await waitFor(
        'container series for the pod',
        async () => {
          const s = await scrape();
          return cpu(s.body) !== undefined ? s : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(sampleValue(first.body, 'container_memory_working_set_bytes', series)).toBe(
        48 * 2 ** 20,
      );
      await sleep(4_000);
      const second = await scrape();
      const coresUsed =
        (cpu(second.body)! - cpu(first.body)!) / ((second.atMs - first.atMs) / 1000);
      expect(coresUsed).toBeGreaterThan(0.05 * 0.6);
      expect(coresUsed).toBeLessThan(0.05 * 1.4);
    }, 180_000);

    it('runs the HPA controller: an HPA gets conditions', async () => {
      await cluster.kube.apply([cpuHpa('web', NS, 50)]);
      const hpa = await waitFor(
        'HPA conditions',
        async () => {
          const h = await cluster.kube.getJson<WithConditions>(['hpa', 'web', '-n', NS]);
          return condition(h, 'AbleToScale') ? h : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(condition(hpa, 'AbleToScale')?.status).toBe('True');
      // No metrics.k8s.io yet: the controller reports it cannot fetch resource metrics.
      expect(condition(hpa, 'ScalingActive')).toMatchObject({
        status: 'False',
        reason: 'FailedGetResourceMetric',
      });
    }, 90_000);

    it(`routes an APIService to a local process through ${via}`, async () => {
      const service = { namespace: 'kube-system', name: 'stand-in' };
      standIn = await startStandIn({
        cluster,
        service,
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        resources: ['nodes', 'pods'],
      });
      // As the chart installs it: a ClusterIP Service selecting pods, port 443 named https.
      await cluster.kube.apply([
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: service,
          spec: {
            selector: { app: 'stand-in' },
            ports: [{ name: 'https', port: 443, targetPort: 'https' }],
          },
        },
      ]);
      const port = Number(new URL(standIn.url).port);
      const servicePort = await cluster.routeToLocal({ ...service, port });
      expect(servicePort).toBe(routing === 'service' ? port : 443);
      if (routing === 'endpoints') {
        // The backend's address in the test's namespace, never one of the host namespace.
        expect(cluster.localServeAddress).toMatch(/^10\.213\.\d+\.2$/);
        const endpoints = await cluster.kube.getJson<{
          subsets: { addresses: { ip: string }[] }[];
        }>(['endpoints', service.name, '-n', service.namespace]);
        expect(endpoints.subsets[0]?.addresses).toEqual([{ ip: cluster.localServeAddress }]);
      }
      await cluster.kube.apply([
        apiService(
          'metrics.k8s.io',
          'v1beta1',
          { ...service, port: servicePort },
          cluster.pki.ca.certPem,
        ),
      ]);
      const available = await waitFor(
        'v1beta1.metrics.k8s.io Available',
        async () => {
          const c = await apiServiceAvailability(cluster.kube, 'v1beta1.metrics.k8s.io');
          return c?.status === 'True' ? c : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(available.reason).toBe('Passed');
      const discovery = JSON.parse(
        await cluster.kube.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1']),
      ) as { groupVersion: string; resources: { name: string }[] };
      expect(discovery).toMatchObject({
        groupVersion: 'metrics.k8s.io/v1beta1',
        resources: [{ name: 'nodes' }, { name: 'pods' }],
      });
      const proxied = standIn.requests.filter((r) => r.remoteUser === 'kubernetes-admin');
      expect(proxied.length).toBeGreaterThan(0);
      expect(proxied[0]).toMatchObject({
        clientCn: 'front-proxy-client',
        remoteGroups: expect.arrayContaining(['system:masters', 'system:authenticated']),
      });
    }, 120_000);

    it('authorizes before proxying: a user without RBAC gets 403 and never reaches the backend', async () => {
      const nobody = await cluster.kubeAs('nobody', ['e2e-nobodies']);
      const denied = await nobody.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(
        /forbidden: User "nobody" cannot list resource "nodes" in API group "metrics.k8s.io"/,
      );
      expect(standIn?.requests.some((r) => r.remoteUser === 'nobody')).toBe(false);
    });

    it(refused, () => refusal(cluster), 90_000);
  },
);
