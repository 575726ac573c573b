import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeMetricsValue, PodMetricsValue } from '../../../src/store/index.js';
import { FakeClusterView, node, pod } from '../../support/fake-cluster.js';
import { FakeResourceMetrics, metricsFromFixtures } from '../../support/fake-readers.js';
import { readFixture } from '../../support/fixtures.js';
import { json, startApp, type Running } from '../serve.js';
import type { ListDoc, NodeMetricsDoc, ObjectMetaDoc, PodMetricsDoc, TableDoc } from '../docs.js';
import { shapeIssues } from '../shapes.js';

const T = Date.UTC(2024, 4, 1, 11, 59, 30, 750);
const usage = (cpuNanoCores: number, memoryBytes: number) => ({ cpuNanoCores, memoryBytes });
const nodeValue = (name: string, cpu: number, mem: number): NodeMetricsValue => ({
  name,
  timestampMs: T,
  windowMs: 15_000,
  usage: usage(cpu, mem),
});
const podValue = (
  namespace: string,
  name: string,
  ...containers: [string, number, number][]
): PodMetricsValue => ({
  namespace,
  name,
  timestampMs: T,
  windowMs: 15_000,
  containers: containers.map(([c, cpu, mem]) => ({ name: c, usage: usage(cpu, mem) })),
});

const cluster = new FakeClusterView({
  nodes: [
    node('n2', { role: 'worker' }),
    node('n1', { role: 'control' }),
    node('n3', { role: 'worker' }),
  ],
  pods: [
    pod('default', 'web-2', { app: 'web' }),
    pod('default', 'web-1', { app: 'web' }),
    pod('default', 'db-0', { app: 'db' }),
    pod('default', 'idle', { app: 'idle' }),
    pod('kube-system', 'dns-0', { app: 'dns' }),
  ],
});
const reader = new FakeResourceMetrics(
  [nodeValue('n1', 250_000_000, 2 * 1024 ** 3), nodeValue('n2', 1_500_000_000, 1000)],
  [
    podValue('default', 'web-1', ['app', 704_595, 24716 * 1024], ['sidecar', 1_000_000, 1024 ** 2]),
    podValue('default', 'web-2', ['app', 2_000_000_000, 512 * 1024 ** 2]),
    podValue('default', 'db-0', ['db', 1, 1]),
    podValue('kube-system', 'dns-0', ['dns', 36247, 7552 * 1024]),
    podValue('gone', 'orphan', ['x', 1, 1]),
  ],
);

const BASE = '/apis/metrics.k8s.io/v1beta1';
const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
let app: Running;

beforeAll(async () => {
  app = await startApp({ resource: reader, cluster });
});
afterAll(async () => {
  await app.close();
});

const names = (body: ListDoc<{ metadata: ObjectMetaDoc }>): string[] =>
  body.items.map((i) =>
    i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name,
  );

