/**
 * `scaleplane hpa explain` end to end in process: the CLI dispatcher, the real kubeconfig loader,
 * HTTP client, discovery, scale reader and metrics API client against a nock'd cluster.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { hpaEvaluateCommand } from '../../../src/cli/hpa-evaluate.js';
import { createHpaExplainCommand, type ExplainReport } from '../../../src/runtime/index.js';
import { fakeIo, type FakeIo } from '../cli/fake-io.js';
import { issue } from '../../support/pki.js';
import { at, NOW, NOW_MS, pod, podMetrics } from '../../support/hpa-builders.js';
import {
  API_SERVER,
  cpuUtilization,
  hpaObject,
  NS,
  nockExternalMetric,
  nockPodsMetric,
  podMetricValue,
  nockHpa,
  nockMetricsGroup,
  nockPodMetrics,
  nockPods,
  nockScale,
  status,
  writeTestKubeconfig,
} from '../../support/nock-cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'explain-test-'));
const kubeconfig = writeTestKubeconfig(dir);
const explain = createHpaExplainCommand({
  env: {},
  clock: { now: () => NOW_MS },
  writeFile: (p, t) => writeFile(p, t, 'utf8'),
});
const commands = [hpaEvaluateCommand, explain];

/** A fake io whose files are the real ones (for --history and the saved scenario). */
function io(): FakeIo {
  const f = fakeIo();
  f.readFile = (p) => Promise.resolve(readFileSync(p, 'utf8'));
  return f;
}

async function explainRun(...args: string[]): Promise<{ code: number; io: FakeIo }> {
  const out = io();
  const code = await run(
    ['hpa', 'explain', `${NS}/web`, '--kubeconfig', kubeconfig, ...args],
    out,
    commands,
  );
  return { code, io: out };
}

/** A web pod: two containers requesting 200m cpu each, Ready an hour ago unless told. */
const webPod = (
  name: string,
  o: Parameters<typeof pod>[0] extends infer P ? Partial<P> : never = {},
) => pod({ name, namespace: NS, labels: { app: 'web' }, cpuRequest: '200m', ...o });
/** PodMetrics with `milli` cpu in each of the two containers. */
const cpu = (name: string, milli: number) =>
  podMetrics(
    name,
    {
      container1: { cpu: `${milli}m`, memory: '1Mi' },
      container2: { cpu: `${milli}m`, memory: '1Mi' },
    },
    { namespace: NS },
  );

function threeBusyPods(milli: number): void {
  nockHpa(hpaObject());
  nockScale(3);
  nockPods([webPod('web-1'), webPod('web-2'), webPod('web-3')]);
  nockPodMetrics([cpu('web-1', milli), cpu('web-2', milli), cpu('web-3', milli)]);
}

