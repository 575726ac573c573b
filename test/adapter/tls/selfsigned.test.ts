import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSelfSignedPair } from '../../../adapter/tls/index.js';

const dir = mkdtempSync(join(tmpdir(), 'scaleplane-selfsigned-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clock = { now: () => 1_700_000_000_000 };
const certsOf = (pem: string) =>
  pem.split(/(?=-----BEGIN CERTIFICATE-----)/).map((p) => new X509Certificate(p));

describe('ensureSelfSignedPair: should pass', () => {
  it('in memory without a cert dir: leaf then CA, SANs for the host and alternates', async () => {
    const pair = await ensureSelfSignedPair({
      host: '10.0.0.5',
      alternateIPs: ['127.0.0.1'],
      alternateDNS: ['localhost'],
      clock,
    });
    const [leaf, ca] = certsOf(pair.certPem);
    expect([pair.generated, pair.certFile]).toEqual([true, undefined]);
    expect(leaf!.subject).toBe('CN=10.0.0.5@1700000000');
    expect(leaf!.subjectAltName).toBe('IP Address:10.0.0.5, IP Address:127.0.0.1, DNS:localhost');
    expect(leaf!.checkIssued(ca!) && leaf!.verify(ca!.publicKey)).toBe(true);
    expect(ca!.ca).toBe(true);
    // client-go's window: from an hour before the real now (clock skew) for a year.
    expect(Date.now() - Date.parse(leaf!.validFrom)).toBeGreaterThanOrEqual(3_599_000);
    expect(Date.parse(leaf!.validTo) - Date.now()).toBeGreaterThan(364 * 86_400_000);
    expect(ca!.subject).toBe('CN=10.0.0.5-ca@1700000000');
    expect(ca!.keyUsage).toBeUndefined(); // X509Certificate.keyUsage lists extended key usages only
    expect(leaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf!.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf!.checkHost('localhost')).toBe('localhost');
    expect(leaf!.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
  });

  it('writes the key private to the cert dir and reuses an existing pair', async () => {
    const certDir = join(dir, 'a');
    const first = await ensureSelfSignedPair({
      certDir,
      host: 'localhost',
      alternateIPs: [],
      alternateDNS: [],
      clock,
    });
    expect(statSync(join(certDir, 'apiserver.key')).mode & 0o777).toBe(0o600);
    const second = await ensureSelfSignedPair({
      certDir,
      host: 'localhost',
      alternateIPs: [],
      alternateDNS: [],
      clock,
    });
    expect(second).toMatchObject({ generated: false, certPem: first.certPem });
  });
});

describe('ensureSelfSignedPair: in-process', () => {
  it('needs no openssl command: generation works with an empty PATH, IPv6 SANs included', async () => {
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      const pair = await ensureSelfSignedPair({
        host: 'localhost',
        alternateIPs: ['::1'],
        alternateDNS: ['scaleplane.kube-system.svc'],
        clock,
      });
      const [leaf, ca] = certsOf(pair.certPem);
      expect(leaf!.subjectAltName).toBe(
        'IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:scaleplane.kube-system.svc',
      );
      expect(leaf!.verify(ca!.publicKey)).toBe(true);
      expect(ca!.verify(ca!.publicKey)).toBe(true);
      expect(pair.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('a TLS client that trusts the CA accepts the served chain for the host', async () => {
    const pair = await ensureSelfSignedPair({
      host: 'localhost',
      alternateIPs: ['127.0.0.1'],
      alternateDNS: [],
      clock: { now: () => Date.now() },
    });
    const [, ca] = certsOf(pair.certPem);
    const server = createServer({ cert: pair.certPem, key: pair.keyPem }, (s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(
          { host: '127.0.0.1', port, servername: 'localhost', ca: ca!.toString() },
          () => {
            let data = '';
            socket.on('data', (d: Buffer) => (data += d.toString()));
            socket.on('end', () => resolve(data));
          },
        );
        socket.on('error', reject);
      });
      expect(text).toBe('ok');
    } finally {
      server.close();
    }
  });
});

describe('ensureSelfSignedPair: should fail', () => {
  it('an unwritable cert dir fails with the file system error', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    await expect(
      ensureSelfSignedPair({
        certDir: join(blocker, 'sub'),
        host: 'localhost',
        alternateIPs: [],
        alternateDNS: [],
        clock,
      }),
    ).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});
