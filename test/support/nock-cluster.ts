/**
 * A fake cluster for `hpa explain` at https://127.0.0.1:6443 (nock): a kubeconfig file pointing
 * there, the autoscaling/v2 HPA, discovery and the Deployment's /scale, the pods list, and the three
 * metrics APIs, each call intercepted only with the query the controller would send and with the
 * kubeconfig's bearer token.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  V2HorizontalPodAutoscaler,
  V2HorizontalPodAutoscalerBehavior,
  V2MetricSpec,
} from '@kubernetes/client-node';
import nock from 'nock';
import { API_SERVER, API_TOKEN, nockDiscovery } from './fake-cluster-api.js';

export { API_SERVER } from './fake-cluster-api.js';

export const NS = 'shop';
export const HPA_NAME = 'web';
export const SELECTOR = 'app=web';

/** Writes a kubeconfig for {@link API_SERVER} with the test token; returns its path. */
export function writeTestKubeconfig(dir = mkdtempSync(join(tmpdir(), 'explain-kc-'))): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test`,
      `  cluster: {server: "${API_SERVER}", insecure-skip-tls-verify: true}`,
      'users:',
      `- name: sa`,
      `  user: {token: ${API_TOKEN}}`,
      'contexts:',
      `- name: test`,
      `  context: {cluster: test, user: sa, namespace: ${NS}}`,
      'current-context: test',
      '',
    ].join('\n'),
  );
  return file;
}

function api(): nock.Scope {
  return nock(API_SERVER, { reqheaders: { authorization: `Bearer ${API_TOKEN}` } });
}

/** A Status body as the API server sends with an error code. */
export function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

/** An autoscaling/v2 HPA on Deployment `web`. */
export function hpaObject(
  o: {
    metrics?: V2MetricSpec[];
    min?: number;
    max?: number;
    behavior?: V2HorizontalPodAutoscalerBehavior;
  } = {},
): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: HPA_NAME,
      namespace: NS,
      uid: 'hpa-uid',
      resourceVersion: '7',
      managedFields: [{ manager: 'kubectl' }],
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: o.min ?? 1,
      maxReplicas: o.max ?? 10,
      metrics: o.metrics ?? [cpuUtilization(50)],
      ...(o.behavior === undefined ? {} : { behavior: o.behavior }),
    },
  };
}

export function cpuUtilization(percent: number): V2MetricSpec {
  return {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
  };
}

/** GET of the HPA: the object, or an error Status with `code`. */
export function nockHpa(body: object, code = 200): nock.Scope {
  return api()
    .get(`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${HPA_NAME}`)
    .reply(code, body);
}

/** Discovery plus the Deployment's autoscaling/v1 Scale. */
export function nockScale(
  specReplicas: number,
  statusReplicas = specReplicas,
  selector = SELECTOR,
): nock.Scope {
  nockDiscovery();
  return api()
    .get(`/apis/apps/v1/namespaces/${NS}/deployments/web/scale`)
    .reply(200, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: NS },
      spec: { replicas: specReplicas },
      status: { replicas: statusReplicas, selector },
    });
}

/** The pods list by the scale selector. */
export function nockPods(pods: unknown[], selector = SELECTOR): nock.Scope {
  return api()
    .get(`/api/v1/namespaces/${NS}/pods`)
    .query({ labelSelector: selector })
    .reply(200, {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '9' },
      items: pods,
    });
}

/** metrics.k8s.io PodMetrics list by the scale selector; an error Status with `code` otherwise. */
export function nockPodMetrics(
  items: unknown[] | { code: number; body: object },
  selector = SELECTOR,
): nock.Scope {
  const scope = api()
    .get(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`)
    .query({ labelSelector: selector });
  return Array.isArray(items)
    ? scope.reply(200, {
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {},
        items,
      })
    : scope.reply(items.code, items.body);
}

/** The group-version discovery document of a metrics API: registered (200) or not (404). */
export function nockMetricsGroup(groupVersion: string, registered: boolean): nock.Scope {
  const scope = api().get(`/apis/${groupVersion}`);
  return registered
    ? scope.reply(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: [] })
    : scope.reply(404, '404 page not found');
}

/** custom.metrics.k8s.io v1beta2 `pods/*` values of `metric` for the scale selector. */
export function nockPodsMetric(metric: string, items: unknown[], selector = SELECTOR): nock.Scope {
  return api()
    .get(`/apis/custom.metrics.k8s.io/v1beta2/namespaces/${NS}/pods/*/${metric}`)
    .query({ labelSelector: selector })
    .reply(200, {
      kind: 'MetricValueList',
      apiVersion: 'custom.metrics.k8s.io/v1beta2',
      metadata: {},
      items,
    });
}

/** external.metrics.k8s.io values of `metric`, or an error Status with `code`. */
export function nockExternalMetric(
  metric: string,
  reply: unknown[] | { code: number; body: object },
  labelSelector?: string,
): nock.Scope {
  const scope = api()
    .get(`/apis/external.metrics.k8s.io/v1beta1/namespaces/${NS}/${metric}`)
    .query((q) => q.labelSelector === labelSelector);
  return Array.isArray(reply)
    ? scope.reply(200, {
        kind: 'ExternalMetricValueList',
        apiVersion: 'external.metrics.k8s.io/v1beta1',
        metadata: {},
        items: reply,
      })
    : scope.reply(reply.code, reply.body);
}

/** A custom metric value of pod `name`. */
export function podMetricValue(
  name: string,
  metric: string,
  value: string,
  timestamp: string,
): object {
  return {
    describedObject: { kind: 'Pod', namespace: NS, name, apiVersion: '/v1' },
    metric: { name: metric },
    timestamp,
    windowSeconds: 60,
    value,
  };
}