describe('metrics.k8s.io: should pass', () => {
  const lists = [
    { name: 'GET for all nodes', path: '/nodes', kind: 'NodeMetricsList', want: ['n1', 'n2'] },
    {
      name: 'GET for label selected nodes',
      path: '/nodes?labelSelector=role%3Dworker',
      kind: 'NodeMetricsList',
      want: ['n2'],
    },
    {
      name: 'GET for nodes by field selector',
      path: '/nodes?fieldSelector=metadata.name%3Dn2',
      kind: 'NodeMetricsList',
      want: ['n2'],
    },
    {
      name: 'GET for nodes by namespace field (nodes have none)',
      path: '/nodes?fieldSelector=metadata.namespace%3Dx',
      kind: 'NodeMetricsList',
      want: [],
    },
    {
      name: 'GET for pods in all namespaces',
      path: '/pods',
      kind: 'PodMetricsList',
      want: ['default/db-0', 'default/web-1', 'default/web-2', 'kube-system/dns-0'],
    },
    {
      name: 'GET for pods (namespaced)',
      path: '/namespaces/default/pods',
      kind: 'PodMetricsList',
      want: ['default/db-0', 'default/web-1', 'default/web-2'],
    },
    {
      name: 'GET for label selected pods (namespaced)',
      path: '/namespaces/default/pods?labelSelector=app%20in%20(web)',
      kind: 'PodMetricsList',
      want: ['default/web-1', 'default/web-2'],
    },
    {
      name: 'GET for pods by name field',
      path: '/namespaces/default/pods?fieldSelector=metadata.name%3Dweb-1',
      kind: 'PodMetricsList',
      want: ['default/web-1'],
    },
    {
      name: 'GET for pods by namespace field in all namespaces',
      path: '/pods?fieldSelector=metadata.namespace%3Dkube-system',
      kind: 'PodMetricsList',
      want: ['kube-system/dns-0'],
    },
    {
      name: 'GET for pods with a set-based selector and negation',
      path: '/pods?labelSelector=app!%3Dweb',
      kind: 'PodMetricsList',
      want: ['default/db-0', 'kube-system/dns-0'],
    },
    {
      name: 'GET for pods in an empty namespace',
      path: '/namespaces/empty/pods',
      kind: 'PodMetricsList',
      want: [],
    },
    {
      name: 'limit and resourceVersion are accepted and ignored',
      path: '/pods?limit=1&resourceVersion=0',
      kind: 'PodMetricsList',
      want: ['default/db-0', 'default/web-1', 'default/web-2', 'kube-system/dns-0'],
    },
  ] as const;

  it.each(lists)('$name', async ({ path, kind, want }) => {
    const { code, type, body } = await json<ListDoc<{ metadata: ObjectMetaDoc }>>(
      await app.get(`${BASE}${path}`),
    );
    expect(code).toBe(200);
    expect(type).toBe('application/json');
    expect(shapeIssues(kind, body)).toEqual([]);
    expect(names(body)).toEqual(want);
  });

  it('GET for a single node writes NodeMetrics with labels, creation time and quantities', async () => {
    const { code, body } = await json<NodeMetricsDoc>(await app.get(`${BASE}/nodes/n1`));
    expect(code).toBe(200);
    expect(shapeIssues('NodeMetrics', body)).toEqual([]);
    expect(body).toEqual({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {
        name: 'n1',
        creationTimestamp: '2024-05-01T12:00:00Z',
        labels: { role: 'control' },
      },
      timestamp: '2024-05-01T11:59:30Z',
      window: '15s',
      usage: { cpu: '250m', memory: '2Gi' },
    });
  });

  it('GET for a single pod writes PodMetrics with every container in order', async () => {
    const { code, body } = await json<PodMetricsDoc>(
      await app.get(`${BASE}/namespaces/default/pods/web-1`),
    );
    expect(code).toBe(200);
    expect(shapeIssues('PodMetrics', body)).toEqual([]);
    expect(body.metadata).toEqual({
      name: 'web-1',
      namespace: 'default',
      creationTimestamp: '2024-05-01T12:00:00Z',
      labels: { app: 'web' },
    });
    expect(body.containers).toEqual([
      { name: 'app', usage: { cpu: '704595n', memory: '24716Ki' } },
      { name: 'sidecar', usage: { cpu: '1m', memory: '1Mi' } },
    ]);
  });

  it('the body bytes keep Go field order', async () => {
    const text = await (await app.get(`${BASE}/nodes/n2`)).text();
    expect(text).toBe(
      '{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"n2","creationTimestamp":"2024-05-01T12:00:00Z","labels":{"role":"worker"}},' +
        '"timestamp":"2024-05-01T11:59:30Z","window":"15s","usage":{"cpu":"1500m","memory":"1k"}}',
    );
  });

  it('pretty=true indents the document', async () => {
    const text = await (await app.get(`${BASE}/nodes/n1?pretty=true`)).text();
    expect(text.startsWith('{\n  "kind": "NodeMetrics",')).toBe(true);
  });

  it('HEAD answers like GET without a body', async () => {
    const res = await app.get(`${BASE}/nodes`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('metrics.k8s.io memo: should pass', () => {
  it('a list served twice is the same bytes, and follows the store when a value changes', async () => {
    const values = [podValue('default', 'web-1', ['app', 1_000_000, 1024])];
    const store = new FakeResourceMetrics([], values);
    const memo = await startApp({ resource: store, cluster });
    try {
      const first = await (await memo.get(`${BASE}/namespaces/default/pods`)).text();
      expect(await (await memo.get(`${BASE}/namespaces/default/pods`)).text()).toBe(first);
      values[0] = podValue('default', 'web-1', ['app', 2_000_000, 1024]);
      const { body } = await json<ListDoc<PodMetricsDoc>>(
        await memo.get(`${BASE}/namespaces/default/pods`),
      );
      expect(body.items[0]!.containers[0]!.usage.cpu).toBe('2m');
    } finally {
      await memo.close();
    }
  });
});

describe('metrics.k8s.io Table form: should pass', () => {
  const cases = [
    {
      name: 'node list as Table v1 with metadata rows',
      path: '/nodes',
      accept: TABLE_V1,
      version: 'v1',
      objectKind: 'PartialObjectMetadata',
    },
    {
      name: 'pod list as Table v1beta1',
      path: '/namespaces/default/pods',
      accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
      version: 'v1beta1',
      objectKind: 'PartialObjectMetadata',
    },
    {
      name: 'Table preferred over JSON by order',
      path: '/nodes',
      accept: `${TABLE_V1},application/json`,
      version: 'v1',
      objectKind: 'PartialObjectMetadata',
    },
    {
      name: 'includeObject=Object carries the full object',
      path: '/nodes?includeObject=Object',
      accept: TABLE_V1,
      version: 'v1',
      objectKind: 'NodeMetrics',
    },
    {
      name: 'includeObject=None leaves the object out',
      path: '/pods?includeObject=None',
      accept: TABLE_V1,
      version: 'v1',
      objectKind: undefined,
    },
  ];

  it.each(cases)('$name', async ({ path, accept, version, objectKind }) => {
    const { code, type, body } = await json<TableDoc>(
      await app.get(`${BASE}${path}`, { headers: { accept } }),
    );
    expect(code).toBe(200);
    expect(type).toBe(`application/json;as=Table;v=${version};g=meta.k8s.io`);
    expect(shapeIssues('Table', body)).toEqual([]);
    expect(body.apiVersion).toBe(`meta.k8s.io/${version}`);
    expect(body.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows[0]!.object?.kind).toBe(objectKind);
  });

  it('a pod row sums its containers, as addPodMetricsToTable does', async () => {
    const { body } = await json<TableDoc>(
      await app.get(`${BASE}/namespaces/default/pods/web-1`, { headers: { accept: TABLE_V1 } }),
    );
    // 704595n + 1000000n = 1704595n; 24716Ki + 1024Ki = 25740Ki.
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]!.cells).toEqual(['web-1', '1704595n', '25740Ki', '15s']);
    expect(body.rows[0]!.object?.metadata).toEqual({
      name: 'web-1',
      namespace: 'default',
      creationTimestamp: '2024-05-01T12:00:00Z',
      labels: { app: 'web' },
    });
  });

  it('an empty list is a Table with the columns and no rows', async () => {
    const { body } = await json<TableDoc>(
      await app.get(`${BASE}/namespaces/empty/pods`, { headers: { accept: TABLE_V1 } }),
    );
    expect(body.rows).toEqual([]);
    expect(body.columnDefinitions).toHaveLength(4);
  });
});

describe('metrics.k8s.io: should fail', () => {
  const cases = [
    {
      name: 'GET for a node that does not exist',
      path: '/nodes/missing',
      code: 404,
      reason: 'NotFound',
      message: 'node "missing" not found',
    },
    {
      name: 'GET for a node without metrics',
      path: '/nodes/n3',
      code: 404,
      reason: 'NotFound',
      message: 'nodemetrics.metrics.k8s.io "n3" not found',
    },
    {
      name: 'GET for a pod that does not exist',
      path: '/namespaces/default/pods/ghost',
      code: 404,
      reason: 'NotFound',
      message: 'pods "ghost" not found',
    },
    {
      name: 'GET for a pod without metrics',
      path: '/namespaces/default/pods/idle',
      code: 404,
      reason: 'NotFound',
      message: 'podmetrics.metrics.k8s.io "default/idle" not found',
    },
    {
      name: 'GET for a pod in another namespace',
      path: '/namespaces/kube-system/pods/web-1',
      code: 404,
      reason: 'NotFound',
      message: 'pods "web-1" not found',
    },
    {
      name: 'unparseable label selector',
      path: '/pods?labelSelector=app%20in%20(web',
      code: 400,
      reason: 'BadRequest',
      message: /^unable to parse labelSelector: invalid selector/,
    },
    {
      name: 'invalid label value in selector',
      path: '/nodes?labelSelector=role%3D-bad-',
      code: 400,
      reason: 'BadRequest',
      message: /labelSelector/,
    },
    {
      name: 'unsupported field selector',
      path: '/pods?fieldSelector=spec.nodeName%3Dn1',
      code: 400,
      reason: 'BadRequest',
      message:
        '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
    {
      name: 'malformed field selector',
      path: '/pods?fieldSelector=metadata.name',
      code: 400,
      reason: 'BadRequest',
      message: /^unable to parse fieldSelector/,
    },
    {
      name: 'oversized label selector',
      path: `/pods?labelSelector=a%3D${'b'.repeat(9000)}`,
      code: 400,
      reason: 'BadRequest',
      message: 'labelSelector is longer than the limit of 8192 bytes',
    },
    {
      name: 'non-numeric limit',
      path: '/pods?limit=ten',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid value "ten" for query parameter "limit": must be an integer',
    },
    {
      name: 'non-boolean pretty',
      path: '/nodes?pretty=maybe',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid value "maybe" for query parameter "pretty": must be a boolean',
    },
    {
      name: 'watch on nodes',
      path: '/nodes?watch=true',
      code: 405,
      reason: 'MethodNotAllowed',
      message: 'watch is not supported on resources of kind "nodes.metrics.k8s.io"',
    },
    {
      name: 'watch on pods',
      path: '/namespaces/default/pods?watch=1',
      code: 405,
      reason: 'MethodNotAllowed',
      message: 'watch is not supported on resources of kind "pods.metrics.k8s.io"',
    },
    {
      name: 'GET at an unknown resource',
      path: '/services',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'GET below a pod',
      path: '/namespaces/default/pods/web-1/log',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'paths are case sensitive',
      path: '/Nodes',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
  ];

  it.each(cases)('$name', async ({ path, code, reason, message }) => {
    const res = await json(await app.get(`${BASE}${path}`));
    expect(res.code).toBe(code);
    expect(shapeIssues('Status', res.body)).toEqual([]);
    expect(res.body.reason).toBe(reason);
    expect(res.body.code).toBe(code);
    if (typeof message === 'string') expect(res.body.message).toBe(message);
    else expect(res.body.message).toMatch(message);
  });

  const methods = [
    {
      name: 'POST to the node collection',
      method: 'POST',
      path: '/nodes',
      message: 'create is not supported on resources of kind "nodes.metrics.k8s.io"',
    },
    {
      name: 'DELETE a pod',
      method: 'DELETE',
      path: '/namespaces/default/pods/web-1',
      message: 'delete is not supported on resources of kind "pods.metrics.k8s.io"',
    },
    {
      name: 'DELETE the pod collection',
      method: 'DELETE',
      path: '/pods',
      message: 'deletecollection is not supported on resources of kind "pods.metrics.k8s.io"',
    },
    {
      name: 'PUT a node',
      method: 'PUT',
      path: '/nodes/n1',
      message: 'update is not supported on resources of kind "nodes.metrics.k8s.io"',
    },
    {
      name: 'PATCH a node',
      method: 'PATCH',
      path: '/nodes/n1',
      message: 'patch is not supported on resources of kind "nodes.metrics.k8s.io"',
    },
  ];

  it.each(methods)('$name', async ({ method, path, message }) => {
    const res = await app.get(`${BASE}${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const { body } = await json(res);
    expect(body.reason).toBe('MethodNotAllowed');
    expect(body.message).toBe(message);
  });

  it('an Accept header with no JSON form is 406', async () => {
    const res = await json(
      await app.get(`${BASE}/nodes`, { headers: { accept: 'application/yaml' } }),
    );
    expect(res.code).toBe(406);
    expect(res.body.reason).toBe('NotAcceptable');
  });

  it('an unknown includeObject is 400 in Table form', async () => {
    const res = await json(
      await app.get(`${BASE}/nodes?includeObject=Everything`, { headers: { accept: TABLE_V1 } }),
    );
    expect(res.code).toBe(400);
    expect(res.body.message).toBe('unrecognized includeObject value: "Everything"');
  });
});

/** A NodeMetrics or PodMetrics item as the fixtures and the adapter write it. */
type FixtureItem = { metadata: ObjectMetaDoc } & Record<string, unknown>;

describe('metrics.k8s.io shared fixtures round trip: should pass', () => {
  const fixture = metricsFromFixtures();
  let served: Running;
  beforeAll(async () => {
    served = await startApp({
      resource: fixture.reader,
      cluster: new FakeClusterView({ nodes: fixture.nodes, pods: fixture.pods }),
    });
  });
  afterAll(async () => {
    await served.close();
  });

  const cases = [
    {
      name: 'NodeMetricsList fixture',
      path: '/nodes',
      file: 'nodeMetricsList' as const,
      kind: 'NodeMetricsList' as const,
    },
    {
      name: 'PodMetricsList fixture',
      path: '/pods',
      file: 'podMetricsList' as const,
      kind: 'PodMetricsList' as const,
    },
  ];

  it.each(cases)(
    '$name: every value served as the cluster wrote it',
    async ({ path, file, kind }) => {
      const want = JSON.parse(readFixture(file).toString('utf8')) as ListDoc<FixtureItem>;
      const { code, body } = await json<ListDoc<FixtureItem>>(await served.get(`${BASE}${path}`));
      expect(code).toBe(200);
      expect(shapeIssues(kind, body)).toEqual([]);
      // Drop what the cluster stamped at serving time (selfLink, creationTimestamp) and compare the rest.
      const strip = (items: FixtureItem[]) =>
        items
          .map(({ metadata, ...rest }) => ({
            name: metadata.name,
            namespace: metadata.namespace,
            ...rest,
          }))
          .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      expect(strip(body.items)).toEqual(strip(want.items));
      expect(body.items.every((i) => i.metadata.creationTimestamp === '2024-05-01T12:00:00Z')).toBe(
        true,
      );
    },
  );
});
