import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PrometheusClient,
  type PrometheusClientOptions,
} from '../../../scraper/prometheus/client.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { FakeTime } from '../../support/fake-time.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

const base = 'http://127.0.0.1:9090';
const ok = (data: unknown): { status: string; data: unknown } => ({ status: 'success', data });
const vector = ok({
  resultType: 'vector',
  result: [{ metric: { pod: 'a' }, value: [1800000000, '2'] }],
});

let dir: string;
const time = new FakeTime();

function client(extra: Partial<PrometheusClientOptions> = {}): Promise<PrometheusClient> {
  return PrometheusClient.create({ url: base, timeoutMs: 2000, clock: time, ...extra });
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PrometheusError);
    return (err as PrometheusError).reason;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scaleplane-promclient-'));
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') && !host.endsWith(':9090'));
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('PrometheusClient requests', () => {
  it('lists series with match[] and start, as GET', async () => {
    nock(base)
      .get('/api/v1/series')
      .query({ 'match[]': '{namespace!=""}', start: '1799999880.000' })
      .reply(200, ok([{ __name__: 'up', namespace: 'a' }]));
    const r = await (await client()).series(['{namespace!=""}'], { startMs: 1_799_999_880_000 });
    expect(r.series).toEqual([{ __name__: 'up', namespace: 'a' }]);
  });

  it('sends an instant query with time and timeout, under a path prefix', async () => {
    nock(base)
      .get('/prom/api/v1/query')
      .query({ query: 'sum(up) by (pod)', time: '1800000000.123', timeout: '2s' })
      .reply(200, vector);
    const r = await (
      await client({ url: `${base}/prom` })
    ).query('sum(up) by (pod)', 1_800_000_000_123);
    expect(r).toEqual({
      resultType: 'vector',
      malformed: 0,
      samples: [{ labels: { pod: 'a' }, timestampMs: 1_800_000_000_000, value: 2 }],
    });
  });

  it('switches to a form POST when the URL would be too long', async () => {
    const long = `sum(x{pod=~"${'p|'.repeat(100)}q"})`;
    nock(base)
      .post('/api/v1/query', (body: Record<string, string>) => body.query === long)
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, vector);
    await (await client({ maxGetUrlBytes: 100 })).query(long);
  });

  it('sends extra headers and a bearer token, re-reading the token file after rotation', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'first\n');
    const c = await client({ tokenFile, headers: { 'X-Scope-OrgID': 'tenant-1' } });
    nock(base)
      .get('/api/v1/query')
      .query(true)
      .matchHeader('authorization', 'Bearer first')
      .matchHeader('x-scope-orgid', 'tenant-1')
      .reply(200, vector);
    await c.query('up');
    writeFileSync(tokenFile, 'second-token');
    await time.advance(1500);
    nock(base)
      .get('/api/v1/query')
      .query(true)
      .matchHeader('authorization', 'Bearer second-token')
      .reply(200, vector);
    await c.query('up');
  });

  it('sends basic auth from a password file', async () => {
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 's3cret\n');
    nock(base)
      .get('/api/v1/query')
      .query(true)
      .matchHeader('authorization', `Basic ${Buffer.from('admin:s3cret').toString('base64')}`)
      .reply(200, vector);
    await (await client({ basicAuth: { user: 'admin', passwordFile } })).query('up');
  });
});

describe('PrometheusClient failures', () => {
  const cases = [
    {
      name: 'error envelope',
      reply: [400, { status: 'error', errorType: 'bad_data', error: 'parse error' }],
      reason: 'prometheus_bad_data',
    },
    { name: 'proxy HTML', reply: [502, '<html>bad gateway</html>'], reason: 'http_502' },
    { name: 'unauthorized', reply: [401, 'Unauthorized'], reason: 'http_401' },
    {
      name: 'redirects are not followed',
      reply: [302, '', { location: 'http://elsewhere/' }],
      reason: 'http_302',
    },
    { name: 'garbage with 200', reply: [200, 'not json'], reason: 'bad_response' },
  ] as const;
  it.each(cases)('$name', async ({ reply, reason }) => {
    nock(base)
      .get('/api/v1/query')
      .query(true)
      .reply(...(reply as unknown as [number, string]));
    expect(await reasonOf((await client()).query('up'))).toBe(reason);
  });

  it('times out', async () => {
    nock(base).get('/api/v1/query').query(true).delay(500).reply(200, vector);
    expect(await reasonOf((await client({ timeoutMs: 50 })).query('up'))).toBe('timeout');
  });

  it('caps the response size', async () => {
    nock(base)
      .get('/api/v1/series')
      .query(true)
      .reply(200, ok(Array.from({ length: 100 }, (_, i) => ({ __name__: `m${i}` }))));
    expect(await reasonOf((await client({ maxResponseBytes: 200 })).series(['up']))).toBe(
      'response_too_large',
    );
  });

  it('reports an abort', async () => {
    nock(base).get('/api/v1/query').query(true).delay(500).reply(200, vector);
    const ac = new AbortController();
    const p = (await client()).query('up', undefined, ac.signal);
    setTimeout(() => ac.abort(), 30);
    expect(await reasonOf(p)).toBe('aborted');
  });

  it('reports a refused connection', async () => {
    const c = await PrometheusClient.create({
      url: 'http://127.0.0.1:1',
      timeoutMs: 2000,
      clock: time,
    });
    expect(await reasonOf(c.query('up'))).toBe('connection');
  });

  it('fails with credentials when the token file is missing', async () => {
    expect(await reasonOf((await client({ tokenFile: join(dir, 'absent') })).query('up'))).toBe(
      'credentials',
    );
  });

  it('refuses to start when a TLS file is missing', async () => {
    expect(await reasonOf(client({ caFile: join(dir, 'absent-ca.pem') }))).toBe('credentials');
  });
});

