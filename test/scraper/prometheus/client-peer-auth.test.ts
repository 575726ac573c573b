/**
 * prometheus-adapter's Prometheus client flags: --prometheus-auth-config (a kubeconfig's TLS and
 * credentials), --prometheus-auth-incluster (the service account token and CA, re-read when
 * rotated by client-node's tokenFile provider) and --prometheus-verb, against a real HTTPS server on loopback that checks the client
 * certificate and records the method and the Authorization header.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../scraper/prometheus/client.js';
import { loadAuthKubeConfig } from '../../../src/cluster/index.js';
import { FakeTime } from '../../support/fake-time.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

const time = new FakeTime();
const ok = (data: unknown): string => JSON.stringify({ status: 'success', data });

interface Seen {
  method: string;
  authorization?: string;
  cn?: string;
  body: string;
}

let pki: TestPki;
let server: Server;
let url: string;
let dir: string;
const seen: Seen[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scaleplane-prom-auth-'));
  pki = await createTestPki();
  server = createServer(
    {
      cert: pki.server.certPem,
      key: pki.server.keyPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const cert = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({
          method: req.method ?? '',
          authorization: req.headers.authorization,
          cn: cert?.subject?.CN as string | undefined,
          body,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(ok({ resultType: 'scalar', result: [1, '1'] }));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(name: string, cluster: string, user: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: prom, cluster: { server: "https://ignored.invalid", ${cluster} } }]
users: [{ name: u, user: { ${user} } }]
contexts: [{ name: x, context: { cluster: prom, user: u } }]
current-context: x
`,
  );
  return file;
}

async function queryOnce(o: Parameters<typeof PrometheusClient.create>[0]): Promise<Seen> {
  const before = seen.length;
  const c = await PrometheusClient.create(o);
  await c.query('up');
  expect(seen.length).toBe(before + 1);
  return seen[seen.length - 1]!;
}

describe('--prometheus-auth-config', () => {
  const cases = [
    {
      name: 'CA, client certificate and token of the current context',
      cluster: () => `certificate-authority: "${pki.ca.certFile}"`,
      user: () =>
        `token: kube-token, client-certificate: "${pki.alice.certFile}", client-key: "${pki.alice.keyFile}"`,
      tokenFile: undefined as string | undefined,
      want: { authorization: 'Bearer kube-token', cn: 'alice' },
    },
    {
      name: 'basic auth and insecure-skip-tls-verify',
      cluster: () => 'insecure-skip-tls-verify: true',
      user: () => 'username: prom, password: secret',
      tokenFile: undefined,
      want: { authorization: `Basic ${Buffer.from('prom:secret').toString('base64')}` },
    },
    {
      name: '--prometheus-token-file replaces the kubeconfig token, TLS stays',
      cluster: () =>
        `certificate-authority-data: "${Buffer.from(pki.ca.certPem).toString('base64')}"`,
      user: () => 'token: kube-token',
      tokenFile: 'flag-token',
      want: { authorization: 'Bearer flag-token' },
    },
  ];

  it.each(cases)('$name', async ({ name, cluster, user, tokenFile, want }) => {
    const file = kubeconfig(`${name.length}.yaml`, cluster(), user());
    const kubeAuth = loadAuthKubeConfig({ file, inCluster: false, env: {} });
    let tokenPath: string | undefined;
    if (tokenFile) {
      tokenPath = join(dir, 'flag-token');
      writeFileSync(tokenPath, tokenFile);
    }
    const got = await queryOnce({
      url,
      timeoutMs: 2000,
      clock: time,
      kubeAuth,
      tokenFile: tokenPath,
    });
    expect(got).toMatchObject({ method: 'GET', ...want });
  });

  it('without the kubeconfig CA the server is not trusted', async () => {
    const file = kubeconfig('no-ca.yaml', 'tls-server-name: localhost', 'token: t');
    const c = await PrometheusClient.create({
      url,
      timeoutMs: 2000,
      clock: time,
      kubeAuth: loadAuthKubeConfig({ file, inCluster: false, env: {} }),
    });
    await expect(c.query('up')).rejects.toMatchObject({ reason: 'connection' });
  });
});

describe('--prometheus-auth-incluster', () => {
  // Rotation: client-node's tokenFile provider re-reads the file periodically, as client-go does.
  it('sends the service account token and trusts the service account CA', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), 'sa-token-1');
    writeFileSync(join(sa, 'ca.crt'), pki.ca.certPem);
    const kubeAuth = loadAuthKubeConfig({
      inCluster: true,
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: sa,
    });
    const c = await PrometheusClient.create({ url, timeoutMs: 2000, clock: time, kubeAuth });
    await c.query('up');
    expect(seen.at(-1)?.authorization).toBe('Bearer sa-token-1');
  });

  it('outside a cluster it fails naming what is missing', () => {
    expect(() => loadAuthKubeConfig({ inCluster: true, env: {}, serviceAccountDir: dir })).toThrow(
      /KUBERNETES_SERVICE_HOST/,
    );
  });
});

describe('--prometheus-verb', () => {
  const base = 'http://127.0.0.1:9090';
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const cases = [
    { name: 'POST sends queries as a form body', verb: 'POST' as const, method: 'post' as const },
    { name: 'GET sends short queries in the URL', verb: 'GET' as const, method: 'get' as const },
  ];

  it.each(cases)('$name', async ({ verb, method }) => {
    const scope =
      method === 'post'
        ? nock(base)
            .post('/api/v1/query', (body: Record<string, string>) => body.query === 'sum(up)')
            .reply(200, ok({ resultType: 'scalar', result: [1, '3'] }))
            .post('/api/v1/series', (body: Record<string, string>) => body['match[]'] === 'up')
            .reply(200, ok([{ __name__: 'up' }]))
        : nock(base)
            .get('/api/v1/query')
            .query(true)
            .reply(200, ok({ resultType: 'scalar', result: [1, '3'] }))
            .get('/api/v1/series')
            .query(true)
            .reply(200, ok([{ __name__: 'up' }]));
    const c = await PrometheusClient.create({ url: base, timeoutMs: 2000, clock: time, verb });
    expect(await c.query('sum(up)')).toMatchObject({ sample: { value: 3 } });
    expect((await c.series(['up'])).series).toEqual([{ __name__: 'up' }]);
    expect(scope.isDone()).toBe(true);
  });
});
