/**
 * Values files written for the prometheus-community prometheus-adapter chart and the
 * kubernetes-sigs metrics-server chart (test/charts/peer-values, keys and shapes of those charts'
 * values.yaml) install scaleplane: `helm lint --strict` passes, each peer value maps to the
 * expected args and objects, the rendered args and config pass scaleplane's own parser, and peer
 * values without a meaning fail the render naming the value and the way out.
 */
import type {
  V1APIService,
  V1ConfigMap,
  V1Deployment,
  V1PodDisruptionBudget,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeConfig, rulesDocumentIssues } from '../../src/config/index.js';
import {
  chartDir,
  ensureHelm,
  getObject,
  helmTemplate,
  helmTemplateRaw,
  ofKind,
  runHelm,
  TOOL_BUILD_TIMEOUT_MS,
  type K8sObject,
} from '../support/helm.js';

const peerDir = join(import.meta.dirname, 'peer-values');
const file = (name: string): string => join(peerDir, name);

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

function deploymentOf(objects: readonly K8sObject[]): V1Deployment {
  return ofKind<V1Deployment>(objects, 'Deployment')[0]!;
}

function configOf(objects: readonly K8sObject[]): Record<string, unknown> | undefined {
  const cm = ofKind<V1ConfigMap>(objects, 'ConfigMap')[0];
  return cm ? (parseYaml(cm.data!['config.yaml']!) as Record<string, unknown>) : undefined;
}

/** Parses the rendered args (and config) as the container would start. */
function parseRendered(objects: readonly K8sObject[], configText: string) {
  const args = deploymentOf(objects).spec!.template.spec!.containers[0]!.args!;
  return parseServeConfig(args.slice(1), () => configText, rulesDocumentIssues);
}

const valueFiles = [
  'prometheus-adapter.yaml',
  'prometheus-adapter-resource.yaml',
  'prometheus-adapter-existing.yaml',
  'metrics-server.yaml',
];