// Issue 14 item 12: a huge answer was buffered before being refused, and RSS stayed up. A loopback
// server streams 1 GiB; the client must refuse it while it streams, having read about the cap.
describe('PrometheusClient refuses an over-size answer while it streams', () => {
  const MiB = 1024 * 1024;
  const cases = [
    {
      name: 'a chunked 1 GiB body is cut just past the cap',
      declareLength: false,
      maxResponseBytes: 4 * MiB,
      message:
        /is larger than --prometheus-max-response-bytes=4194304: refused after reading (\d+) bytes$/,
      // The client's own count, and what the server got into the socket (kernel buffers included).
      maxRead: 5 * MiB,
      maxServerBytes: 4 * MiB + 40 * MiB,
    },
    {
      name: 'a body whose Content-Length passes the cap is refused before reading it',
      declareLength: true,
      maxResponseBytes: 64 * MiB,
      message:
        /is larger than --prometheus-max-response-bytes=67108864: Content-Length 1073741824, refused before reading$/,
      maxRead: 0,
      maxServerBytes: 40 * MiB,
    },
  ];
  it.each(cases)('$name', async (c) => {
    let serverBytes = 0;
    let closed: Promise<void> = Promise.resolve();
    const total = 1024 * MiB;
    const server = createHttpServer((_req, res) => {
      res.writeHead(
        200,
        c.declareLength
          ? { 'content-type': 'application/json', 'content-length': String(total) }
          : { 'content-type': 'application/json' },
      );
      const socket = res.socket!;
      closed = new Promise((resolve) =>
        socket.on('close', () => resolve(void (serverBytes = socket.bytesWritten))),
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const prometheus = await PrometheusClient.create({
        url,
        timeoutMs: 20_000,
        clock: time,
        maxResponseBytes: c.maxResponseBytes,
      });
      const started = Date.now();
      const err = await prometheus.query('up').then(
        () => undefined,
        (e: unknown) => e,
      );
      await closed;
      expect(err).toBeInstanceOf(PrometheusError);
      expect((err as PrometheusError).reason).toBe('response_too_large');
      const match = c.message.exec((err as PrometheusError).message);
      expect(match, (err as PrometheusError).message).not.toBeNull();
      const read = Number(match![1] ?? 0);
      if (c.maxRead > 0) expect(read).toBeGreaterThan(c.maxResponseBytes);
      expect(read).toBeLessThanOrEqual(c.maxRead);
      expect(serverBytes).toBeLessThan(c.maxServerBytes);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('PrometheusClient over TLS', () => {
  let pki: TestPki;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    pki = await createTestPki();
    server = createServer(
      {
        cert: pki.server.certPem,
        key: pki.server.keyPem,
        ca: pki.ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(ok({ resultType: 'scalar', result: [1, cn === 'alice' ? '1' : '0'] })),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.cleanup();
  });

  it('verifies the server with the CA file and presents the client certificate', async () => {
    const c = await PrometheusClient.create({
      url,
      timeoutMs: 2000,
      clock: time,
      caFile: pki.ca.certFile,
      clientCertFile: pki.alice.certFile,
      clientKeyFile: pki.alice.keyFile,
    });
    expect(await c.query('up')).toMatchObject({ resultType: 'scalar', sample: { value: 1 } });
  });

  it('fails when the server certificate is not trusted', async () => {
    const c = await PrometheusClient.create({
      url,
      timeoutMs: 2000,
      clock: time,
      clientCertFile: pki.alice.certFile,
      clientKeyFile: pki.alice.keyFile,
    });
    expect(await reasonOf(c.query('up'))).toBe('connection');
  });
});