function report(out: FakeIo): ExplainReport {
  return JSON.parse(out.out) as ExplainReport;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('hpa explain: should pass', () => {
  it('scale-up: 90% against a 50% target scales 3 to 6 and says what the threshold is', async () => {
    threeBusyPods(180);
    const { code, io: out } = await explainRun();
    expect(out.err).toBe('');
    expect(code).toBe(0);
    expect(out.out).toContain('decision: scale from 3 to 6 replicas');
    expect(out.out).toContain(
      'cpu resource utilization (percentage of request): 90% vs target 50% (ratio 1.8) -> 6 replicas [proportional]',
    );
    expect(out.out).toMatch(
      /must exceed 55% \(target 50%, tolerance up 10% \/ down 10%\) across 3 ready pods to scale up, or fall below 45% to scale down/,
    );
    expect(out.out).toContain(
      "stabilization used the current replica count (3) as the only remembered recommendation, as on the HPA's first sync",
    );
  });

  it('blocked by stabilization: a remembered recommendation of 3 holds a scale-down to 2 until it ages out', async () => {
    threeBusyPods(40);
    const history = join(dir, 'history.json');
    await writeFile(
      history,
      JSON.stringify({
        recommendations: [{ timestamp: at(-60), replicas: 3 }],
        scaleUpEvents: [],
        scaleDownEvents: [],
      }),
    );
    const { code, io: out } = await explainRun('--history', history, '-o', 'json');
    expect(code).toBe(0);
    const r = report(out);
    expect(r.decision.desiredReplicas).toBe(3);
    expect(r.decision.rescale).toBe(false);
    expect(r.decision.limits?.stabilization).toMatchObject({
      reason: 'ScaleDownStabilized',
      recommendation: 2,
      stabilized: 3,
      downWindowSeconds: 300,
    });
    expect(r.history).toMatchObject({ source: 'file', file: history });
    expect(r.toScale).toContainEqual(
      expect.stringContaining(
        'the scale-down stabilization window (300s) holds 3: the recommendations above 2 age out of it at 2026-01-01T12:04:00.000Z',
      ),
    );
  });

  it('missing metrics: a pod without metrics counts as 0 on a scale-up', async () => {
    nockHpa(hpaObject());
    nockScale(3);
    nockPods([webPod('web-1'), webPod('web-2'), webPod('web-3')]);
    nockPodMetrics([cpu('web-1', 180), cpu('web-2', 180)]);
    const { code, io: out } = await explainRun('-o', 'json');
    expect(code).toBe(0);
    const m = report(out).metrics[0]!;
    expect(m.missingPods).toEqual(['web-3']);
    expect(m.pods).toEqual([
      {
        pod: 'web-3',
        group: 'missing',
        rule: 'no metrics returned for this pod; counted at 0 because the proposal was a scale-up',
      },
    ]);
    expect(report(out).decision.desiredReplicas).toBe(4);
  });

  it('unready pods: Pending, not Ready and still initializing pods are named with their rule', async () => {
    nockHpa(hpaObject());
    nockScale(5);
    nockPods([
      webPod('web-1'),
      webPod('web-2'),
      webPod('web-pending', { phase: 'Pending', ready: 'False', startedSecondsAgo: null }),
      webPod('web-notready', { ready: 'False', startedSecondsAgo: 10 }),
      webPod('web-warming', { startedSecondsAgo: 60, readySinceSecondsAgo: 30 }),
    ]);
    nockPodMetrics([
      cpu('web-1', 180),
      cpu('web-2', 180),
      cpu('web-notready', 10),
      cpu('web-warming', 190),
    ]);
    const { code, io: out } = await explainRun();
    expect(code).toBe(0);
    expect(out.out).toContain(
      'unready web-pending: phase Pending: counted as not ready; counted at 0 because the proposal was a scale-up',
    );
    expect(out.out).toContain(
      'unready web-notready: Ready=False: counted as not ready; counted at 0 because the proposal was a scale-up',
    );
    expect(out.out).toMatch(
      /initializing web-warming: still initializing: within the 300s cpu initialization period/,
    );
    expect(out.out).toContain('ready pods with metrics: 2');
  });

  it('a failing metric API: the external metric fails with 503, the HPA still scales on cpu and reports it', async () => {
    const external = {
      type: 'External',
      external: {
        metric: { name: 'queue_depth' },
        target: { type: 'AverageValue', averageValue: '30' },
      },
    };
    nockHpa(hpaObject({ metrics: [cpuUtilization(50), external] }));
    nockScale(3);
    nockPods([webPod('web-1'), webPod('web-2'), webPod('web-3')]);
    nockPodMetrics([cpu('web-1', 180), cpu('web-2', 180), cpu('web-3', 180)]);
    nockExternalMetric('queue_depth', {
      code: 503,
      body: status(503, 'ServiceUnavailable', 'the prometheus query failed'),
    });
    const { code, io: out } = await explainRun();
    expect(code).toBe(0);
    expect(out.out).toContain('decision: scale from 3 to 6 replicas');
    expect(out.out).toContain(
      'metrics API error: unable to fetch metrics from external metrics API: the prometheus query failed',
    );
    expect(out.out).toContain('external metric queue_depth: FAILED FailedGetExternalMetric');
    expect(out.out).toContain(
      'fix external metric queue_depth: FailedGetExternalMetric: unable to fetch metrics from external metrics API: the prometheus query failed',
    );
  });

  it('a failing metric API: the only metric fails, nothing scales, and the command still succeeds', async () => {
    nockHpa(hpaObject());
    nockScale(3);
    nockPods([webPod('web-1')]);
    nockPodMetrics({
      code: 503,
      body: status(503, 'ServiceUnavailable', 'metrics-server is restarting'),
    });
    const { code, io: out } = await explainRun('-o', 'json');
    expect(code).toBe(0);
    const r = report(out);
    expect(r.decision.rescale).toBe(false);
    expect(r.decision.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
      }),
    );
    expect(r.metrics[0]?.fetchError).toBe(
      'unable to fetch metrics from resource metrics API: metrics-server is restarting',
    );
  });

  it('Pods and Object metrics are read from custom.metrics.k8s.io as the controller asks for them', async () => {
    const podsMetric = {
      type: 'Pods',
      pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } },
    };
    const objectMetric = {
      type: 'Object',
      object: {
        describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' },
        metric: { name: 'requests', selector: { matchLabels: { verb: 'GET' } } },
        target: { type: 'Value', value: '100' },
      },
    };
    nockHpa(hpaObject({ metrics: [podsMetric, objectMetric] }));
    nockScale(3);
    nockPods([webPod('web-1'), webPod('web-2'), webPod('web-3')]);
    nockPodsMetric(
      'rps',
      ['web-1', 'web-2', 'web-3'].map((p) => podMetricValue(p, 'rps', '20', NOW)),
    );
    const object = nock(API_SERVER)
      .get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/services/web/requests')
      .query({ metricLabelSelector: 'verb=GET' })
      .reply(200, {
        kind: 'MetricValueList',
        items: [
          {
            describedObject: { kind: 'Service', namespace: NS, name: 'web', apiVersion: '/v1' },
            metric: { name: 'requests', selector: { matchLabels: { verb: 'GET' } } },
            timestamp: NOW,
            value: '150',
          },
        ],
      });
    const { code, io: out } = await explainRun('-o', 'json');
    expect(code).toBe(0);
    expect(object.isDone()).toBe(true);
    const r = report(out);
    expect(r.metrics.map((m) => [m.ok, m.proposal])).toEqual([
      [true, 6],
      [true, 5],
    ]);
    expect(r.decision.desiredReplicas).toBe(6);
    expect(r.toScale).toContainEqual(
      expect.stringMatching(
        /per pod must exceed 11 \(target 10, tolerance up 10% \/ down 10%\) across 3 ready pods to scale up, or fall below 9 to scale down/,
      ),
    );
  });

  it('--save round trip: hpa evaluate on the saved scenario reproduces the decision', async () => {
    threeBusyPods(180);
    const saved = join(dir, 'scenario.json');
    const { code, io: out } = await explainRun(
      '--save',
      saved,
      '-o',
      'json',
      '--at',
      '2026-01-01T12:00:30Z',
    );
    expect(code).toBe(0);
    expect(out.err).toContain(`'scaleplane hpa evaluate ${saved}' reproduces this decision`);
    const scenario = JSON.parse(readFileSync(saved, 'utf8')) as {
      now: string;
      hpa: { metadata: Record<string, unknown> };
    };
    expect(scenario.now).toBe('2026-01-01T12:00:30Z');
    expect(scenario.hpa.metadata.managedFields).toBeUndefined();
    const evalIo = io();
    expect(await run(['hpa', 'evaluate', saved], evalIo, commands)).toBe(0);
    expect(JSON.parse(evalIo.out)).toEqual(report(out).decision);
  });

  it('-o json: the report has the documented top-level shape', async () => {
    threeBusyPods(100);
    const { code, io: out } = await explainRun('-o', 'json', '--tolerance', '0.2');
    expect(code).toBe(0);
    const r = report(out);
    expect(Object.keys(r).sort()).toEqual(
      [
        'cluster',
        'decision',
        'evaluatedAt',
        'history',
        'hpa',
        'metrics',
        'options',
        'scaleTargetRef',
        'selectedPods',
        'selector',
        'toScale',
        'tolerance',
      ].sort(),
    );
    expect(r).toMatchObject({
      hpa: { namespace: NS, name: 'web' },
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      evaluatedAt: NOW,
      cluster: { server: 'https://127.0.0.1:6443', context: 'test' },
      selector: 'app=web',
      selectedPods: ['web-1', 'web-2', 'web-3'],
      history: { source: 'first-sync' },
      options: {
        tolerance: 0.2,
        cpuInitializationPeriodSeconds: 300,
        initialReadinessDelaySeconds: 30,
        downscaleStabilizationWindowSeconds: 300,
      },
      tolerance: { scaleUp: 0.2, scaleDown: 0.2 },
    });
    expect(r.metrics[0]).toMatchObject({
      ok: true,
      current: '50%',
      target: '50%',
      rule: 'within-tolerance',
      pods: [],
    });
    expect(r.decision.desiredReplicas).toBe(3);
  });
});

