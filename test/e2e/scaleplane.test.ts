/**
 * scaleplane in a real control plane: the chart installed with the real helm, the process the chart's
 * Deployment describes running on loopback with the chart's RBAC, TLS and config, registered as
 * all four APIServices; kubectl top and the real HPA controller on its metrics; the embedded engine
 * in recommend mode compared with the controller at every sync; authorization through the aggregator.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from '../support/pki.js';
import { tlsRequest } from '../support/tls-client.js';
import {
  CONTROL_PLANE_BUILD_TIMEOUT_MS,
  freePort,
  startControlPlane,
  waitFor,
  type ControlPlane,
  type HpaControllerOptions,
  type ManagedProcess,
} from './control-plane.js';
import {
  controllerOutcome,
  disagreements,
  recommendationOutcome,
  trajectory,
  type RecommendationView,
  type Sample,
} from './support/differential.js';
import { MetricsWorld, podNames, RULES, setCpuUsage, setPodReady } from './support/load-world.js';
import {
  apiServiceAvailability,
  condition,
  cpuHpa,
  deployment,
  externalHpa,
  type Condition,
  type WithConditions,
} from './support/objects.js';
import { installChart, runRelease } from './support/release.js';
import {
  askReplica,
  hpaEvents,
  leaderGauge,
  readLease,
  terminateOnce,
  type ReplicaEndpoint,
} from './support/replicas.js';

const NS = 'e2e';
const RELEASE = { name: 'scaleplane', namespace: 'kube-system' };
const NODES = ['kwok-a', 'kwok-b'];
const API_SERVICES = [
  'v1beta1.metrics.k8s.io',
  'v1beta1.custom.metrics.k8s.io',
  'v1beta2.custom.metrics.k8s.io',
  'v1beta1.external.metrics.k8s.io',
];
/** Shortened controller timings; scaleplane is given the same values under the same flag names. */
const HPA: Required<HpaControllerOptions> = {
  syncPeriod: '5s',
  downscaleStabilization: '20s',
  tolerance: 0.1,
  cpuInitializationPeriod: '20s',
  initialReadinessDelay: '10s',
};
const SYNC_MS = 5_000;
const HPA_CONTROLLER_SA = 'system:serviceaccount:kube-system:horizontal-pod-autoscaler';

interface DeploymentStatus {
  spec: { replicas: number };
  status?: { readyReplicas?: number };
}

interface HpaObject extends WithConditions {
  status?: { desiredReplicas?: number; currentReplicas?: number; conditions?: Condition[] };
}

