import { KubeConfig } from '@kubernetes/client-node';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  kubeConfigMapReader,
  kubeSubjectAccessReviewer,
  kubeTokenReviewer,
  type KubeClientOptions,
} from '../../../adapter/auth/index.js';

const server = 'https://127.0.0.1:6443';
let kc: KubeConfig;
const options: KubeClientOptions = {
  timeoutMs: 2_000,
  backoff: { steps: 3, initialMs: 1, factor: 1, jitter: 0 },
  sleep: () => Promise.resolve(),
  random: () => 0,
};

beforeAll(() => {
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'adapter-sa-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  nock.disableNetConnect();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
});

describe('kubeTokenReviewer: should pass', () => {
  it('sends the token with the adapter credentials and maps the user', async () => {
    let sent: unknown;
    nock(server, { reqheaders: { authorization: 'Bearer adapter-sa-token' } })
      .post('/apis/authentication.k8s.io/v1/tokenreviews', (body) => ((sent = body), true))
      .reply(201, {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        status: {
          authenticated: true,
          user: { username: 'jane', uid: '42', groups: ['devs'], extra: { scopes: ['a'] } },
        },
      });
    const result = await kubeTokenReviewer(kc, options).review('user-token');
    expect(sent).toMatchObject({ kind: 'TokenReview', spec: { token: 'user-token' } });
    expect(result).toEqual({
      authenticated: true,
      user: { name: 'jane', uid: '42', groups: ['devs'], extra: { scopes: ['a'] } },
    });
  });

  it('a rejection keeps the reviewer error', async () => {
    nock(server)
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .reply(201, { status: { authenticated: false, error: 'token has expired' } });
    expect(await kubeTokenReviewer(kc, options).review('t')).toEqual({
      authenticated: false,
      error: 'token has expired',
    });
  });

  it('a 500 is retried', async () => {
    nock(server)
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .reply(500, status(500, 'InternalError', 'etcd hiccup'))
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .reply(201, { status: { authenticated: true, user: { username: 'jane' } } });
    expect((await kubeTokenReviewer(kc, options).review('t')).user?.name).toBe('jane');
  });
});

describe('kubeTokenReviewer: should fail', () => {
  it('a 403 is reported with its message and not retried', async () => {
    nock(server)
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .once()
      .reply(
        403,
        status(
          403,
          'Forbidden',
          'tokenreviews.authentication.k8s.io is forbidden: User "x" cannot create resource',
        ),
      );
    await expect(kubeTokenReviewer(kc, options).review('t')).rejects.toThrow(
      'TokenReview failed: HTTP 403: tokenreviews.authentication.k8s.io is forbidden',
    );
  });

  it('a 503 that persists gives up after the backoff steps', async () => {
    nock(server)
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .times(3)
      .reply(503, status(503, 'ServiceUnavailable', 'down'));
    await expect(kubeTokenReviewer(kc, options).review('t')).rejects.toThrow(
      'TokenReview failed: HTTP 503: down',
    );
  });

  it('a slow API server is abandoned at the deadline', async () => {
    nock(server)
      .post('/apis/authentication.k8s.io/v1/tokenreviews')
      .delay(1_000)
      .reply(201, { status: { authenticated: true } });
    await expect(kubeTokenReviewer(kc, { ...options, timeoutMs: 100 }).review('t')).rejects.toThrow(
      /TokenReview failed: .*abort/i,
    );
  });
});

describe('kubeSubjectAccessReviewer', () => {
  const spec = {
    user: 'jane',
    groups: ['devs'],
    resourceAttributes: {
      namespace: 'ns',
      verb: 'get',
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      resource: 'pods',
      subresource: '',
      name: 'p',
    },
  };
  it('should pass: sends the spec and returns the status', async () => {
    let sent: unknown;
    nock(server)
      .post('/apis/authorization.k8s.io/v1/subjectaccessreviews', (body) => ((sent = body), true))
      .reply(201, { status: { allowed: false, denied: true, reason: 'policy says no' } });
    expect(await kubeSubjectAccessReviewer(kc, options).review(spec)).toEqual({
      allowed: false,
      denied: true,
      reason: 'policy says no',
    });
    expect(sent).toMatchObject({
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec,
    });
  });
  it('should fail: an error status is an error', async () => {
    nock(server)
      .post('/apis/authorization.k8s.io/v1/subjectaccessreviews')
      .reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    await expect(kubeSubjectAccessReviewer(kc, options).review(spec)).rejects.toThrow(
      'SubjectAccessReview failed: HTTP 401',
    );
  });
});

describe('kubeConfigMapReader', () => {
  const path = '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication';
  it('should pass: returns the data', async () => {
    nock(server)
      .get(path)
      .reply(200, {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'x' },
        data: { 'client-ca-file': 'pem' },
      });
    expect(
      await kubeConfigMapReader(kc, options).read(
        'kube-system',
        'extension-apiserver-authentication',
      ),
    ).toEqual({ 'client-ca-file': 'pem' });
  });
  it('should pass: a missing ConfigMap is undefined', async () => {
    nock(server)
      .get(path)
      .reply(
        404,
        status(404, 'NotFound', 'configmaps "extension-apiserver-authentication" not found'),
      );
    expect(
      await kubeConfigMapReader(kc, options).read(
        'kube-system',
        'extension-apiserver-authentication',
      ),
    ).toBeUndefined();
  });
  it('should fail: forbidden carries the HTTP code', async () => {
    nock(server)
      .get(path)
      .reply(403, status(403, 'Forbidden', 'configmaps is forbidden'));
    const err = await kubeConfigMapReader(kc, options)
      .read('kube-system', 'extension-apiserver-authentication')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      httpCode: 403,
      message:
        'reading configmap/extension-apiserver-authentication in kube-system failed: HTTP 403: configmaps is forbidden',
    });
  });
});
