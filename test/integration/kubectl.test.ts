/**
 * The real kubectl against the adapter over TLS on 127.0.0.1: every path family of the three
 * metrics groups, once with a client certificate and once with a bearer token. The adapter checks
 * the token with a TokenReview and every request with a SubjectAccessReview sent to a tiny fake
 * kube-apiserver (also on 127.0.0.1); the JSON kubectl prints must have the k8s.io/metrics shapes.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDelegatingAuth,
  type DelegatingAuth,
  type SubjectAccessReviewSpec,
} from '../../adapter/auth/index.js';
import { createApiApp } from '../../adapter/index.js';
import { createSecureServer, type SecureServer } from '../../adapter/tls/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { appOptions } from '../adapter/serve.js';
import { shapeIssues, type ShapeName } from '../adapter/shapes.js';
import { startFakeApiServer, type FakeApiServer } from '../support/fake-apiserver.js';
import { FakeClusterView } from '../support/fake-cluster.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  metricsFromFixtures,
} from '../support/fake-readers.js';
import { kubectlBinary, kubectlSession, type KubectlSession } from '../support/kubectl.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { suiteUnavailable } from '../support/promised-suites.js';

const binary = kubectlBinary();
/** Never silent: a machine without kubectl says so, and a strict run (.ci/run) fails. */
const skip = suiteUnavailable(
  'real kubectl',
  binary ? undefined : 'no kubectl on PATH and $KUBECTL unset: install the kubectl client',
  'test/integration/kubectl.test.ts',
);
const ns = 'kube-system';
const sampleTimeMs = Date.UTC(2024, 4, 1, 11, 59, 30);

let pki: TestPki;
let apiServer: FakeApiServer;
let auth: DelegatingAuth;
let adapter: SecureServer;
// The fixtures are read synchronously, so test names can carry real node and pod names.
const fixtures = metricsFromFixtures();
const nodeName = fixtures.nodes[0]!.metadata!.name!;
const podName = fixtures.pods[0]!.metadata!.name!;

/** RBAC in miniature: devs and jane read everything, everyone else nothing. */
function policy(spec: SubjectAccessReviewSpec) {
  if (spec.groups.includes('devs') || spec.user === 'jane')
    return { allowed: true, reason: 'test policy' };
  return { allowed: false, reason: `${spec.user} may not read metrics` };
}