describe('scaleplane installed by its chart in a real control plane', () => {
  let cluster: ControlPlane;
  let scaleplane: ManagedProcess;
  let port = 0;
  let servingCa = '';
  const world = new MetricsWorld();

  const raw = async <T>(path: string): Promise<T> =>
    JSON.parse(await cluster.kube.ok(['get', '--raw', path])) as T;
  const replicas = async (name: string): Promise<DeploymentStatus> =>
    cluster.kube.getJson<DeploymentStatus>(['deployment', name, '-n', NS]);
  const waitReplicas = (name: string, n: number, timeoutMs: number): Promise<true> =>
    waitFor(
      `${name} at ${n} ready replicas`,
      async () => {
        const d = await replicas(name);
        return d.spec.replicas === n && d.status?.readyReplicas === n ? true : undefined;
      },
      {
        timeoutMs,
        intervalMs: 1000,
        abort: () =>
          scaleplane.exited() ? `scaleplane exited:\n${scaleplane.logTail()}` : undefined,
      },
    );
  const recommendation = async (name: string): Promise<RecommendationView | undefined> => {
    const res = await tlsRequest({
      url: `https://127.0.0.1:${port}`,
      path: `/hpa/${NS}/${name}`,
      ca: servingCa,
      servername: `${RELEASE.name}.${RELEASE.namespace}.svc`,
      cert: cluster.pki.admin.certPem,
      key: cluster.pki.admin.keyPem,
    });
    return res.status === 200 ? (JSON.parse(res.body) as RecommendationView) : undefined;
  };
  const scaleEvents = async (name: string): Promise<string[]> => {
    const list = await cluster.kube.getJson<{
      items: { reason: string; message: string; involvedObject: { name: string; kind: string } }[];
    }>(['events', '-n', NS, '--sort-by=.lastTimestamp']);
    return list.items
      .filter(
        (e) =>
          e.involvedObject.kind === 'HorizontalPodAutoscaler' &&
          e.involvedObject.name === name &&
          e.reason === 'SuccessfulRescale',
      )
      .map((e) => e.message);
  };

  beforeAll(async () => {
    cluster = await startControlPlane({ routing: 'service', hpa: HPA });
    await cluster.addNodes(NODES);
    const prometheusUrl = await world.start();
    await cluster.kube.ok(['create', 'namespace', NS]);
    // kwok serves the emulated kubelet endpoints with a certificate of the cluster CA: the chart
    // verifies kubelets against a CA Secret, as an operator would configure it.
    await cluster.kube.ok([
      'create',
      'secret',
      'generic',
      'kubelet-ca',
      '-n',
      RELEASE.namespace,
      `--from-file=ca.crt=${cluster.pki.ca.certFile}`,
    ]);
    port = await freePort();
    const release = await installChart(cluster, RELEASE, {
      image: { repository: 'registry.invalid/scaleplane', tag: '0.1.0' },
      // With aggregator routing by Service, an ExternalName Service sends the aggregator to
      // localhost on the APIService's port, so the Service port is the process's.
      service: { port },
      metricResolution: '10s',
      kubelet: {
        requestTimeout: '5s',
        certificateAuthority: { secretName: 'kubelet-ca', key: 'ca.crt' },
      },
      prometheus: { url: prometheusUrl, metricsRelistInterval: '5s' },
      hpa: {
        mode: 'recommend',
        syncPeriod: HPA.syncPeriod,
        controller: {
          tolerance: HPA.tolerance,
          cpuInitializationPeriod: HPA.cpuInitializationPeriod,
          initialReadinessDelay: HPA.initialReadinessDelay,
          downscaleStabilization: HPA.downscaleStabilization,
        },
      },
      ...RULES,
    });
    const tls = await cluster.kube.getJson<{ data: Record<string, string> }>([
      'secret',
      `${RELEASE.name}-tls`,
      '-n',
      RELEASE.namespace,
    ]);
    servingCa = Buffer.from(tls.data['ca.crt']!, 'base64').toString();
    scaleplane = await runRelease(cluster, release, { port });
    await cluster.routeToLocal({ ...RELEASE, port });
  }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
    await world.stop();
  }, 60_000);

  it('becomes Available as all four APIServices and answers each group through kube-apiserver', async () => {
    for (const name of API_SERVICES) {
      const available = await waitFor(
        `${name} Available`,
        async () => {
          const c = await apiServiceAvailability(cluster.kube, name);
          return c?.status === 'True' ? c : undefined;
        },
        {
          timeoutMs: 90_000,
          intervalMs: 1000,
          abort: () => (scaleplane.exited() ? scaleplane.logTail() : undefined),
        },
      );
      expect(available.reason).toBe('Passed');
    }
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
    await waitReplicas('web', 3, 90_000);
    const web = await podNames(cluster.kube, NS, 'app=web');
    web.forEach((pod, i) => world.packets.set(`${NS}/${pod}`, 10 * (i + 1)));

    const nodes = await waitFor(
      'node metrics',
      async () => {
        const list = await raw<{
          items: { metadata: { name: string }; usage: { cpu: string; memory: string } }[];
        }>('/apis/metrics.k8s.io/v1beta1/nodes');
        return list.items.length === NODES.length ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(NODES);
    const pods = await waitFor(
      'the web pods metrics',
      async () => {
        const list = await raw<{
          items: {
            metadata: { name: string };
            containers: { name: string; usage: { memory: string } }[];
          }[];
        }>(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods?labelSelector=app%3Dweb`);
        return list.items.length === 3 ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(pods.items.map((p) => p.metadata.name).sort()).toEqual(web);
    for (const p of pods.items)
      expect(p.containers).toEqual([
        { name: 'app', usage: { cpu: expect.stringMatching(/^\d+n$/), memory: '48Mi' } },
      ]);

    for (const version of ['v1beta1', 'v1beta2']) {
      const list = await waitFor(
        `custom ${version} packets_in_flight`,
        async () => {
          const l = await raw<{ items: { describedObject: { name: string }; value: string }[] }>(
            `/apis/custom.metrics.k8s.io/${version}/namespaces/${NS}/pods/*/packets_in_flight?labelSelector=app%3Dweb`,
          );
          return l.items.length === 3 ? l : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      expect(Object.fromEntries(list.items.map((i) => [i.describedObject.name, i.value]))).toEqual(
        Object.fromEntries(web.map((pod, i) => [pod, String(10 * (i + 1))])),
      );
    }
    const external = await raw<{
      items: { metricName: string; metricLabels: Record<string, string>; value: string }[];
    }>(
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${NS}/queue_depth?labelSelector=queue%3Dother`,
    );
    expect(external.items).toMatchObject([
      { metricName: 'queue_depth', metricLabels: { queue: 'other' }, value: '7' },
    ]);
  }, 300_000);

  it('feeds kubectl top nodes and kubectl top pods -A', async () => {
    const top = await waitFor(
      'kubectl top pods with the web pods',
      async () => {
        const res = await cluster.kube.run(['top', 'pods', '-A', '--no-headers']);
        return res.code === 0 &&
          res.stdout.split('\n').filter((l) => l.includes(' web-')).length === 3
          ? res.stdout
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    for (const line of top.split('\n').filter((l) => l.includes(' web-'))) {
      const [namespace, , cpu, memory] = line.trim().split(/\s+/);
      expect(namespace).toBe(NS);
      // kwok's counter grows at the annotated 50m; the scrape-to-scrape rate is within a few millicores.
      expect(Number(cpu!.replace(/m$/, ''))).toBeGreaterThanOrEqual(45);
      expect(Number(cpu!.replace(/m$/, ''))).toBeLessThanOrEqual(55);
      expect(memory).toBe('48Mi');
    }
    const nodes = (await cluster.kube.ok(['top', 'nodes', '--no-headers']))
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(nodes.map((n) => n[0]).sort()).toEqual(NODES);
    for (const n of nodes) expect(n[1]).toMatch(/^\d+m$/);
  }, 120_000);

  it('lets the real HPA controller scale up on CPU utilization from its metrics.k8s.io', async () => {
    // 200m used of a 100m request against a 50% target: 4x per sync, bounded by maxReplicas 6
    // (horizontal.go: ceil(1 x 4) = 4, then ceil(4 x 4) = 16 clamped to 6).
    await cluster.kube.apply([
      deployment({
        name: 'cpu-app',
        namespace: NS,
        replicas: 1,
        cpuUsage: '200m',
        cpuRequest: '100m',
      }),
      cpuHpa('cpu-app', NS, 50, { minReplicas: 1, maxReplicas: 6 }),
    ]);
    await waitReplicas('cpu-app', 6, 150_000);
    // The first step is the pure utilization ratio; later steps may be shaped by pods still
    // initializing (the controller's unready-pod rule), but end at maxReplicas.
    const events = await scaleEvents('cpu-app');
    expect(events[0]).toBe(
      'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    );
    const sizes = events.map((e) => Number(/^New size: (\d+);/.exec(e)?.[1]));
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBe(6);
    const hpa = await cluster.kube.getJson<HpaObject>(['hpa', 'cpu-app', '-n', NS]);
    expect(condition(hpa, 'ScalingActive')).toMatchObject({
      status: 'True',
      reason: 'ValidMetricFound',
    });
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({
      status: 'True',
      reason: 'TooManyReplicas',
    });
  }, 200_000);

  it('lets the real HPA controller scale up, then down, on an External metric from Prometheus', async () => {
    await cluster.kube.apply([
      deployment({
        name: 'worker',
        namespace: NS,
        replicas: 1,
        cpuUsage: '10m',
        cpuRequest: '100m',
      }),
      externalHpa(
        'worker',
        NS,
        { name: 'queue_depth', matchLabels: { queue: 'jobs' }, averageValue: '10' },
        {
          minReplicas: 1,
          maxReplicas: 5,
          behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
        },
      ),
    ]);
    await waitReplicas('worker', 1, 60_000);
    // 30 ready messages at 10 per replica: ceil(30 / 10) = 3 (external metric, AverageValue).
    world.queues.set('jobs', 30);
    await waitReplicas('worker', 3, 90_000);
    world.queues.set('jobs', 0);
    await waitReplicas('worker', 1, 90_000);
    expect(await scaleEvents('worker')).toEqual([
      'New size: 3; reason: external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},}) above target',
      'New size: 1; reason: All metrics below target',
    ]);
  }, 240_000);

  it('recommends what the controller decides at every sync across tolerance, unready pods and stabilization', async () => {
    const name = 'diff';
    await cluster.kube.apply([
      deployment({ name, namespace: NS, replicas: 4, cpuUsage: '50m', cpuRequest: '100m' }),
      cpuHpa(name, NS, 50, { minReplicas: 1, maxReplicas: 10 }),
    ]);
    await waitReplicas(name, 4, 60_000);
    // Each phase holds a usage on every pod (re-applied, so pods created by a scale-up get it too);
    // `unready` pods are marked never-ready for the phase.
    const initial = await podNames(cluster.kube, NS, `app=${name}`);
    const phases = [
      { phase: 'within tolerance', usage: '53m', ms: 25_000, unready: [] as string[] },
      {
        phase: 'unready pods hold the scale-up',
        usage: '100m',
        ms: 30_000,
        unready: initial.slice(0, 2),
      },
      { phase: 'scale up with new pods', usage: '100m', ms: 50_000, unready: [] },
      { phase: 'downscale stabilization', usage: '10m', ms: 60_000, unready: [] },
    ];
    const samples: Sample[] = [];
    let unready: string[] = [];
    for (const { phase, usage, ms, unready: wanted } of phases) {
      for (const pod of unready.filter((p) => !wanted.includes(p)))
        await setPodReady(cluster.kube, NS, pod, true);
      for (const pod of wanted) await setPodReady(cluster.kube, NS, pod, false);
      unready = wanted;
      const end = Date.now() + ms;
      let nextAnnotate = 0;
      while (Date.now() < end) {
        if (Date.now() >= nextAnnotate) {
          await setCpuUsage(cluster.kube, NS, `app=${name}`, usage);
          nextAnnotate = Date.now() + 3_000;
        }
        const [hpa, ours] = await Promise.all([
          cluster.kube.getJson<HpaObject>(['hpa', name, '-n', NS]),
          recommendation(name),
        ]);
        samples.push({
          atMs: Date.now(),
          phase,
          controller: {
            desiredReplicas: hpa.status?.desiredReplicas,
            currentReplicas: hpa.status?.currentReplicas,
            conditions: hpa.status?.conditions ?? [],
          },
          ...(ours ? { scaleplane: ours } : {}),
        });
        await sleep(1_000);
      }
    }
    const found = disagreements(samples, SYNC_MS + 2_000);
    const controllerPath = trajectory(samples.map((s) => controllerOutcome(s.controller)));
    const ourPath = trajectory(
      samples.map((s) => (s.scaleplane ? recommendationOutcome(s.scaleplane) : undefined)),
    );
    const report = {
      controllerPath,
      ourPath,
      evaluations: new Set(samples.map((s) => s.scaleplane?.evaluatedAt)).size,
      // Per phase: how scaleplane's evaluations were shaped (rule of the CPU metric, pods left
      // out or filled in, stabilization), one entry per distinct evaluation.
      rules: Object.fromEntries(
        phases.map(({ phase }) => {
          const seen = new Map<string, RecommendationView>();
          for (const s of samples)
            if (s.phase === phase && s.scaleplane) seen.set(s.scaleplane.evaluatedAt, s.scaleplane);
          const tally: Record<string, number> = {};
          for (const r of seen.values()) {
            const m = r.decision.metrics[0];
            const tags = [m?.rule ?? 'none'];
            if (m?.unreadyPods.length) tags.push('unready pods');
            if (m?.missingPods.length) tags.push('missing pods');
            for (const c of r.decision.conditions)
              if (c.reason === 'ScaleDownStabilized' || c.reason === 'ScaleUpLimit')
                tags.push(c.reason);
            for (const t of tags) tally[t] = (tally[t] ?? 0) + 1;
          }
          return [phase, tally];
        }),
      ),
      disagreements: found,
    };
    console.log(`differential: ${JSON.stringify(report, null, 2)}`);
    // The phases script: hold 4 within tolerance; hold 4 while half the pods are unready (they
    // count as using nothing on a scale-up, replica_calculator.go: 2 x 100m over 4 x 50m is within
    // tolerance); 4 -> 8 -> 10 once they are ready (scale-up limit max(4 pods, 100%) per 15 s, then
    // maxReplicas); hold 10 through the 20 s stabilization window after the load drops to a fifth,
    // then step down towards ceil(n x 0.2).
    const counts = controllerPath.filter((o): o is number => typeof o === 'number');
    expect(counts.slice(0, 3)).toEqual([4, 8, 10]);
    expect(counts.at(-1)).toBeLessThanOrEqual(2);
    expect(ourPath).toEqual(controllerPath);
    const atPhase = (phase: string) => samples.filter((s) => s.phase === phase);
    const evaluated = (phase: string) =>
      atPhase(phase).flatMap((s) => (s.scaleplane ? [s.scaleplane.decision] : []));
    const [tolerance, unreadyPhase, , stabilization] = phases.map((p) => p.phase) as [
      string,
      string,
      string,
      string,
    ];
    expect(evaluated(tolerance).some((d) => d.metrics[0]?.rule === 'within-tolerance')).toBe(true);
    expect(
      evaluated(unreadyPhase).some(
        (d) => d.metrics[0]?.unreadyPods.length === 2 && d.desiredReplicas === 4,
      ),
    ).toBe(true);
    expect(atPhase(unreadyPhase).every((s) => s.controller.desiredReplicas === 4)).toBe(true);
    const stabilized = (conditions: Condition[]) =>
      conditions.some((c) => c.type === 'AbleToScale' && c.reason === 'ScaleDownStabilized');
    expect(evaluated(stabilization).some((d) => stabilized(d.conditions))).toBe(true);
    expect(atPhase(stabilization).some((s) => stabilized(s.controller.conditions))).toBe(true);
    expect(found).toEqual([]);
  }, 300_000);

  it('authorizes through the aggregator: a user without RBAC gets 403, the HPA controller is allowed', async () => {
    const nobody = await cluster.kubeAs('nobody', ['e2e-nobodies']);
    for (const path of [
      '/apis/metrics.k8s.io/v1beta1/nodes',
      `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${NS}/pods/*/packets_in_flight`,
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${NS}/queue_depth`,
    ]) {
      const denied = await nobody.run(['get', '--raw', path]);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/forbidden: User "nobody" cannot (list|get) resource/);
    }
    // The controller's own identity (kube-controller-manager --use-service-account-credentials),
    // impersonated by the admin: the aggregator forwards it, and scaleplane's SubjectAccessReview
    // for it is allowed by the chart's RBAC.
    const as = [
      '--as',
      HPA_CONTROLLER_SA,
      '--as-group',
      'system:serviceaccounts',
      '--as-group',
      'system:serviceaccounts:kube-system',
    ];
    for (const path of [
      `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`,
      `/apis/custom.metrics.k8s.io/v1beta1/namespaces/${NS}/pods/*/packets_in_flight?labelSelector=app%3Dweb`,
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${NS}/queue_depth?labelSelector=queue%3Dother`,
    ]) {
      const allowed = await cluster.kube.run(['get', '--raw', path, ...as]);
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
      expect((JSON.parse(allowed.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    }
    // Straight to scaleplane with a certificate of the cluster CA: its own delegated authorization
    // (SubjectAccessReview) refuses the same user with a Status.
    const cert = await issue(cluster.pki.dir, {
      name: 'direct-nobody',
      cn: 'nobody',
      o: ['e2e-nobodies'],
      ca: cluster.pki.ca,
      usage: 'clientAuth',
    });
    const direct = await tlsRequest({
      url: `https://127.0.0.1:${port}`,
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      ca: servingCa,
      servername: `${RELEASE.name}.${RELEASE.namespace}.svc`,
      cert: cert.certPem,
      key: cert.keyPem,
    });
    expect(direct.status).toBe(403);
    expect(JSON.parse(direct.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
    });
  }, 120_000);
});

/**
 * Two replicas of the chart's Deployment, as `replicas: 2` runs them: both serve every request
 * sent to them directly, and only the holder of the leader-election Lease writes Events. The
 * controller runs with tolerance 0.9 and scaleplane is told 0.1, so at 1.3x the target the two
 * disagree for as long as the test wants (the controller holds 2 replicas, scaleplane recommends
 * 3): each replica judges the disagreement, and exactly one Event reports it.
 */
describe('scaleplane with two replicas: both serve, only the Lease holder writes Events', () => {
  const HA = { name: 'scaleplane', namespace: 'kube-system' };
  const LEASE = `${HA.namespace}/${HA.name}`;
  const APP = 'le-web';
  let cluster: ControlPlane;
  let replicas: { proc: ManagedProcess; endpoint: ReplicaEndpoint }[] = [];

  const leaderIndex = async (): Promise<number | undefined> => {
    const gauges = await Promise.all(
      replicas.map((r) =>
        r.proc.exited() ? Promise.resolve(undefined) : leaderGauge(cluster, r.endpoint, LEASE),
      ),
    );
    const leaders = gauges.flatMap((g, i) => (g === 1 ? [i] : []));
    return leaders.length === 1 ? leaders[0] : undefined;
  };

  beforeAll(async () => {
    cluster = await startControlPlane({
      routing: 'service',
      hpa: { ...HPA, tolerance: 0.9 },
    });
    await cluster.addNodes(NODES);
    await cluster.kube.ok(['create', 'namespace', NS]);
    await cluster.kube.ok([
      'create',
      'secret',
      'generic',
      'kubelet-ca',
      '-n',
      HA.namespace,
      `--from-file=ca.crt=${cluster.pki.ca.certFile}`,
    ]);
    const ports = [await freePort(), await freePort()];
    const release = await installChart(cluster, HA, {
      image: { repository: 'registry.invalid/scaleplane', tag: '0.1.0' },
      replicas: 2,
      service: { port: ports[0] },
      metricResolution: '10s',
      kubelet: {
        requestTimeout: '5s',
        certificateAuthority: { secretName: 'kubelet-ca', key: 'ca.crt' },
      },
      hpa: {
        mode: 'recommend',
        syncPeriod: HPA.syncPeriod,
        controller: {
          tolerance: 0.1,
          cpuInitializationPeriod: HPA.cpuInitializationPeriod,
          initialReadinessDelay: HPA.initialReadinessDelay,
          downscaleStabilization: HPA.downscaleStabilization,
        },
      },
      leaderElection: { leaseDuration: '6s', renewDeadline: '4s', retryPeriod: '1s' },
    });
    const tls = await cluster.kube.getJson<{ data: Record<string, string> }>([
      'secret',
      `${HA.name}-tls`,
      '-n',
      HA.namespace,
    ]);
    const servingCa = Buffer.from(tls.data['ca.crt']!, 'base64').toString();
    replicas = [];
    for (const [i, port] of ports.entries()) {
      const proc = await runRelease(cluster, release, { port, name: `${HA.name}-${i}` });
      replicas.push({
        proc,
        endpoint: { port, servingCa, servername: `${HA.name}.${HA.namespace}.svc` },
      });
    }
    // The aggregator (and so the HPA controller) reaches the first replica.
    await cluster.routeToLocal({ ...HA, port: ports[0]! });
    await cluster.kube.apply([
      // 65m of 100m against 50%: ratio 1.3, so 2 x 1.3 rounds up to 3 even with a few millicores of noise.
      deployment({ name: APP, namespace: NS, replicas: 2, cpuUsage: '65m', cpuRequest: '100m' }),
      cpuHpa(APP, NS, 50, { minReplicas: 1, maxReplicas: 10 }),
    ]);
  }, CONTROL_PLANE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('both replicas answer metrics and recommendations directly', async () => {
    for (const [i, r] of replicas.entries()) {
      const decision = await waitFor(
        `replica ${i} recommends 3 for ${APP}`,
        async () => {
          const res = await askReplica(cluster, r.endpoint, `/hpa/${NS}/${APP}`);
          if (res.status !== 200) return undefined;
          const body = JSON.parse(res.body) as { decision: { desiredReplicas: number } };
          return body.decision.desiredReplicas === 3 ? body : undefined;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 1000,
          abort: () => (r.proc.exited() ? `replica ${i} exited:\n${r.proc.logTail()}` : undefined),
        },
      );
      expect(decision.decision.desiredReplicas).toBe(3);
      const nodes = await askReplica(cluster, r.endpoint, '/apis/metrics.k8s.io/v1beta1/nodes');
      expect(nodes.status).toBe(200);
      const list = JSON.parse(nodes.body) as { items: { metadata: { name: string } }[] };
      expect(list.items.map((n) => n.metadata.name).sort()).toEqual(NODES);
    }
  }, 150_000);

  it('exactly one replica leads, holds the Lease, and alone writes the disagreement Event', async () => {
    const leader = await waitFor('one leader', leaderIndex, { timeoutMs: 30_000, intervalMs: 500 });
    const follower = 1 - leader;
    expect(await leaderGauge(cluster, replicas[follower]!.endpoint, LEASE)).toBe(0);
    const lease = await readLease(cluster, HA.namespace, HA.name);
    const holder = lease?.spec.holderIdentity ?? '';
    expect(holder).toMatch(/_[0-9a-f-]{36}$/);
    expect(lease?.spec.leaseDurationSeconds).toBe(6);
    const events = await waitFor(
      'the RecommendationDiffers Event',
      async () => {
        const found = await hpaEvents(cluster, NS, APP, 'RecommendationDiffers');
        return found.some((e) => /recommends 3 .*controller has 2/.test(e.message))
          ? found
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    // Both replicas judged the same disagreement (four more syncs pass); one Event was written.
    await sleep(4 * SYNC_MS);
    const after = await hpaEvents(cluster, NS, APP, 'RecommendationDiffers');
    expect(after.length, JSON.stringify(after, null, 2)).toBeGreaterThanOrEqual(events.length);
    expect(after.filter((e) => /recommends 3 .*controller has 2/.test(e.message))).toHaveLength(1);
    expect(new Set(after.map((e) => e.reportingInstance))).toEqual(new Set([holder]));
    expect(new Set(after.map((e) => e.message)).size).toBe(after.length);
  }, 200_000);

  it('the leader releases the Lease on SIGTERM; the other takes over without writing the Event again', async () => {
    const leader = (await leaderIndex())!;
    const follower = 1 - leader;
    const before = await hpaEvents(cluster, NS, APP, 'RecommendationDiffers');
    const old = (await readLease(cluster, HA.namespace, HA.name))!.spec;
    await terminateOnce(replicas[leader]!.proc, 40_000);
    const log = replicas[leader]!.proc.logTail(400);
    expect(log, log).toContain('"msg":"lease released"');
    // Released, not expired: the follower takes it on its next attempts, well inside the 6 s duration.
    const startedMs = Date.now();
    const lease = await waitFor(
      'the follower holding the Lease',
      async () => {
        const l = await readLease(cluster, HA.namespace, HA.name);
        return l?.spec.holderIdentity && l.spec.holderIdentity !== old.holderIdentity
          ? l
          : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(Date.now() - startedMs).toBeLessThan(6_000);
    expect(lease.spec.leaseTransitions).toBe((old.leaseTransitions ?? 0) + 1);
    expect(await leaderGauge(cluster, replicas[follower]!.endpoint, LEASE)).toBe(1);
    // The new leader had judged the same disagreement as reported: no second Event.
    await sleep(3 * SYNC_MS);
    const after = await hpaEvents(cluster, NS, APP, 'RecommendationDiffers');
    expect(after.map((e) => e.message).sort()).toEqual(before.map((e) => e.message).sort());
  }, 90_000);
});
