/**
 * Delegated authentication and authorization end to end: a real TLS server with the guard in
 * front of a route that echoes the identity, real client certificates, and the kube-apiserver's
 * TokenReview, SubjectAccessReview and ConfigMap answered by nock at https://127.0.0.1:6443.
 */
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDelegatingAuth,
  type DelegatingAuth,
  type DelegatingAuthOptions,
  type SubjectAccessReviewSpec,
  type UserInfo,
} from '../../../adapter/auth/index.js';
import { statusErrorHandler } from '../../../adapter/errors.js';
import { createSecureServer, type SecureServer } from '../../../adapter/tls/index.js';
import {
  createSelfMetrics,
  silentLogger,
  type SelfMetrics,
} from '../../../src/observability/index.js';
import { createTestPki, issue, type CertPair, type TestPki } from '../../support/pki.js';
import { tlsRequest, type TlsRequestOptions } from '../../support/tls-client.js';

const api = 'https://127.0.0.1:6443';
const sarPath = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const tokenReviewPath = '/apis/authentication.k8s.io/v1/tokenreviews';
const cmPath = '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication';

let pki: TestPki;
let admin: CertPair;
let kc: KubeConfig;
const running: Array<{ server: SecureServer; auth: DelegatingAuth }> = [];

/** The echo route's answer, or a Status. */
interface Body {
  user: UserInfo;
  method: string;
  headers: Record<string, string | undefined>;
  kind: string;
  code: number;
  message: string;
}

/** A SubjectAccessReview as the fake API server received it. */
type SentReview = { spec: SubjectAccessReviewSpec } | undefined;

interface Started {
  request(opts: Omit<TlsRequestOptions, 'url' | 'ca'>): Promise<{ status: number; body: Body }>;
  metrics: SelfMetrics;
}

async function start(overrides: Partial<DelegatingAuthOptions> = {}): Promise<Started> {
  const metrics = createSelfMetrics();
  const auth = await createDelegatingAuth({
    clientCAFile: pki.ca.certFile,
    requestHeaderClientCAFile: pki.frontProxyCa.certFile,
    requestHeaderAllowedNames: ['front-proxy-client'],
    authenticationKubeConfig: kc,
    authorizationKubeConfig: kc,
    backoff: { steps: 1, initialMs: 1, factor: 1, jitter: 0 },
    logger: silentLogger,
    metrics,
    ...overrides,
  });
  const app = express();
  app.use(auth.guard);
  app.use((req, res) => {
    res.json({ user: res.locals.user, method: res.locals.authMethod, headers: req.headers });
  });
  app.use(statusErrorHandler());
  const server = await createSecureServer(app, {
    certFile: pki.server.certFile,
    keyFile: pki.server.keyFile,
    clientCAs: auth.clientCAs,
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  });
  running.push({ server, auth });
  return {
    metrics,
    request: async (opts) => {
      const res = await tlsRequest({ url: server.url(), ca: pki.ca.certPem, ...opts });
      return { status: res.status, body: JSON.parse(res.body) as Body };
    },
  };
}

const as = (pair: CertPair) => ({ cert: pair.certPem, key: pair.keyPem });
const allowAll = () =>
  nock(api)
    .post(sarPath)
    .reply(201, { status: { allowed: true } });
const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
});

async function counter(
  metrics: SelfMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
}

beforeAll(async () => {
  pki = await createTestPki();
  admin = await issue(pki.dir, {
    name: 'admin',
    cn: 'kubernetes-admin',
    o: ['system:masters'],
    ca: pki.ca,
    usage: 'clientAuth',
  });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: api, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'scaleplane-sa' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(
    running.splice(0).map(async ({ server, auth }) => (auth.close(), server.close())),
  );
});
afterAll(() => {
  nock.enableNetConnect();
  pki.cleanup();
});

