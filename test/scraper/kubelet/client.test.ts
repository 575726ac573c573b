import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeletHttpClient,
  type KubeletHttpClientOptions,
} from '../../../scraper/kubelet/client.js';
import { KubeletScrapeError } from '../../../scraper/kubelet/errors.js';
import { FileTokenSource } from '../../../scraper/kubelet/token.js';
import { KubeletSimulator, type SimFault } from '../../../scraper/sim/kubelet-simulator.js';
import { FakeTime } from '../../support/fake-time.js';
import { issue, type CertPair } from '../../support/pki.js';

const client = (o: Partial<KubeletHttpClientOptions> = {}): KubeletHttpClient =>
  new KubeletHttpClient({ source: 'resource', maxBodyBytes: 1024 * 1024, maxSockets: 4, ...o });

async function failure(p: Promise<unknown>): Promise<KubeletScrapeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KubeletScrapeError);
  return err as KubeletScrapeError;
}

describe('KubeletHttpClient over http (simulated kubelets)', () => {
  let sim: KubeletSimulator;
  beforeAll(async () => {
    sim = await KubeletSimulator.start({ nodes: 12, podsPerNode: 3, containersPerPod: 2 });
  });
  afterAll(() => sim.close());

  it('returns the body of a healthy kubelet and reuses its keep-alive connection', async () => {
    const c = client();
    const connectionsBefore = await new Promise<number>((r) =>
      sim['server'].getConnections((_e, n) => r(n)),
    );
    const a = await c.get(sim.urlFor('sim-node-0', 'resource'));
    const b = await c.get(sim.urlFor('sim-node-0', 'resource'));
    const connectionsAfter = await new Promise<number>((r) =>
      sim['server'].getConnections((_e, n) => r(n)),
    );
    expect(a.toString()).toContain('container_cpu_usage_seconds_total{container="c0"');
    expect(b.length).toBeGreaterThan(1000);
    expect(connectionsAfter - connectionsBefore).toBe(1);
    c.close();
  });

  it('checks the summary media type for the summary source', async () => {
    const c = client({ source: 'summary' });
    const body = await c.get(sim.urlFor('sim-node-0', 'summary'));
    expect(JSON.parse(body.toString())).toHaveProperty('node.nodeName', 'sim-node-0');
    expect((await failure(c.get(sim.urlFor('sim-node-0', 'resource')))).reason).toBe(
      'bad_content_type',
    );
    c.close();
  });

  const faults: {
    name: string;
    node: string;
    fault: SimFault;
    reason: string;
    o?: Partial<KubeletHttpClientOptions>;
  }[] = [
    {
      name: 'status 500',
      node: 'sim-node-1',
      fault: { kind: 'status', code: 500 },
      reason: 'http_500',
    },
    {
      name: 'status 401',
      node: 'sim-node-2',
      fault: { kind: 'status', code: 401 },
      reason: 'http_401',
    },
    {
      name: 'wrong content type',
      node: 'sim-node-3',
      fault: { kind: 'contentType', value: 'text/html' },
      reason: 'bad_content_type',
    },
    {
      name: 'body cut short',
      node: 'sim-node-4',
      fault: { kind: 'truncated' },
      reason: 'truncated',
    },
    {
      name: 'huge streamed body, capped while streaming',
      node: 'sim-node-5',
      fault: { kind: 'huge', bytes: 50 * 1024 * 1024 },
      reason: 'body_too_large',
      o: { maxBodyBytes: 64 * 1024 },
    },
    {
      name: 'declared length over the cap',
      node: 'sim-node-6',
      fault: { kind: 'contentType', value: 'text/plain' },
      reason: 'body_too_large',
      o: { maxBodyBytes: 100 },
    },
    {
      name: 'connection reset',
      node: 'sim-node-7',
      fault: { kind: 'reset' },
      reason: 'connection_reset',
    },
    {
      name: 'no answer within the timeout',
      node: 'sim-node-8',
      fault: { kind: 'hang' },
      reason: 'timeout',
    },
  ];
  it.each(faults)('fails with a stable reason: $name', async ({ node, fault, reason, o }) => {
    sim.setFault(node, fault);
    const c = client(o);
    const started = Date.now();
    const err = await failure(c.get(sim.urlFor(node, 'resource'), { timeoutMs: 300 }));
    expect(err.reason).toBe(reason);
    expect(err.url).toBe(sim.urlFor(node, 'resource'));
    expect(Date.now() - started).toBeLessThan(5_000);
    c.close();
  });

  it("garbage with the right media type is returned: decoding is not the client's job", async () => {
    sim.setFault('sim-node-9', { kind: 'garbage' });
    const body = await client().get(sim.urlFor('sim-node-9', 'resource'));
    expect(body.length).toBe(4096);
  });

  it('connection refused', async () => {
    const err = await failure(client().get('http://127.0.0.1:1/metrics/resource'));
    expect(err.reason).toBe('connection_refused');
  });

  const aborts = [
    {
      name: "typed reason kept (the loop's timeout)",
      reason: new KubeletScrapeError('timeout', 't'),
      want: 'timeout',
    },
    {
      name: 'AbortSignal.timeout style reason',
      reason: new DOMException('x', 'TimeoutError'),
      want: 'timeout',
    },
    { name: 'any other reason', reason: new Error('stop'), want: 'aborted' },
  ];
  it.each(aborts)('abort signal: $name', async ({ reason, want }) => {
    sim.setFault('sim-node-10', { kind: 'hang' });
    const controller = new AbortController();
    const p = client().get(sim.urlFor('sim-node-10', 'resource'), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    expect((await failure(p)).reason).toBe(want);
  });

  it('an already aborted signal fails at once', async () => {
    const err = await failure(
      client().get(sim.urlFor('sim-node-0', 'resource'), {
        signal: AbortSignal.abort(new Error('x')),
      }),
    );
    expect(err.reason).toBe('aborted');
  });

  it('never sends the bearer token over plain http', async () => {
    let asked = 0;
    const c = client({ token: { token: () => ((asked += 1), Promise.resolve('secret')) } });
    await c.get(sim.urlFor('sim-node-11', 'resource'));
    expect(asked).toBe(0);
  });
});

describe('KubeletHttpClient over https', () => {
  let dir: string;
  let ca: CertPair;
  let serving: CertPair;
  let clientCert: CertPair;
  let server: https.Server;
  let url: string;
  const seen: { auth?: string; clientCn?: string; accept?: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scaleplane-kubelet-tls-'));
    ca = await issue(dir, { name: 'kubelet-ca', cn: 'kubelet-ca' });
    [serving, clientCert] = await Promise.all([
      issue(dir, {
        name: 'kubelet',
        cn: 'kubelet',
        ca,
        san: ['IP:127.0.0.1'],
        usage: 'serverAuth',
      }),
      issue(dir, { name: 'scaleplane', cn: 'scaleplane', ca, usage: 'clientAuth' }),
    ]);
    server = https.createServer(
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({
          auth: req.headers.authorization,
          clientCn: peer?.subject?.CN as string | undefined,
          accept: req.headers.accept,
        });
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
          .end('node_cpu_usage_seconds_total 1 1\n');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/metrics/resource`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the kubelet against the CA and presents the client certificate and token', async () => {
    const c = client({
      tls: {
        ca: readFileSync(ca.certFile),
        cert: readFileSync(clientCert.certFile),
        key: readFileSync(clientCert.keyFile),
        insecureSkipVerify: false,
      },
      token: { token: () => Promise.resolve('tok-1') },
    });
    expect((await c.get(url)).toString()).toContain('node_cpu_usage_seconds_total');
    // The text format first; any type as a last resort for strictly negotiating endpoints (kwok).
    expect(seen.at(-1)).toEqual({
      auth: 'Bearer tok-1',
      clientCn: 'scaleplane',
      accept: 'text/plain;version=0.0.4,*/*;q=0.1',
    });
    c.close();
  });

  it('fails with tls when the kubelet certificate is not trusted', async () => {
    const err = await failure(client({ tls: { insecureSkipVerify: false } }).get(url));
    expect(err.reason).toBe('tls');
  });

  it('fails with tls when the CA does not match', async () => {
    const err = await failure(
      client({ tls: { ca: Buffer.from(clientCert.certPem), insecureSkipVerify: false } }).get(url),
    );
    expect(err.reason).toBe('tls');
  });

  it('--kubelet-insecure-tls skips verification', async () => {
    expect((await client({ tls: { insecureSkipVerify: true } }).get(url)).length).toBeGreaterThan(
      0,
    );
  });

  it('sends the rotated service account token after the file changes', async () => {
    const time = new FakeTime();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'first-token\n');
    const c = client({
      tls: { ca: readFileSync(ca.certFile), insecureSkipVerify: false },
      token: new FileTokenSource(tokenFile, { clock: time, recheckMs: 1_000 }),
    });
    await c.get(url);
    writeFileSync(`${tokenFile}.tmp`, 'second-token\n');
    renameSync(`${tokenFile}.tmp`, tokenFile);
    await time.advance(1_000);
    await c.get(url);
    expect(seen.slice(-2).map((s) => s.auth)).toEqual([
      'Bearer first-token',
      'Bearer second-token',
    ]);
    c.close();
  });

  it('an unreadable token fails the request with reason credentials', async () => {
    const c = client({
      tls: { insecureSkipVerify: true },
      token: { token: () => Promise.reject(new Error('cannot read kubelet token file /x')) },
    });
    const err = await failure(c.get(url));
    expect([err.reason, err.message]).toEqual(['credentials', 'cannot read kubelet token file /x']);
  });
});