describe('peer values files: helm lint --strict', () => {
  it.each(valueFiles.map((name) => ({ name })))('$name', async ({ name }) => {
    const result = await runHelm(['lint', '--strict', chartDir, '-f', file(name)]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('prometheus-adapter chart values', () => {
  it('prometheus-adapter.yaml: URL, rules, flags and pod settings map', async () => {
    const objects = await helmTemplate({
      valuesFiles: [file('prometheus-adapter.yaml')],
      namespace: 'monitoring',
    });
    const d = deploymentOf(objects);
    const pod = d.spec!.template.spec!;
    const args = pod.containers[0]!.args!;
    expect(args).toEqual(
      expect.arrayContaining([
        '--prometheus-url=http://prometheus-server.monitoring.svc:80/prometheus',
        '--metrics-relist-interval=1m',
        '--v=6',
        '--secure-port=6443',
        '--prometheus-header=X-Scope-OrgID: tenant-a',
        '--metrics-max-age=5m',
      ]),
    );
    expect(d.spec!.replicas).toBe(2);
    expect(d.spec!.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(d.metadata!.labels).toMatchObject({ monitoring: 'prometheus-adapter' });
    expect(pod).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      serviceAccountName: 'custom-metrics-apiserver',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      securityContext: { fsGroup: 10001 },
    });
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
    expect(d.spec!.template.metadata!.labels).toMatchObject({ team: 'platform' });
    expect(d.spec!.template.metadata!.annotations).toMatchObject({
      'example.com/owner': 'platform',
    });
    const sa = ofKind<V1ServiceAccount>(objects, 'ServiceAccount')[0]!;
    expect(sa.metadata!.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/adapter',
    });
    const pdb = ofKind<V1PodDisruptionBudget>(objects, 'PodDisruptionBudget')[0]!;
    expect(pdb.spec!.maxUnavailable).toBe(1);

    const config = configOf(objects)!;
    const rules = config.rules as Array<{ seriesQuery: string; name?: { as?: string } }>;
    // The chart's six default rules, then the custom one.
    expect(rules).toHaveLength(7);
    expect(rules[0]!.seriesQuery).toBe(
      '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}',
    );
    expect(rules[6]!.name?.as).toBe('${1}_per_second');
    expect(config.externalRules).toHaveLength(1);
    expect(config.resourceRules).toBeUndefined();

    const cm = ofKind<V1ConfigMap>(objects, 'ConfigMap')[0]!;
    const parsed = parseRendered(objects, cm.data!['config.yaml']!);
    expect(parsed.issues).toBeUndefined();
    expect(parsed.config?.prometheus.url).toBe(
      'http://prometheus-server.monitoring.svc:80/prometheus',
    );
  });

  it('prometheus-adapter-resource.yaml: rules.resource becomes resourceRules; certManager.enabled the cert-manager mode', async () => {
    const objects = await helmTemplate({
      valuesFiles: [file('prometheus-adapter-resource.yaml')],
    });
    const config = configOf(objects)!;
    expect(config.rules).toEqual([]);
    expect(config.resourceRules).toMatchObject({
      window: '3m',
      cpu: { containerLabel: 'container' },
    });
    expect(ofKind<K8sObject>(objects, 'Certificate')[0]).toMatchObject({
      spec: { duration: '2160h' },
    });
    const api = ofKind<V1APIService>(objects, 'APIService')[0]!;
    expect(api.metadata!.annotations).toHaveProperty('cert-manager.io/inject-ca-from');
    const cm = ofKind<V1ConfigMap>(objects, 'ConfigMap')[0]!;
    expect(parseRendered(objects, cm.data!['config.yaml']!).issues).toBeUndefined();
  });

  it('prometheus-adapter-existing.yaml: rules.existing is mounted instead of the chart ConfigMap', async () => {
    const objects = await helmTemplate({
      valuesFiles: [file('prometheus-adapter-existing.yaml')],
    });
    expect(ofKind<V1ConfigMap>(objects, 'ConfigMap')).toEqual([]);
    const volumes = deploymentOf(objects).spec!.template.spec!.volumes!;
    expect(volumes.find((v) => v.name === 'config')?.configMap?.name).toBe('adapter-config');
    const args = deploymentOf(objects).spec!.template.spec!.containers[0]!.args!;
    expect(args).toContain('--config=/etc/scaleplane/config.yaml');
    expect(args).toContain('--prometheus-url=http://prometheus.monitoring.svc:9090');
  });
});

describe('metrics-server chart values', () => {
  it('metrics-server.yaml: args, apiService, host network, pod and PDB settings map', async () => {
    const objects = await helmTemplate({ valuesFiles: [file('metrics-server.yaml')] });
    const d = deploymentOf(objects);
    const pod = d.spec!.template.spec!;
    const args = pod.containers[0]!.args!;
    // defaultArgs, then args, after the chart's own flags (later flags win), then metrics.enabled.
    expect(args.slice(-6)).toEqual([
      '--cert-dir=/tmp',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      '--kubelet-use-node-status-port',
      '--metric-resolution=15s',
      '--kubelet-insecure-tls',
      '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    ]);
    expect(args).toContain('--secure-port=10250');
    expect(pod.containers[0]!.ports![0]!.containerPort).toBe(10250);
    expect(pod).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
    });
    expect(pod.schedulerName).toBeUndefined();
    expect(pod.volumes!.find((v) => v.name === 'tmp')).toEqual({
      name: 'tmp',
      emptyDir: { medium: 'Memory' },
    });
    expect(d.spec!.revisionHistoryLimit).toBe(10);
    expect(d.spec!.strategy).toMatchObject({ rollingUpdate: { maxSurge: 0 } });
    const apis = ofKind<V1APIService>(objects, 'APIService');
    const metricsApi = apis.find((a) => a.spec!.group === 'metrics.k8s.io')!;
    expect(metricsApi.metadata!.annotations).toEqual({ 'example.com/owner': 'platform' });
    // The chart's generated CA is verified; insecureSkipTLSVerify=true is warned about, not applied.
    expect(metricsApi.spec!.insecureSkipTLSVerify).toBeUndefined();
    expect(metricsApi.spec!.caBundle).toBeTruthy();
    const pdb = ofKind<V1PodDisruptionBudget>(objects, 'PodDisruptionBudget')[0]!;
    expect(pdb.spec!.minAvailable).toBe(1);

    const cm = ofKind<V1ConfigMap>(objects, 'ConfigMap')[0]!;
    const parsed = parseRendered(objects, cm.data!['config.yaml']!);
    expect(parsed.issues).toBeUndefined();
    expect(parsed.config?.kubelet.insecureTls).toBe(true);
    expect(parsed.config?.serving.alwaysAllowPaths).toContain('/metrics');
  });

  it('apiService.create=false drops the metrics.k8s.io APIService', async () => {
    const objects = await helmTemplate({
      valuesFiles: [file('metrics-server.yaml')],
      values: { apiService: { create: false } },
    });
    const groups = ofKind<V1APIService>(objects, 'APIService').map((a) => a.spec!.group);
    expect(groups).not.toContain('metrics.k8s.io');
  });
});

describe('peer values: NOTES.txt names what is accepted without effect', () => {
  // helm renders NOTES only on install/upgrade; a probe template in a copy of the chart includes it
  // by name so `helm template` renders it (as chart.test.ts does).
  let probeChart = '';
  beforeAll(() => {
    probeChart = mkdtempSync(join(tmpdir(), 'scaleplane-peer-notes-'));
    cpSync(chartDir, probeChart, { recursive: true });
    writeFileSync(
      join(probeChart, 'templates', 'zz-notes-probe.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-probe\ndata:\n  notes: {{ include "scaleplane/templates/NOTES.txt" . | quote }}\n',
    );
  });
  afterAll(() => rmSync(probeChart, { recursive: true, force: true }));

  it.each([
    {
      name: 'apiService.insecureSkipTLSVerify and certManager.caCertDuration',
      values: {
        apiService: { insecureSkipTLSVerify: true },
        certManager: { enabled: true, caCertDuration: '43800h' },
      },
      want: ['apiService.insecureSkipTLSVerify=true is not applied', 'certManager.caCertDuration'],
    },
    {
      name: 'rules.default with rules.existing',
      values: { rules: { default: true, existing: 'cm' } },
      want: ['rules.default=true is not applied', 'rules.existing mounts ConfigMap cm'],
    },
    {
      name: 'no peer values: no peer warning',
      values: {},
      want: [],
    },
  ])('$name', async ({ values, want }) => {
    const objects = await helmTemplate({
      chart: probeChart,
      values,
      extraArgs: ['--show-only', 'templates/zz-notes-probe.yaml'],
    });
    const notes = getObject<{ data: { notes: string } }>(objects, 'ConfigMap', 'notes-probe').data
      .notes;
    for (const text of want) expect(notes).toContain(text);
    if (want.length === 0) expect(notes).not.toContain('accepted without effect');
  });
});

describe('peer values: should fail with the reason', () => {
  const cases = [
    {
      name: "the peer's image",
      values: { image: { repository: 'registry.k8s.io/metrics-server/metrics-server' } },
      message: "is the peer's image",
    },
    {
      name: 'prometheus-adapter image',
      values: { image: { repository: 'registry.k8s.io/prometheus-adapter/prometheus-adapter' } },
      message: "is the peer's image",
    },
    {
      name: 'PodSecurityPolicy (psp.create)',
      values: { psp: { create: true } },
      message: 'PodSecurityPolicy was removed',
    },
    {
      name: 'PodSecurityPolicy (rbac.pspEnabled)',
      values: { rbac: { pspEnabled: true } },
      message: 'PodSecurityPolicy was removed',
    },
    {
      name: 'addon-resizer',
      values: { addonResizer: { enabled: true } },
      message: 'ships no addon-resizer',
    },
    {
      name: 'inline TLS (tls.enable)',
      values: { tls: { enable: true, certificate: 'x', key: 'y', ca: 'z' } },
      message: 'tls.mode=existingSecret',
    },
    {
      name: 'rules.existing with custom rules',
      values: { rules: { existing: 'cm', custom: [{ seriesQuery: 'up' }] } },
      message: 'rules.existing mounts that ConfigMap',
    },
    {
      name: 'apiService.caBundle (the CA of a certificate the user manages)',
      values: { apiService: { caBundle: 'PEM' } },
      message: 'tls.existingSecret.caBundle',
    },
    {
      name: 'prometheus.port without prometheus.url',
      values: { prometheus: { port: 9090 } },
      message: 'prometheus.port and prometheus.path complete prometheus.url',
    },
    {
      name: 'an unknown prometheus-adapter rules key (schema)',
      values: { rules: { defaults: true } },
      message: 'rules',
    },
  ];

  it.each(cases)('$name', async ({ values, message }) => {
    const result = await helmTemplateRaw({ values });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});
