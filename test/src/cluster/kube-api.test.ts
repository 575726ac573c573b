import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeHttpClient } from '../../../src/cluster/index.js';
import { API_SERVER, API_TOKEN, testKubeConfig } from '../../support/fake-cluster-api.js';

const client = (o: { maxBodyBytes?: number } = {}) =>
  new KubeHttpClient({ kubeConfig: testKubeConfig(), ...o });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('KubeHttpClient: should pass', () => {
  it('sends the bearer token, the query and a JSON body, and decodes the answer', async () => {
    let body: unknown;
    nock(API_SERVER, {
      reqheaders: {
        authorization: `Bearer ${API_TOKEN}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
    })
      .post('/api/v1/namespaces/a/events', (b) => ((body = b), true))
      .query({ dryRun: 'All' })
      .reply(201, { ok: true });
    const got = await client().request({
      method: 'POST',
      path: '/api/v1/namespaces/a/events',
      query: { dryRun: 'All', skipped: undefined },
      body: { x: 1 },
    });
    expect(got).toEqual({ ok: true });
    expect(body).toEqual({ x: 1 });
  });

  it('an empty 2xx body is undefined', async () => {
    nock(API_SERVER).delete('/api/v1/x').reply(204);
    expect(await client().request({ method: 'DELETE', path: '/api/v1/x' })).toBeUndefined();
  });
});

describe('KubeHttpClient: should fail', () => {
  const cases = [
    {
      name: 'a Status body keeps its reason and message',
      code: 404,
      body: { kind: 'Status', reason: 'NotFound', message: 'pods "x" not found' },
      reason: 'NotFound',
      message: 'pods "x" not found',
    },
    {
      name: 'a Status without reason gets one from the code',
      code: 403,
      body: { kind: 'Status', message: 'nope' },
      reason: 'Forbidden',
      message: 'nope',
    },
    {
      name: 'a body that is not a Status',
      code: 502,
      body: '<html>bad gateway</html>',
      reason: 'Unknown',
      message: 'the server responded with HTTP 502 (Unknown)',
    },
    {
      name: 'an unknown code from an HTML page',
      code: 503,
      body: '<html/>',
      reason: 'ServiceUnavailable',
      message: 'HTTP 503',
    },
  ];
  it.each(cases)('$name', async ({ code, body, reason, message }) => {
    nock(API_SERVER).get('/api/v1/x').reply(code, body);
    const err = (await client()
      .request({ method: 'GET', path: '/api/v1/x' })
      .catch((e: unknown) => e)) as KubeApiError;
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({ statusCode: code, reason, method: 'GET', path: '/api/v1/x' });
    expect(err.message).toContain(message);
  });

  const transport = [
    {
      name: 'connection refused',
      setup: () =>
        nock(API_SERVER).get('/api/v1/x').replyWithError('connect ECONNREFUSED 127.0.0.1:6443'),
      message: 'ECONNREFUSED',
    },
    {
      name: 'a 2xx body that is not JSON',
      setup: () => nock(API_SERVER).get('/api/v1/x').reply(200, 'not json'),
      message: 'not JSON',
    },
    {
      name: 'a body over the limit',
      setup: () =>
        nock(API_SERVER)
          .get('/api/v1/x')
          .reply(200, JSON.stringify({ pad: 'x'.repeat(200) })),
      message: 'larger than 100 bytes',
      max: 100,
    },
  ];
  it.each(transport)('$name is a transport error', async ({ setup, message, max }) => {
    setup();
    const err = (await client({ maxBodyBytes: max })
      .request({ method: 'GET', path: '/api/v1/x' })
      .catch((e: unknown) => e)) as KubeApiError;
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.statusCode).toBe(0);
    expect(err.reason).toBe('Transport');
    expect(err.message).toContain(message);
  });
});