describe('hpa explain: should fail', () => {
  const cases: Array<{
    name: string;
    setup: () => void;
    args?: string[];
    code: number;
    err: string;
  }> = [
    {
      name: 'no such HPA',
      setup: () =>
        nockHpa(
          status(404, 'NotFound', 'horizontalpodautoscalers.autoscaling "web" not found'),
          404,
        ),
      code: 1,
      err: 'error: hpa explain: horizontalpodautoscaler "web" not found in namespace "shop": check the name with kubectl get hpa -n shop\n',
    },
    {
      name: 'no metrics API registered',
      setup: () => {
        nockHpa(hpaObject());
        nockScale(3);
        nockPods([webPod('web-1')]);
        nockPodMetrics({ code: 404, body: { message: '404 page not found' } });
        nockMetricsGroup('metrics.k8s.io/v1beta1', false);
      },
      code: 1,
      err: 'error: hpa explain: the metrics.k8s.io API is not registered: install scaleplane (or metrics-server) and check kubectl get apiservice v1beta1.metrics.k8s.io\n',
    },
    {
      name: 'forbidden to read the HPA',
      setup: () =>
        nockHpa(
          status(
            403,
            'Forbidden',
            'horizontalpodautoscalers.autoscaling "web" is forbidden: User "dev" cannot get resource',
          ),
          403,
        ),
      code: 1,
      err: 'error: hpa explain: forbidden: cannot get horizontalpodautoscalers.autoscaling in namespace "shop" (horizontalpodautoscalers.autoscaling "web" is forbidden: User "dev" cannot get resource): grant a Role rule {apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get"]} to this user and check with kubectl auth can-i get horizontalpodautoscalers.autoscaling -n shop\n',
    },
    {
      name: 'forbidden to list pod metrics',
      setup: () => {
        nockHpa(hpaObject());
        nockScale(3);
        nockPods([webPod('web-1')]);
        nockPodMetrics({
          code: 403,
          body: status(403, 'Forbidden', 'pods.metrics.k8s.io is forbidden'),
        });
      },
      code: 1,
      err: 'error: hpa explain: forbidden: cannot list pods.metrics.k8s.io in namespace "shop" (pods.metrics.k8s.io is forbidden): grant a Role rule {apiGroups: ["metrics.k8s.io"], resources: ["pods"], verbs: ["list"]} to this user and check with kubectl auth can-i list pods.metrics.k8s.io -n shop\n',
    },
    {
      name: 'unreachable cluster',
      setup: () =>
        nock('https://127.0.0.1:6443')
          .get(/horizontalpodautoscalers/)
          .replyWithError('connect ECONNREFUSED 127.0.0.1:6443'),
      code: 1,
      err: 'error: hpa explain: cannot reach the Kubernetes API server at https://127.0.0.1:6443 (get horizontalpodautoscalers.autoscaling: connect ECONNREFUSED 127.0.0.1:6443): check --kubeconfig and --context, and that the cluster is running\n',
    },
    {
      name: 'bad --at',
      setup: () => undefined,
      args: ['--at', 'yesterday'],
      code: 2,
      err: 'error: hpa explain: --at: must be an RFC 3339 time such as 2026-01-01T12:00:00Z (got "yesterday")\n',
    },
    {
      name: 'bad --output',
      setup: () => undefined,
      args: ['-o', 'yaml'],
      code: 2,
      err: 'error: hpa explain: --output: must be text or json (got "yaml")\n',
    },
    {
      name: 'unknown --context',
      setup: () => undefined,
      args: ['--context', 'prod'],
      code: 2,
      err: 'error: hpa explain: --context: no context "prod" in the kubeconfig (kubectl config get-contexts lists them)\n',
    },
  ];
  it.each(cases)('$name', async (c) => {
    c.setup();
    const { code, io: out } = await explainRun(...(c.args ?? []));
    expect(out.err).toBe(c.err);
    expect(out.out).toBe('');
    expect(code).toBe(c.code);
  });

  it('a --history file without a history is bad input (exit 2)', async () => {
    const history = join(dir, 'not-history.json');
    await writeFile(history, '{"hello": 1}');
    const { code, io: out } = await explainRun('--history', history);
    expect(code).toBe(2);
    expect(out.err).toContain(
      `--history ${history}: no recommendations, scaleUpEvents or scaleDownEvents found`,
    );
  });

  it('a missing kubeconfig names the fix (exit 1)', async () => {
    const out = io();
    const code = await run(['hpa', 'explain', 'shop/web'], out, commands);
    expect(code).toBe(1);
    expect(out.err).toBe(
      'error: hpa explain: no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config\n',
    );
  });

  it('a cluster that accepts but never answers times out with --request-timeout (exit 1)', async () => {
    // Completes the TLS handshake, then never answers: the case --request-timeout is for.
    const cert = await issue(dir, {
      name: 'silent',
      cn: 'silent-apiserver',
      san: ['IP:127.0.0.1'],
    });
    const server = createServer({ cert: cert.certPem, key: cert.keyPem }, () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const kc = join(dir, 'silent-kubeconfig');
    writeFileSync(
      kc,
      readFileSync(kubeconfig, 'utf8').replace(
        'https://127.0.0.1:6443',
        `https://127.0.0.1:${port}`,
      ),
    );
    nock.enableNetConnect('127.0.0.1');
    try {
      const out = io();
      const code = await run(
        ['hpa', 'explain', 'shop/web', '--kubeconfig', kc, '--request-timeout', '200ms'],
        out,
        commands,
      );
      expect(code).toBe(1);
      expect(out.err).toBe(
        `error: hpa explain: cannot reach the Kubernetes API server at https://127.0.0.1:${port} (get horizontalpodautoscalers.autoscaling: no answer within 200ms): check --kubeconfig and --context, and that the cluster is running\n`,
      );
    } finally {
      nock.disableNetConnect();
      server.close();
    }
  });
});
