import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateVerificationError,
  parseCABundle,
  verifyClientChain,
} from '../../../adapter/auth/index.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

const chainOf = (...pems: string[]): X509Certificate[] => pems.map((p) => new X509Certificate(p));
const dayMs = 86_400_000;

describe('verifyClientChain: should pass', () => {
  const cases = [
    {
      name: 'leaf signed by the bundle CA',
      chain: () => [pki.alice.certPem],
      bundle: () => pki.ca.certPem,
      pathCNs: ['alice', 'scaleplane-test-ca'],
    },
    {
      name: 'leaf through a peer-sent intermediate',
      chain: () => [pki.bob.certPem, pki.intermediateCa.certPem],
      bundle: () => pki.ca.certPem,
      pathCNs: ['bob', 'intermediate-ca', 'scaleplane-test-ca'],
    },
    {
      name: 'intermediate trusted directly in the bundle',
      chain: () => [pki.bob.certPem],
      bundle: () => pki.intermediateCa.certPem,
      pathCNs: ['bob', 'intermediate-ca'],
    },
    {
      name: 'bundle with several CAs',
      chain: () => [pki.frontProxyClient.certPem],
      bundle: () => pki.ca.certPem + pki.frontProxyCa.certPem,
      pathCNs: ['front-proxy-client', 'front-proxy-ca'],
    },
    {
      name: 'a certificate that is itself in the bundle',
      chain: () => [pki.alice.certPem],
      bundle: () => pki.alice.certPem,
      pathCNs: ['alice'],
    },
  ];
  it.each(cases)('$name', ({ chain, bundle, pathCNs }) => {
    const path = verifyClientChain(
      chainOf(...chain()),
      parseCABundle(bundle(), 'test'),
      Date.now(),
    );
    expect(path.map((c) => c.subject.split('\n')[0]!.replace('CN=', ''))).toEqual(pathCNs);
  });
});

describe('verifyClientChain: should fail', () => {
  const cases = [
    {
      name: 'signed by another CA',
      chain: () => [pki.rogueAlice.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'x509: certificate signed by unknown authority',
    },
    {
      name: 'front-proxy certificate against the client CA',
      chain: () => [pki.frontProxyClient.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'signed by unknown authority',
    },
    {
      name: 'intermediate missing from the chain',
      chain: () => [pki.bob.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'signed by unknown authority',
    },
    {
      name: 'a leaf cannot act as an intermediate',
      chain: () => [pki.bob.certPem, pki.alice.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'signed by unknown authority',
    },
    {
      name: 'serverAuth-only certificate',
      chain: () => [pki.aliceServerOnly.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'x509: certificate specifies an incompatible key usage',
    },
    {
      name: 'expired',
      chain: () => [pki.alice.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now() + 5 * dayMs,
      message: /has expired or is not yet valid: current time .* is after/,
    },
    {
      name: 'not yet valid',
      chain: () => [pki.alice.certPem],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now() - dayMs,
      message: /has expired or is not yet valid: current time .* is before/,
    },
    {
      name: 'empty chain',
      chain: () => [],
      bundle: () => pki.ca.certPem,
      nowMs: () => Date.now(),
      message: 'x509: no client certificate',
    },
  ];
  it.each(cases)('$name', ({ chain, bundle, nowMs, message }) => {
    const run = (): unknown =>
      verifyClientChain(chainOf(...chain()), parseCABundle(bundle(), 'test'), nowMs());
    expect(run).toThrow(CertificateVerificationError);
    expect(run).toThrow(message);
  });
});

describe('parseCABundle', () => {
  it('should pass: keeps every certificate and ignores other PEM blocks', () => {
    const bundle = parseCABundle(
      `junk\n${pki.ca.keyPem}${pki.ca.certPem}${pki.frontProxyCa.certPem}`,
      'f',
    );
    expect(bundle.certs).toHaveLength(2);
    expect(bundle.pem).not.toContain('PRIVATE KEY');
  });
  const fail = [
    { name: 'no certificate at all', pem: 'hello', message: 'ca.crt: no PEM certificates found' },
    {
      name: 'a corrupt certificate',
      pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      message: 'ca.crt: certificate 1 is not valid',
    },
  ];
  it.each(fail)('should fail: $name', ({ pem, message }) =>
    expect(() => parseCABundle(pem, 'ca.crt')).toThrow(message),
  );
});
