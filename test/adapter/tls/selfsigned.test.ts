import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(Date.parse(leaf!.validTo) - Date.now()).toBeGreaterThan(364 * 86_400_000);
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

describe('ensureSelfSignedPair: should fail', () => {
  it('without openssl the error says what to do', async () => {
    await expect(
      ensureSelfSignedPair({
        host: 'localhost',
        alternateIPs: [],
        alternateDNS: [],
        clock,
        openssl: '/nonexistent/openssl',
      }),
    ).rejects.toThrow(
      'the openssl command was not found; install openssl or pass --tls-cert-file and --tls-private-key-file',
    );
  });

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
