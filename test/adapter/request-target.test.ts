import { connect } from 'node:tls';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../adapter/index.js';
import { createGuard, type Attributes } from '../../adapter/auth/index.js';
import { createSecureServer, type SecureServer } from '../../adapter/tls/index.js';
import { requestTargetProblem } from '../../adapter/request-target.js';
import { createSelfMetrics, silentLogger } from '../../src/observability/index.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { appOptions } from './serve.js';

const alice = { name: 'alice', groups: ['system:authenticated'], extra: {} };

/**
 * An RBAC-like authorizer granting alice every non-resource URL (`nonResourceURLs: ["*"]`, as
 * many discovery roles do) and no resource at all: metrics.k8s.io must stay out of her reach.
 */
const seen: Attributes[] = [];
const authorizer = {
  authorize: (a: Attributes) => {
    seen.push(a);
    return Promise.resolve(
      a.isResourceRequest
        ? { decision: 'deny' as const, reason: '' }
        : { decision: 'allow' as const, reason: '' },
    );
  },
};

let pki: TestPki;
let server: SecureServer;
const metrics = createSelfMetrics(new Registry());

/** Sends `target` as written on the request line over TLS and returns the status and body. */
function rawGet(target: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { port } = server.address();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: pki.ca.certPem }, () => {
      socket.write(
        `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          `Authorization: Bearer alice\r\nConnection: close\r\n\r\n`,
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const rejected = async (): Promise<number> =>
  (await metrics.apiRejected.get()).values.find((v) => v.labels.reason === 'request_target')
    ?.value ?? 0;

beforeAll(async () => {
  pki = await createTestPki();
  const guard = createGuard({
    authenticator: {
      authenticate: (req) =>
        Promise.resolve(
          req.headers.authorization?.[0] === 'Bearer alice'
            ? { user: alice, method: 'token' as const }
            : undefined,
        ),
    },
    authorizer,
    logger: silentLogger,
    metrics,
  });
  const app = createApiApp(appOptions({ guard, metrics }));
  server = await createSecureServer(app, {
    certFile: pki.server.certFile,
    keyFile: pki.server.keyFile,
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  });
});
afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

describe('request target over TLS: should fail', () => {
  const cases = [
    {
      name: 'absolute form with https',
      target: (h: string) => `https://${h}/apis/metrics.k8s.io/v1beta1/nodes`,
    },
    {
      name: 'absolute form with http',
      target: (h: string) => `http://${h}/apis/metrics.k8s.io/v1beta1/nodes`,
    },
    {
      name: 'absolute form, pod list',
      target: (h: string) => `https://${h}/apis/metrics.k8s.io/v1beta1/pods`,
    },
    {
      name: 'backslash made a slash by the fragment fallback',
      target: () => '/apis\\metrics.k8s.io/v1beta1/nodes#x',
    },
    { name: 'fragment', target: () => '/apis/metrics.k8s.io/v1beta1/nodes#frag' },
    { name: 'asterisk form', target: () => '*' },
  ];
  it.each(cases)('$name: 400 before authorization, counted as request_target', async (c) => {
    const before = await rejected();
    seen.length = 0;
    const res = await rawGet(c.target(`127.0.0.1:${server.address().port}`));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('NodeMetricsList');
    expect(res.body).not.toContain('PodMetricsList');
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    // Refused before the guard: nothing was authorized, least of all as a non-resource path.
    expect(seen).toEqual([]);
    expect(await rejected()).toBe(before + 1);
  });

  it('the same request in origin form is authorized as the node list and forbidden', async () => {
    seen.length = 0;
    const res = await rawGet('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(res.status).toBe(403);
    expect(seen).toMatchObject([
      { isResourceRequest: true, apiGroup: 'metrics.k8s.io', resource: 'nodes', verb: 'list' },
    ]);
  });
});

describe('request target over TLS: should pass', () => {
  it('an origin-form non-resource path she may read is served', async () => {
    const res = await rawGet('/version?x=1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ gitVersion: 'v0.1.0' });
  });
});

describe('requestTargetProblem', () => {
  const cases = [
    { name: 'origin form', url: '/apis/x', path: '/apis/x', ok: true },
    { name: 'origin form with a query', url: '/apis/x?a=b#c', path: '/apis/x', ok: true },
    { name: 'absolute form', url: 'https://h/apis/x', path: '/apis/x', ok: false },
    { name: 'authority form', url: 'h:443', path: 'h:443', ok: false },
    { name: 'routed path differs from the raw path', url: '/a\\b#c', path: '/a/b', ok: false },
  ];
  it.each(cases)('$name', ({ url, path, ok }) => {
    expect(requestTargetProblem({ url, path }) === undefined).toBe(ok);
  });
});
