/**
 * The config file (prometheus-adapter rules kept verbatim), the Service, the ServiceMonitor and the
 * wiring between them and the Deployment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../support/helm.js';
import {
  chartDir,
  ensureHelm,
  getObject,
  helmTemplate,
  ofKind,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

function configFile(objects: K8sObject[]): unknown {
  return parse(getObject<V1ConfigMap>(objects, 'ConfigMap').data!['config.yaml']!);
}

describe('ConfigMap', () => {
  it('carries the prometheus-adapter rules of ci/all-apis.yaml unchanged', async () => {
    const objects = await helmTemplate({ valuesFiles: ['ci/all-apis.yaml'] });
    const values = parse(readCi('all-apis.yaml')) as Record<string, unknown>;
    expect(configFile(objects)).toEqual({
      rules: values.rules,
      externalRules: values.externalRules,
    });
  });

  it('adds resourceRules and other config keys', async () => {
    const resourceRules = {
      cpu: {
        containerQuery:
          'sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>}[3m])) by (<<.GroupBy>>)',
        nodeQuery: 'sum(rate(node_cpu_seconds_total{<<.LabelMatchers>>}[3m])) by (<<.GroupBy>>)',
        resources: { overrides: { node: { resource: 'node' } } },
        containerLabel: 'container',
      },
      memory: {
        containerQuery:
          'sum(container_memory_working_set_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
        nodeQuery: 'sum(node_memory_MemTotal_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
        containerLabel: 'container',
      },
      window: '3m',
    };
    const objects = await helmTemplate({
      values: { resourceRules, config: { kubeletMaxBodyBytes: 1024 } },
    });
    expect(configFile(objects)).toEqual({ kubeletMaxBodyBytes: 1024, rules: [], resourceRules });
  });

  it('rolls the pods when the config changes', async () => {
    const checksum = async (values: unknown) =>
      getObject<V1Deployment>(await helmTemplate({ values }), 'Deployment').spec!.template.metadata!
        .annotations!['checksum/config'];
    const before = await checksum({});
    expect(before).toMatch(/^[a-f0-9]{64}$/);
    expect(await checksum({})).toBe(before);
    expect(await checksum({ rules: [{ seriesQuery: 'up' }] })).not.toBe(before);
  });

  it('is mounted where --config points', async () => {
    const objects = await helmTemplate();
    const pod = getObject<V1Deployment>(objects, 'Deployment').spec!.template.spec!;
    expect(pod.volumes!.find((v) => v.name === 'config')?.configMap?.name).toBe(
      getObject<V1ConfigMap>(objects, 'ConfigMap').metadata!.name,
    );
    expect(pod.containers[0]!.volumeMounts!.find((m) => m.name === 'config')?.mountPath).toBe(
      '/etc/scaleplane',
    );
    expect(pod.containers[0]!.args).toContain('--config=/etc/scaleplane/config.yaml');
  });
});

describe('Service', () => {
  it('exposes 443 to the https container port and selects only the pods', async () => {
    const objects = await helmTemplate();
    const service = getObject<V1Service>(objects, 'Service');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }],
      selector: getObject<V1Deployment>(objects, 'Deployment').spec!.selector.matchLabels,
    });
  });
});

describe('ServiceMonitor', () => {
  const cases = [
    {
      name: 'generate: verifies with the CA from the serving Secret',
      values: { serviceMonitor: { enabled: true } },
      tlsConfig: {
        serverName: 'sp-scaleplane.monitoring.svc',
        ca: { secret: { name: 'sp-scaleplane-tls', key: 'ca.crt' } },
      },
    },
    {
      name: 'existingSecret: skips verification unless told otherwise',
      values: {
        serviceMonitor: { enabled: true },
        tls: {
          mode: 'existingSecret',
          existingSecret: {
            name: 'mine',
            caBundle: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
          },
        },
      },
      tlsConfig: { insecureSkipVerify: true },
    },
    {
      name: 'explicit tlsConfig wins',
      values: {
        serviceMonitor: {
          enabled: true,
          tlsConfig: { serverName: 'x', ca: { configMap: { name: 'ca', key: 'ca.crt' } } },
        },
      },
      tlsConfig: { serverName: 'x', ca: { configMap: { name: 'ca', key: 'ca.crt' } } },
    },
  ];

  it.each(cases)('$name', async ({ values, tlsConfig }) => {
    const monitor = getObject<K8sObject>(await helmTemplate({ values }), 'ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.spec).toMatchObject({
      endpoints: [
        {
          port: 'https',
          path: '/metrics',
          scheme: 'https',
          interval: '1m',
          scrapeTimeout: '10s',
          // Issue 14 item 7: per-HPA series keep their own namespace label.
          honorLabels: true,
          tlsConfig,
        },
      ],
    });
  });

  it('is absent by default', async () => {
    expect(ofKind(await helmTemplate(), 'ServiceMonitor')).toEqual([]);
  });
});

function readCi(file: string): string {
  return readFileSync(join(chartDir, 'ci', file), 'utf8');
}
