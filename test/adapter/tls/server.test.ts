import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecureServer,
  type ClientCASource,
  type SecureServer,
  type SecureServerOptions,
} from '../../../adapter/tls/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { createTestPki, issue, type TestPki } from '../../support/pki.js';
import { tlsRequest } from '../../support/tls-client.js';

const run = promisify(execFile);
let pki: TestPki;
let dir: string;
const servers: SecureServer[] = [];

/** Answers with the client certificate's subject CN, showing the certificate reached the app. */
function app(req: IncomingMessage, res: ServerResponse): void {
  const cert = (req.socket as TLSSocket).getPeerCertificate();
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ clientCN: cert.subject?.CN ?? null }));
}

async function start(opts: Partial<SecureServerOptions> = {}): Promise<SecureServer> {
  const s = await createSecureServer(app, {
    certFile: pki.server.certFile,
    keyFile: pki.server.keyFile,
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    ...opts,
  });
  servers.push(s);
  return s;
}

function staticCA(pem: string): ClientCASource & { set(pem: string): void } {
  let current = pem;
  const listeners = new Set<() => void>();
  return {
    currentPem: () => current,
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    set: (next) => {
      current = next;
      for (const l of listeners) l();
    },
  };
}

/** The CA names the server advertises in its CertificateRequest, as openssl s_client prints them. */
async function acceptableCANames(s: SecureServer): Promise<string> {
  const { port } = s.address();
  const { stdout } = await run('sh', [
    '-c',
    `echo | openssl s_client -connect 127.0.0.1:${port} -tls1_2 2>/dev/null`,
  ]);
  const start = stdout.indexOf('Acceptable client certificate CA names');
  return start < 0 ? '' : stdout.slice(start, stdout.indexOf('---', start));
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'scaleplane-tls-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('createSecureServer: should pass', () => {
  it('serves the configured certificate, verifiable with the cluster CA', async () => {
    const s = await start();
    const res = await tlsRequest({ url: s.url(), ca: pki.ca.certPem });
    expect(res.status).toBe(200);
    expect(res.peerCertificate.subject.CN).toBe('scaleplane');
    expect(JSON.parse(res.body)).toEqual({ clientCN: null });
  });

  it('requests but does not require a client certificate; a presented one reaches the app', async () => {
    const s = await start({ clientCAs: [staticCA(pki.ca.certPem)] });
    const res = await tlsRequest({
      url: s.url(),
      ca: pki.ca.certPem,
      cert: pki.alice.certPem,
      key: pki.alice.keyPem,
    });
    expect(JSON.parse(res.body)).toEqual({ clientCN: 'alice' });
    // Verification is authentication's job: a certificate from an unknown CA still reaches the app.
    const rogue = await tlsRequest({
      url: s.url(),
      ca: pki.ca.certPem,
      cert: pki.rogueAlice.certPem,
      key: pki.rogueAlice.keyPem,
    });
    expect(JSON.parse(rogue.body)).toEqual({ clientCN: 'alice' });
  });

  it('advertises every client CA and picks up a changed bundle without restart', async () => {
    const requestHeaderCA = staticCA(pki.frontProxyCa.certPem);
    const s = await start({ clientCAs: [staticCA(pki.ca.certPem), requestHeaderCA] });
    const before = await acceptableCANames(s);
    expect(before).toContain('CN = scaleplane-test-ca');
    expect(before).toContain('CN = front-proxy-ca');
    requestHeaderCA.set(readFileSync(join(pki.dir, 'rogue-ca.crt'), 'utf8'));
    const after = await acceptableCANames(s);
    expect(after).toContain('CN = rogue-ca');
    expect(after).not.toContain('CN = front-proxy-ca');
  });

  const versionCases = [
    {
      name: 'min VersionTLS13 accepts a TLS 1.3 client',
      minVersion: 'VersionTLS13',
      client: { minVersion: 'TLSv1.3' as const },
      protocol: 'TLSv1.3',
    },
    {
      name: 'default minimum accepts a TLS 1.2-only client',
      minVersion: undefined,
      client: { maxVersion: 'TLSv1.2' as const },
      protocol: 'TLSv1.2',
    },
    {
      name: 'configured TLS 1.2 suite is negotiated by a TLS 1.2 client',
      minVersion: 'VersionTLS12',
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
      client: { maxVersion: 'TLSv1.2' as const },
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    },
    {
      name: 'a TLS 1.2 suite list leaves TLS 1.3 on, as in Go',
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
      client: {},
      protocol: 'TLSv1.3',
    },
  ];
  it.each(versionCases)(
    '$name',
    async ({ minVersion, cipherSuites, client, protocol, ...rest }) => {
      const s = await start({
        ...(minVersion ? { minVersion } : {}),
        ...(cipherSuites ? { cipherSuites } : {}),
      });
      const res = await tlsRequest({ url: s.url(), ca: pki.ca.certPem, ...client });
      expect(res.protocol).toBe(protocol);
      if ('cipher' in rest) expect(res.cipher).toBe(rest.cipher);
    },
  );

  it('rotated certificate files are served to new connections without restart', async () => {
    const certFile = join(dir, 'rotate.crt');
    const keyFile = join(dir, 'rotate.key');
    copyFileSync(pki.server.certFile, certFile);
    copyFileSync(pki.server.keyFile, keyFile);
    const s = await start({ certFile, keyFile, pollIntervalMs: 200 });
    const first = await tlsRequest({ url: s.url(), ca: pki.ca.certPem });
    const next = await issue(pki.dir, {
      name: 'server-2',
      cn: 'scaleplane-rotated',
      ca: pki.ca,
      san: ['IP:127.0.0.1'],
      usage: 'serverAuth',
    });
    writeFileSync(keyFile, next.keyPem);
    writeFileSync(certFile, next.certPem);
    // No explicit reload: the directory watch (or the 200 ms poll) must notice by itself.
    let cn = first.peerCertificate.subject.CN;
    for (let i = 0; i < 50 && cn !== 'scaleplane-rotated'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cn = (await tlsRequest({ url: s.url(), ca: pki.ca.certPem })).peerCertificate.subject.CN;
    }
    expect(first.peerCertificate.subject.CN).toBe('scaleplane');
    expect(cn).toBe('scaleplane-rotated');
  });

  it('generates a self-signed pair in --cert-dir and reuses it on the next start', async () => {
    const certDir = join(dir, 'certs');
    const s = await start({
      certFile: undefined,
      keyFile: undefined,
      certDir,
      clock: { now: () => 1_700_000_000_000 },
    });
    const res = await tlsRequest({ url: s.url() });
    expect(res.peerCertificate.subject.CN).toBe('localhost@1700000000');
    expect(res.peerCertificate.issuer.CN).toBe('localhost-ca@1700000000');
    expect(res.peerCertificate.subjectaltname).toBe('IP Address:127.0.0.1, DNS:localhost');
    const chain = readFileSync(join(certDir, 'apiserver.crt'), 'utf8');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    // The CA in the chain verifies the serving certificate.
    const caPem = `-----BEGIN CERTIFICATE-----${chain.split('-----BEGIN CERTIFICATE-----')[2]}`;
    expect((await tlsRequest({ url: s.url(), ca: caPem })).status).toBe(200);
    const again = await start({
      certFile: undefined,
      keyFile: undefined,
      certDir,
      clock: { now: () => 1_800_000_000_000 },
    });
    expect((await tlsRequest({ url: again.url() })).peerCertificate.subject.CN).toBe(
      'localhost@1700000000',
    );
  });

  it('answers oversized headers with 431 instead of hanging up silently', async () => {
    const s = await start({ limits: { maxHeaderBytes: 4096 } });
    const res = await tlsRequest({
      url: s.url(),
      ca: pki.ca.certPem,
      headers: { 'x-big': 'a'.repeat(8192) },
    });
    expect(res.status).toBe(431);
  });

  it('a client trickling its headers is cut off with 408 while others are served', async () => {
    const s = await start({
      limits: { headersTimeoutMs: 400, requestTimeoutMs: 400, connectionsCheckingIntervalMs: 50 },
    });
    const slow = connect({ host: '127.0.0.1', port: s.address().port, ca: pki.ca.certPem });
    await new Promise<void>((r) => slow.once('secureConnect', () => r()));
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    let reply = '';
    slow.on('data', (d: Buffer) => (reply += d.toString()));
    const closed = new Promise<void>((r) => slow.once('close', () => r()));
    const others = await Promise.all(
      [1, 2, 3].map(() => tlsRequest({ url: s.url(), ca: pki.ca.certPem })),
    );
    expect(others.map((r) => r.status)).toEqual([200, 200, 200]);
    await closed;
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('createSecureServer: should fail', () => {
  it('a TLS 1.2-only client cannot connect when the minimum is VersionTLS13', async () => {
    const s = await start({ minVersion: 'VersionTLS13' });
    await expect(
      tlsRequest({ url: s.url(), ca: pki.ca.certPem, maxVersion: 'TLSv1.2' }),
    ).rejects.toThrow(/version|protocol/i);
  });

  it('a TLS 1.2 client offering only an unlisted suite is refused', async () => {
    const s = await start({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] });
    await expect(
      tlsRequest({
        url: s.url(),
        ca: pki.ca.certPem,
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      }),
    ).rejects.toThrow(/handshake failure|no shared cipher|alert/i);
  });

  const configCases = [
    {
      name: 'unknown TLS version names the value',
      opts: { minVersion: 'TLS1.3' },
      message: /unknown TLS version "TLS1\.3"/,
    },
    {
      name: 'unknown cipher suite names the value',
      opts: { cipherSuites: ['TLS_FAKE_SUITE'] },
      message: /unknown cipher suite "TLS_FAKE_SUITE"/,
    },
    {
      name: 'a Go suite OpenSSL lacks names the value',
      opts: { cipherSuites: ['TLS_RSA_WITH_RC4_128_SHA'] },
      message: /"TLS_RSA_WITH_RC4_128_SHA" \(RC4-SHA\) is not available/,
    },
    {
      name: 'certificate without key',
      opts: { keyFile: undefined },
      message: /--tls-cert-file and --tls-private-key-file must be given together/,
    },
    {
      name: 'missing certificate file names the file',
      opts: { certFile: '/nonexistent/tls.crt' },
      message: /cannot read serving certificate file \/nonexistent\/tls\.crt/,
    },
    {
      name: 'key that does not match the certificate',
      opts: () => ({ keyFile: pki.alice.keyFile }),
      message: /key values mismatch|KEY_VALUES_MISMATCH/i,
    },
  ];
  it.each(configCases)('$name', async ({ opts, message }) => {
    await expect(start(typeof opts === 'function' ? opts() : opts)).rejects.toThrow(message);
  });

  it('a client cannot renegotiate (and so cannot swap its certificate mid-connection)', async () => {
    const s = await start();
    const socket = connect({
      host: '127.0.0.1',
      port: s.address().port,
      ca: pki.ca.certPem,
      maxVersion: 'TLSv1.2',
    });
    await new Promise<void>((r) => socket.once('secureConnect', () => r()));
    let reply = '';
    socket.on('error', () => undefined);
    // Either the server hangs up, or (unprotected) it answers the request: whichever comes first.
    const outcome = new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.on('data', (d: Buffer) => {
        reply += d.toString();
        if (reply.includes('200 OK')) resolve();
      });
    });
    socket.renegotiate({ rejectUnauthorized: false }, () => undefined);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await outcome;
    socket.destroy();
    expect(reply).not.toContain('200 OK');
  });

  it('a broken rotation keeps serving the previous certificate', async () => {
    const certFile = join(dir, 'broken.crt');
    const keyFile = join(dir, 'broken.key');
    copyFileSync(pki.server.certFile, certFile);
    copyFileSync(pki.server.keyFile, keyFile);
    const s = await start({ certFile, keyFile, pollIntervalMs: 60_000 });
    writeFileSync(keyFile, pki.alice.keyPem);
    await s.reloadNow();
    const res = await tlsRequest({ url: s.url(), ca: pki.ca.certPem });
    expect(res.peerCertificate.subject.CN).toBe('scaleplane');
  });
});
