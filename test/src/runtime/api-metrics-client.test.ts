import { describe, expect, it } from 'vitest';
import {
  KubeApiError,
  MetricsApiClient,
  type KubeApi,
  type KubeRequest,
} from '../../../src/cluster/index.js';
import { everything, formatDuration, parseSelector, Quantity } from '../../../src/k8s/index.js';
import { ApiMetricsClient } from '../../../src/runtime/api-metrics-client.js';
import { ExplainError, MetricsReadError, rfc3339 } from '../../../src/runtime/index.js';
import { runMetricsClientContract, type World } from '../../contract/metrics-client.case.js';

const notFound = (path: string): KubeApiError =>
  new KubeApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    'GET',
    path,
  );

const list = (items: unknown[]) => ({ items });
const matches = (selector: string | undefined, labels: Record<string, string> | undefined) =>
  parseSelector(selector ?? '').matches(labels);

/**
 * The world as the metrics APIs serve it (metrics-server: cpu in `n`, memory in bytes;
 * prometheus-adapter: milli quantities), answered without HTTP through the KubeApi seam.
 */
class WorldApi implements KubeApi {
  failure: KubeApiError | undefined;
  constructor(private readonly w: World) {}

  async request<T>(req: KubeRequest): Promise<T> {
    await Promise.resolve();
    if (this.failure !== undefined) throw this.failure;
    return this.answer(req.path, req.query ?? {}) as T;
  }

  private podSelected(ns: string, name: string, selector: string | undefined): boolean {
    const pod = this.w.pods.find((p) => p.namespace === ns && p.name === name);
    return pod !== undefined && matches(selector, pod.labels);
  }

  private customItems(series: World['custom']) {
    return series.map((s) => ({
      describedObject: {
        kind: s.kind,
        name: s.name,
        ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
        apiVersion: s.apiVersion,
      },
      metric: { name: s.metric },
      timestamp: rfc3339(s.timestampMs),
      ...(s.windowSeconds === undefined ? {} : { windowSeconds: s.windowSeconds }),
      value: Quantity.fromNumber(s.value).toString(),
    }));
  }

  private answer(path: string, q: Readonly<Record<string, string | undefined>>): unknown {
    const parts = path.split('/').map(decodeURIComponent);
    // /apis/{group}/{version}: the group is registered.
    if (parts.length === 4) return {};
    const [, , group, , , ns = '', ...rest] = parts;
    const metricSelector = q.metricLabelSelector;
    if (group === 'metrics.k8s.io') {
      return list(
        this.w.usage
          .filter((u) => u.namespace === ns && this.podSelected(ns, u.pod, q.labelSelector))
          .map((u) => ({
            metadata: { name: u.pod, namespace: u.namespace },
            timestamp: rfc3339(u.timestampMs),
            window: formatDuration(u.windowMs),
            containers: u.containers.map((c) => ({
              name: c.name,
              usage: {
                cpu: `${c.cpuNanoCores}n`,
                memory: Quantity.fromValue(c.memoryBytes, 'BinarySI').toString(),
              },
            })),
          })),
      );
    }
    if (group === 'external.metrics.k8s.io') {
      return list(
        this.w.external
          .filter(
            (e) => e.namespace === ns && e.metric === rest[0] && matches(q.labelSelector, e.labels),
          )
          .map((e) => ({
            metricName: e.metric,
            metricLabels: e.labels,
            timestamp: rfc3339(e.timestampMs),
            value: Quantity.fromNumber(e.value).toString(),
          })),
      );
    }
    const series = this.w.custom.filter((s) => matches(metricSelector, s.labels));
    if (rest[0] === 'pods' && rest[1] === '*') {
      return list(
        this.customItems(
          series.filter(
            (s) =>
              s.resource === 'pods' &&
              s.namespace === ns &&
              s.metric === rest[2] &&
              this.podSelected(ns, s.name, q.labelSelector),
          ),
        ),
      );
    }
    const found =
      rest[0] === 'metrics'
        ? series.filter((s) => s.resource === 'namespaces' && s.name === ns && s.metric === rest[1])
        : series.filter(
            (s) =>
              `${s.resource}${s.group === '' ? '' : `.${s.group}`}` === rest[0] &&
              s.namespace === ns &&
              s.name === rest[1] &&
              s.metric === rest[2],
          );
    // custom-metrics-apiserver answers NotFound for an object without the metric.
    if (found.length === 0) throw notFound(path);
    return list(this.customItems(found));
  }
}

function clientOver(api: KubeApi): ApiMetricsClient {
  return new ApiMetricsClient({
    metrics: new MetricsApiClient({ api }),
    discovery: { resourceForKind: () => Promise.resolve(undefined) },
    server: 'https://127.0.0.1:6443',
  });
}

runMetricsClientContract('ApiMetricsClient', (w) => clientOver(new WorldApi(w)));

describe('ApiMetricsClient: failures as the controller words them', () => {
  const empty: World = { pods: [], usage: [], custom: [], external: [] };

  it('a failing API is a MetricsReadError "unable to fetch metrics from <api>"', async () => {
    const api = new WorldApi(empty);
    api.failure = new KubeApiError(503, 'ServiceUnavailable', 'query failed', 'GET', '/x');
    const err: unknown = await clientOver(api)
      .getExternalMetric('depth', 'shop', everything)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricsReadError);
    expect((err as Error).message).toBe(
      'unable to fetch metrics from external metrics API: query failed',
    );
  });

  it('a 403 ends the command with the RBAC rule to grant', async () => {
    const api = new WorldApi(empty);
    api.failure = new KubeApiError(403, 'Forbidden', 'no', 'GET', '/x');
    const err: unknown = await clientOver(api)
      .getResourceMetric('cpu', 'shop', everything, '')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainError);
    expect((err as Error).message).toContain('cannot list pods.metrics.k8s.io');
  });

  it('keeps the items as served, one pod list for every resource metric', async () => {
    let lists = 0;
    const inner = new WorldApi({
      pods: [{ namespace: 'shop', name: 'a', labels: {} }],
      usage: [
        {
          namespace: 'shop',
          pod: 'a',
          timestampMs: 0,
          windowMs: 30_000,
          containers: [{ name: 'c', cpuNanoCores: 1, memoryBytes: 1 }],
        },
      ],
      custom: [],
      external: [],
    });
    const client = clientOver({
      request: <T>(req: KubeRequest) => {
        if (req.path.endsWith('/pods')) lists++;
        return inner.request<T>(req);
      },
    });
    await client.getResourceMetric('cpu', 'shop', everything, '');
    await client.getResourceMetric('memory', 'shop', everything, '');
    expect(lists).toBe(1);
    expect(client.served.podMetrics.map((p) => p.metadata.name)).toEqual(['a']);
  });
});
