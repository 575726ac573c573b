import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGuard,
  type Attributes,
  type AuthorizationResult,
  type RequestAuthenticator,
} from '../../../adapter/auth/index.js';
import { statusErrorHandler } from '../../../adapter/errors.js';
import { silentLogger } from '../../../src/observability/index.js';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const alice = { name: 'alice', groups: ['devs', 'system:authenticated'], extra: {} };

async function serve(
  authenticator: RequestAuthenticator,
  decide: (a: Attributes) => AuthorizationResult | Error,
) {
  const seen: Attributes[] = [];
  const app = express();
  app.use(
    createGuard({
      authenticator,
      authorizer: {
        authorize: (a) => (
          seen.push(a),
          ((r) => (r instanceof Error ? Promise.reject(r) : Promise.resolve(r)))(decide(a))
        ),
      },
      logger: silentLogger,
    }),
  );
  app.use((req, res) =>
    res.json({ locals: res.locals, authorization: req.headers.authorization ?? null }),
  );
  app.use(statusErrorHandler());
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  // Raw paths, so a malformed escape reaches the server as sent.
  const get = (path: string, headers: Record<string, string | string[]> = {}) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end();
    });
  return { get, seen };
}

const knownUser: RequestAuthenticator = {
  authenticate: () => Promise.resolve({ user: alice, method: 'token' }),
};

describe('guard: should pass', () => {
  it('an allowed request reaches the route with user, method and request info in res.locals', async () => {
    const { get, seen } = await serve(knownUser, () => ({ decision: 'allow', reason: '' }));
    const res = await get('/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/p', {
      authorization: 'Bearer t',
    });
    expect(res.status).toBe(200);
    expect(res.body.locals).toMatchObject({
      user: alice,
      authMethod: 'token',
      requestInfo: { verb: 'get', resource: 'pods', namespace: 'ns', name: 'p' },
    });
    expect(res.body.authorization).toBeNull();
    expect(seen[0]).toMatchObject({
      user: alice,
      isResourceRequest: true,
      apiGroup: 'metrics.k8s.io',
      apiVersion: 'v1beta1',
    });
  });

  it('the authenticator sees every value of repeated headers', async () => {
    let groups: readonly string[] | undefined;
    const spy: RequestAuthenticator = {
      authenticate: (req) => (
        (groups = req.headers['x-remote-group']),
        Promise.resolve({ user: alice, method: 'requestheader' })
      ),
    };
    const { get } = await serve(spy, () => ({ decision: 'allow', reason: '' }));
    await get('/apis', { 'X-Remote-Group': ['a', 'b, c'] });
    expect(groups).toEqual(['a', 'b, c']);
  });
});

describe('guard: should fail', () => {
  const cases: Array<{
    name: string;
    authn: RequestAuthenticator;
    decide: () => AuthorizationResult | Error;
    path: string;
    code: number;
    message: string;
  }> = [
    {
      name: 'no identity: 401',
      authn: { authenticate: () => Promise.resolve(undefined) },
      decide: () => ({ decision: 'allow', reason: '' }),
      path: '/apis',
      code: 401,
      message: 'Unauthorized',
    },
    {
      name: 'rejected credential: 401',
      authn: { authenticate: () => Promise.reject(new Error('invalid bearer token')) },
      decide: () => ({ decision: 'allow', reason: '' }),
      path: '/apis',
      code: 401,
      message: 'Unauthorized',
    },
    {
      name: 'no opinion: 403',
      authn: knownUser,
      decide: () => ({ decision: 'noOpinion', reason: '' }),
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      code: 403,
      message:
        'nodes.metrics.k8s.io is forbidden: User "alice" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope',
    },
    {
      name: 'deny with reason: 403',
      authn: knownUser,
      decide: () => ({ decision: 'deny', reason: 'because' }),
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps',
      code: 403,
      message:
        'pods.custom.metrics.k8s.io "*" is forbidden: User "alice" cannot get resource "pods/rps" in API group "custom.metrics.k8s.io" in the namespace "ns": because',
    },
    {
      name: 'authorizer failure: 500',
      authn: knownUser,
      decide: () => new Error('SubjectAccessReview failed: HTTP 503'),
      path: '/apis',
      code: 500,
      message: 'Internal error occurred: SubjectAccessReview failed: HTTP 503',
    },
    {
      name: 'undecodable path: 400',
      authn: knownUser,
      decide: () => ({ decision: 'allow', reason: '' }),
      path: '/apis/metrics.k8s.io/v1beta1/nodes/%E0%A4',
      code: 400,
      message: 'invalid URL escape in path segment "%E0%A4"',
    },
  ];
  it.each(cases)('$name', async ({ authn, decide, path, code, message }) => {
    const { get } = await serve(authn, decide);
    const res = await get(path);
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', code, message });
  });
});