function paths(): Array<{
  name: string;
  path: string;
  shape?: ShapeName;
  kind: string;
  items?: number;
}> {
  const cm = '/apis/custom.metrics.k8s.io';
  return [
    {
      name: 'metrics: node list',
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      shape: 'NodeMetricsList',
      kind: 'NodeMetricsList',
      items: 1,
    },
    {
      name: 'metrics: node by name',
      path: `/apis/metrics.k8s.io/v1beta1/nodes/${nodeName}`,
      shape: 'NodeMetrics',
      kind: 'NodeMetrics',
    },
    {
      name: 'metrics: pods of all namespaces',
      path: '/apis/metrics.k8s.io/v1beta1/pods',
      shape: 'PodMetricsList',
      kind: 'PodMetricsList',
    },
    {
      name: 'metrics: pods in a namespace',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
      shape: 'PodMetricsList',
      kind: 'PodMetricsList',
    },
    {
      name: 'metrics: pod by name',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${podName}`,
      shape: 'PodMetrics',
      kind: 'PodMetrics',
    },
    {
      name: 'custom v1beta2: pods/* metric',
      path: `${cm}/v1beta2/namespaces/${ns}/pods/*/http_requests`,
      shape: 'MetricValueListV1beta2',
      kind: 'MetricValueList',
      items: 1,
    },
    {
      name: 'custom v1beta1: pods/* metric',
      path: `${cm}/v1beta1/namespaces/${ns}/pods/*/http_requests`,
      shape: 'MetricValueListV1beta1',
      kind: 'MetricValueList',
      items: 1,
    },
    {
      name: 'custom v1beta2: object by name',
      path: `${cm}/v1beta2/namespaces/${ns}/services/web/hits`,
      shape: 'MetricValueListV1beta2',
      kind: 'MetricValueList',
      items: 1,
    },
    {
      name: 'custom v1beta2: namespace metric',
      path: `${cm}/v1beta2/namespaces/${ns}/metrics/queue_depth`,
      shape: 'MetricValueListV1beta2',
      kind: 'MetricValueList',
      items: 1,
    },
    {
      name: 'custom v1beta2: root-scoped nodes/* metric',
      path: `${cm}/v1beta2/nodes/*/cpu_temp`,
      shape: 'MetricValueListV1beta2',
      kind: 'MetricValueList',
      items: 1,
    },
    {
      name: 'external: metric by selector',
      path: `/apis/external.metrics.k8s.io/v1beta1/namespaces/${ns}/queue_messages_ready?labelSelector=queue%3Dworker`,
      shape: 'ExternalMetricValueList',
      kind: 'ExternalMetricValueList',
      items: 1,
    },
    {
      name: 'discovery: metrics.k8s.io resources',
      path: '/apis/metrics.k8s.io/v1beta1',
      shape: 'APIResourceList',
      kind: 'APIResourceList',
    },
    { name: 'discovery: group list', path: '/apis', kind: 'APIGroupList' },
  ];
}

async function startAdapter(): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'fake', server: apiServer.url, caFile: pki.ca.certFile, skipTLSVerify: false },
    ],
    users: [{ name: 'adapter', token: 'scaleplane-sa' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'adapter' }],
    currentContext: 'fake',
  });
  auth = await createDelegatingAuth({
    clientCAFile: pki.ca.certFile,
    requestHeaderClientCAFile: pki.frontProxyCa.certFile,
    requestHeaderAllowedNames: ['front-proxy-client'],
    authenticationKubeConfig: kc,
    authorizationKubeConfig: kc,
    logger: silentLogger,
  });
  const { reader, nodes, pods } = fixtures;
  const custom = new FakeCustomMetrics([
    {
      groupResource: { group: '', resource: 'pods' },
      namespace: ns,
      name: podName,
      metric: 'http_requests',
      value: 1.5,
      timestampMs: sampleTimeMs,
    },
    {
      groupResource: { group: '', resource: 'services' },
      namespace: ns,
      name: 'web',
      metric: 'hits',
      value: 12,
      timestampMs: sampleTimeMs,
    },
    {
      groupResource: { group: '', resource: 'namespaces' },
      name: ns,
      metric: 'queue_depth',
      value: 3,
      timestampMs: sampleTimeMs,
    },
    {
      groupResource: { group: '', resource: 'nodes' },
      name: nodeName,
      metric: 'cpu_temp',
      value: 61,
      timestampMs: sampleTimeMs,
    },
  ]);
  const external = new FakeExternalMetrics([
    {
      namespace: ns,
      metric: 'queue_messages_ready',
      labels: { queue: 'worker' },
      value: 42,
      timestampMs: sampleTimeMs,
    },
  ]);
  const cluster = new FakeClusterView({
    nodes,
    pods,
    objects: { services: [{ namespace: ns, name: 'web' }], namespaces: [{ name: ns }] },
  });
  const app = createApiApp(
    appOptions({ resource: reader, custom, external, cluster, guard: auth.guard }),
  );
  adapter = await createSecureServer(app, {
    certFile: pki.server.certFile,
    keyFile: pki.server.keyFile,
    clientCAs: auth.clientCAs,
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  });
}

beforeAll(async () => {
  if (skip) return;
  pki = await createTestPki();
  apiServer = await startFakeApiServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    callerToken: 'scaleplane-sa',
    tokens: {
      'jane-token': { username: 'jane', groups: ['viewers'] },
      'eve-token': { username: 'eve' },
    },
    authorize: policy,
  });
  await startAdapter();
});

afterAll(async () => {
  if (skip) return;
  auth.close();
  await adapter.close();
  await apiServer.close();
  pki.cleanup();
});

describe.skipIf(skip)('real kubectl against the adapter', () => {
  const users = [
    {
      name: 'client certificate (alice, O=devs)',
      user: () => ({ clientCertificate: pki.alice.certFile, clientKey: pki.alice.keyFile }),
    },
    { name: 'bearer token (jane, via TokenReview)', user: () => ({ token: 'jane-token' }) },
  ];

  describe.each(users)('should pass with $name', ({ user }) => {
    let kubectl: KubectlSession;
    beforeAll(() => {
      kubectl = kubectlSession({
        binary: binary!,
        server: adapter.url(),
        caFile: pki.ca.certFile,
        user: user(),
      });
    });
    afterAll(() => kubectl.cleanup());

    it.each(paths())('$name', async (family) => {
      const result = await kubectl.run(['get', '--raw', family.path]);
      expect(result.stderr, family.name).toBe('');
      expect(result.code, family.name).toBe(0);
      const doc = JSON.parse(result.stdout);
      expect(doc.kind, family.name).toBe(family.kind);
      if (family.shape) expect(shapeIssues(family.shape, doc), family.name).toEqual([]);
      if (family.items !== undefined) expect(doc.items, family.name).toHaveLength(family.items);
    });
  });

  it('the token was reviewed once, the SubjectAccessReviews carried the right attributes', () => {
    const reviews = apiServer.requests.filter((r) => r.path.endsWith('/tokenreviews'));
    expect(reviews.map((r) => r.body?.spec.token)).toEqual(['jane-token']);
    const sars = apiServer.requests
      .filter((r) => r.path.endsWith('/subjectaccessreviews'))
      .map((r) => r.body?.spec);
    expect(sars).toContainEqual(
      expect.objectContaining({
        user: 'alice',
        resourceAttributes: expect.objectContaining({
          verb: 'get',
          group: 'custom.metrics.k8s.io',
          version: 'v1beta2',
          resource: 'pods',
          subresource: 'http_requests',
          name: '*',
          namespace: ns,
        }),
      }),
    );
    expect(sars).toContainEqual(
      expect.objectContaining({
        user: 'jane',
        nonResourceAttributes: { path: '/apis', verb: 'get' },
      }),
    );
  });

  describe('should fail', () => {
    it('403: kubectl shows the forbidden message for a user the cluster denies', async () => {
      const kubectl = kubectlSession({
        binary: binary!,
        server: adapter.url(),
        caFile: pki.ca.certFile,
        user: { token: 'eve-token' },
      });
      try {
        const result = await kubectl.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(
          'Error from server (Forbidden): nodes.metrics.k8s.io is forbidden: User "eve" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope: eve may not read metrics',
        );
      } finally {
        kubectl.cleanup();
      }
    });

    it('401: kubectl reports an unknown token as not logged in', async () => {
      const kubectl = kubectlSession({
        binary: binary!,
        server: adapter.url(),
        caFile: pki.ca.certFile,
        user: { token: 'nobody' },
      });
      try {
        const result = await kubectl.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('Unauthorized');
      } finally {
        kubectl.cleanup();
      }
    });

    it('401: a client certificate from another CA is refused', async () => {
      const kubectl = kubectlSession({
        binary: binary!,
        server: adapter.url(),
        caFile: pki.ca.certFile,
        user: { clientCertificate: pki.rogueAlice.certFile, clientKey: pki.rogueAlice.keyFile },
      });
      try {
        const result = await kubectl.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('Unauthorized');
      } finally {
        kubectl.cleanup();
      }
    });
  });
});