describe('delegated auth over TLS: should pass', () => {
  it('requestheader: allowed front-proxy certificate, user from the headers', async () => {
    const s = await start();
    allowAll();
    const res = await s.request({
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      ...as(pki.frontProxyClient),
      headers: {
        'X-Remote-User': 'jane',
        'X-Remote-Group': ['devs', 'admins'],
        'X-Remote-Extra-Scopes': 'view',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      name: 'jane',
      groups: ['devs', 'admins', 'system:authenticated'],
      extra: { scopes: ['view'] },
    });
    expect(res.body.method).toBe('requestheader');
    expect(Object.keys(res.body.headers).filter((h) => h.startsWith('x-remote'))).toEqual([]);
  });

  it('x509: client certificate CN and O', async () => {
    const s = await start();
    allowAll();
    const res = await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...as(pki.alice) });
    expect(res.body.user).toEqual({
      name: 'alice',
      groups: ['devs', 'ops', 'system:authenticated'],
      extra: {},
    });
    expect(
      await counter(s.metrics, 'scaleplane_authentication_attempts_total', {
        method: 'x509',
        result: 'success',
      }),
    ).toBe(1);
  });

  it.each(['/healthz', '/readyz', '/livez'])(
    'always-allow path %s needs no credentials and no review',
    async (path) => {
      const s = await start();
      const res = await s.request({ path });
      expect(res.status).toBe(200);
      expect(res.body.user.name).toBe('system:anonymous');
    },
  );

  it('token: accepted by TokenReview, then served from the cache without a second review', async () => {
    const s = await start();
    const review = nock(api, { reqheaders: { authorization: 'Bearer scaleplane-sa' } })
      .post(
        tokenReviewPath,
        (body: { spec: { token: string } }) => body.spec.token === 'jane-token',
      )
      .once()
      .reply(201, {
        status: { authenticated: true, user: { username: 'jane', groups: ['devs'] } },
      });
    // One review each: the second request is answered by both caches.
    nock(api)
      .post(sarPath)
      .once()
      .reply(201, { status: { allowed: true } });
    const first = await s.request({
      path: '/apis/metrics.k8s.io/v1beta1/pods',
      headers: { authorization: 'Bearer jane-token' },
    });
    const second = await s.request({
      path: '/apis/metrics.k8s.io/v1beta1/pods',
      headers: { authorization: 'Bearer jane-token' },
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.user.name).toBe('jane');
    expect(review.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    // The credential never reaches the handlers.
    expect(second.body.headers.authorization).toBeUndefined();
  });

  it('system:masters members are allowed without a SubjectAccessReview', async () => {
    const s = await start();
    const res = await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...as(admin) });
    expect(res.status).toBe(200);
  });

  it('an allowed decision is cached: the second request sends no review', async () => {
    const s = await start();
    const sar = nock(api)
      .post(sarPath)
      .once()
      .reply(201, { status: { allowed: true } });
    await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes/n1', ...as(pki.alice) });
    const again = await s.request({
      path: '/apis/metrics.k8s.io/v1beta1/nodes/n1',
      ...as(pki.alice),
    });
    expect(again.status).toBe(200);
    expect(sar.isDone()).toBe(true);
    expect(
      await counter(s.metrics, 'scaleplane_authorization_decisions_total', {
        decision: 'allow',
        cached: 'true',
      }),
    ).toBe(1);
  });

  const families = [
    {
      name: 'nodes list',
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      attrs: {
        verb: 'list',
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        resource: 'nodes',
        namespace: '',
        subresource: '',
        name: '',
      },
    },
    {
      name: 'node by name',
      path: '/apis/metrics.k8s.io/v1beta1/nodes/n1',
      attrs: { verb: 'get', resource: 'nodes', name: 'n1', namespace: '' },
    },
    {
      name: 'pods in a namespace',
      path: '/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods?labelSelector=app%3Dweb',
      attrs: { verb: 'list', resource: 'pods', namespace: 'ns1', name: '' },
    },
    {
      name: 'custom pods/* metric',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns1/pods/*/http_requests',
      attrs: {
        verb: 'get',
        group: 'custom.metrics.k8s.io',
        version: 'v1beta2',
        resource: 'pods',
        subresource: 'http_requests',
        name: '*',
        namespace: 'ns1',
      },
    },
    {
      name: 'custom object by name',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns1/services/web/hits',
      attrs: { verb: 'get', resource: 'services', name: 'web', subresource: 'hits' },
    },
    {
      name: 'custom namespace metric',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns1/metrics/queue_depth',
      attrs: { verb: 'get', resource: 'metrics', name: 'queue_depth', namespace: 'ns1' },
    },
    {
      name: 'external metric',
      path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/ns1/queue_messages',
      attrs: {
        verb: 'list',
        group: 'external.metrics.k8s.io',
        resource: 'queue_messages',
        namespace: 'ns1',
      },
    },
  ];
  it.each(families)('SubjectAccessReview resource attributes: $name', async ({ path, attrs }) => {
    const s = await start();
    let sent: SentReview;
    nock(api)
      .post(sarPath, (body: { spec: SubjectAccessReviewSpec }) => ((sent = body), true))
      .reply(201, { status: { allowed: true } });
    expect((await s.request({ path, ...as(pki.alice) })).status).toBe(200);
    expect(sent!.spec.user).toBe('alice');
    expect(sent!.spec.groups).toEqual(['devs', 'ops', 'system:authenticated']);
    expect(sent!.spec.resourceAttributes).toMatchObject(attrs);
    expect(sent!.spec.nonResourceAttributes).toBeUndefined();
  });

  it.each(['/apis', '/apis/metrics.k8s.io/v1beta1', '/openapi/v2'])(
    'SubjectAccessReview non-resource attributes: %s',
    async (path) => {
      const s = await start();
      let sent: SentReview;
      nock(api)
        .post(sarPath, (body: { spec: SubjectAccessReviewSpec }) => ((sent = body), true))
        .reply(201, { status: { allowed: true } });
      expect((await s.request({ path, ...as(pki.alice) })).status).toBe(200);
      expect(sent!.spec.nonResourceAttributes).toEqual({ path, verb: 'get' });
      expect(sent!.spec.resourceAttributes).toBeUndefined();
    },
  );

  it('CAs and requestheader settings come from the ConfigMap when no files are given', async () => {
    nock(api)
      .get(cmPath)
      .reply(200, {
        kind: 'ConfigMap',
        data: {
          'client-ca-file': pki.ca.certPem,
          'requestheader-client-ca-file': pki.frontProxyCa.certPem,
          'requestheader-allowed-names': '["front-proxy-client"]',
          'requestheader-username-headers': '["X-Remote-User"]',
          'requestheader-group-headers': '["X-Remote-Group"]',
          'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
        },
      });
    const s = await start({
      clientCAFile: undefined,
      requestHeaderClientCAFile: undefined,
      requestHeaderAllowedNames: undefined,
    });
    nock(api)
      .post(sarPath)
      .times(2)
      .reply(201, { status: { allowed: true } });
    const proxied = await s.request({
      path: '/apis',
      ...as(pki.frontProxyClient),
      headers: { 'x-remote-user': 'jane' },
    });
    const direct = await s.request({ path: '/apis', ...as(pki.alice) });
    expect([proxied.body.user.name, direct.body.user.name]).toEqual(['jane', 'alice']);
  });

  it('anonymous on: a request without credentials is system:anonymous', async () => {
    const s = await start({ anonymous: true });
    let sent: SentReview;
    nock(api)
      .post(sarPath, (body: { spec: SubjectAccessReviewSpec }) => ((sent = body), true))
      .reply(201, { status: { allowed: true } });
    expect((await s.request({ path: '/apis' })).status).toBe(200);
    expect(sent!.spec).toMatchObject({
      user: 'system:anonymous',
      groups: ['system:unauthenticated'],
    });
  });
});

describe('delegated auth over TLS: should fail', () => {
  const unauthorized = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Unauthorized',
    reason: 'Unauthorized',
    code: 401,
  };
  const cases = [
    {
      name: 'requestheader certificate whose CN is not allowed',
      opts: () => ({ ...as(pki.frontProxyOther), headers: { 'x-remote-user': 'system:admin' } }),
    },
    { name: 'no certificate and no token (anonymous off)', opts: () => ({}) },
    { name: 'client certificate signed by another CA', opts: () => as(pki.rogueAlice) },
    {
      name: 'identity headers without a front-proxy certificate',
      opts: () => ({
        headers: { 'x-remote-user': 'system:admin', 'x-remote-group': 'system:masters' },
      }),
    },
    { name: 'server-only certificate from the cluster CA', opts: () => as(pki.aliceServerOnly) },
  ];
  it.each(cases)('401: $name', async ({ opts }) => {
    const s = await start();
    const res = await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...opts() });
    expect(res).toEqual({ status: 401, body: unauthorized });
  });

  it('401: token rejected by TokenReview', async () => {
    const s = await start();
    nock(api)
      .post(tokenReviewPath)
      .reply(201, { status: { authenticated: false } });
    const res = await s.request({ path: '/apis', headers: { authorization: 'Bearer stolen' } });
    expect(res.status).toBe(401);
    expect(
      await counter(s.metrics, 'scaleplane_authentication_attempts_total', {
        method: 'token',
        result: 'failure',
      }),
    ).toBe(1);
  });

  it('401: TokenReview unreachable', async () => {
    const s = await start();
    nock(api)
      .post(tokenReviewPath)
      .reply(500, status(500, 'InternalError', 'boom'));
    expect(
      (await s.request({ path: '/apis', headers: { authorization: 'Bearer t' } })).status,
    ).toBe(401);
    expect(
      await counter(s.metrics, 'scaleplane_authentication_attempts_total', {
        method: 'token',
        result: 'error',
      }),
    ).toBe(1);
  });

  it('403: SubjectAccessReview denies, with the upstream message and the reason', async () => {
    const s = await start();
    nock(api)
      .post(sarPath)
      .reply(201, { status: { allowed: false, reason: 'no RBAC policy matched' } });
    const res = await s.request({
      path: '/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods/p1',
      ...as(pki.alice),
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'pods.metrics.k8s.io "p1" is forbidden: User "alice" cannot get resource "pods" in API group "metrics.k8s.io" in the namespace "ns1": no RBAC policy matched',
      details: { name: 'p1', group: 'metrics.k8s.io', kind: 'pods' },
    });
  });

  it('403: a non-resource path is forbidden with the path message', async () => {
    const s = await start();
    nock(api)
      .post(sarPath)
      .reply(201, { status: { allowed: false } });
    const res = await s.request({ path: '/openapi/v2', ...as(pki.alice) });
    expect(res.body.message).toBe('forbidden: User "alice" cannot get path "/openapi/v2"');
  });

  it('403: a deny is cached; the second request sends no review', async () => {
    const s = await start();
    const sar = nock(api)
      .post(sarPath)
      .once()
      .reply(201, { status: { allowed: false } });
    await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...as(pki.alice) });
    const again = await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...as(pki.alice) });
    expect(again.status).toBe(403);
    expect(sar.isDone()).toBe(true);
    expect(
      await counter(s.metrics, 'scaleplane_authorization_decisions_total', {
        decision: 'deny',
        cached: 'true',
      }),
    ).toBe(1);
  });

  it('500: SubjectAccessReview fails', async () => {
    const s = await start();
    nock(api)
      .post(sarPath)
      .reply(500, status(500, 'InternalError', 'etcd unavailable'));
    const res = await s.request({ path: '/apis/metrics.k8s.io/v1beta1/nodes', ...as(pki.alice) });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect(res.body.message).toContain('SubjectAccessReview failed: HTTP 500: etcd unavailable');
    expect(
      await counter(s.metrics, 'scaleplane_authorization_decisions_total', {
        decision: 'error',
        cached: 'false',
      }),
    ).toBe(1);
  });

  it('400: a path that does not decode', async () => {
    const s = await start();
    expect(
      (
        await s.request({
          path: '/apis/metrics.k8s.io/v1beta1/namespaces/%zz/pods',
          ...as(pki.alice),
        })
      ).status,
    ).toBe(400);
  });

  it('start-up fails when the ConfigMap is forbidden', async () => {
    nock(api)
      .get(cmPath)
      .reply(
        403,
        status(403, 'Forbidden', 'configmaps "extension-apiserver-authentication" is forbidden'),
      );
    await expect(start({ clientCAFile: undefined })).rejects.toThrow(
      'unable to load configmap based authentication configuration',
    );
  });
});
