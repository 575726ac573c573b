/**
 * The serving certificate used when none is configured, as k8s.io/apiserver
 * SecureServingOptions.MaybeDefaultWithSelfSignedCerts does: reuse `<cert-dir>/apiserver.{crt,key}`
 * when readable, else generate a one-year CA `<host>-ca@<unix>` and a serving certificate
 * `<host>@<unix>` (client-go util/cert GenerateSelfSignedCertKeyWithFixtures) and write the chain.
 * Node.js cannot encode X.509 certificates; node-forge does, in-process (no `openssl` command).
 * @module
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Clock } from '../../src/observability/index.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const HOUR_MS = 3_600_000;
/** client-go's maxAge for self-signed serving certificates: one year. */
const YEAR_MS = 365 * 24 * HOUR_MS;

export interface SelfSignedOptions {
  /** `--cert-dir`; without it the pair stays in memory. */
  certDir?: string;
  /** Common-name host; metrics-server passes "localhost". */
  host: string;
  alternateIPs: readonly string[];
  alternateDNS: readonly string[];
  clock: Clock;
}

export interface ServingPair {
  certPem: string;
  keyPem: string;
  /** Set when the pair lives in files that may be rotated. */
  certFile?: string;
  keyFile?: string;
  generated: boolean;
}

/** Upstream's pair name: the files are apiserver.crt and apiserver.key. */
export const pairName = 'apiserver';

/** Returns the pair in certDir when readable, else generates (and, with certDir, writes) a new one. */
export async function ensureSelfSignedPair(options: SelfSignedOptions): Promise<ServingPair> {
  const certFile = options.certDir ? join(options.certDir, `${pairName}.crt`) : undefined;
  const keyFile = options.certDir ? join(options.certDir, `${pairName}.key`) : undefined;
  if (certFile && keyFile) {
    const existing = await readPair(certFile, keyFile);
    if (existing) return { ...existing, certFile, keyFile, generated: false };
  }
  const generated = await generate(options);
  if (certFile && keyFile && options.certDir) {
    await mkdir(options.certDir, { recursive: true, mode: 0o755 });
    await writeFile(certFile, generated.certPem, { mode: 0o644 });
    await writeFile(keyFile, generated.keyPem, { mode: 0o600 });
    return { ...generated, certFile, keyFile, generated: true };
  }
  return { ...generated, generated: true };
}

async function readPair(
  certFile: string,
  keyFile: string,
): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(certFile, 'utf8'),
      readFile(keyFile, 'utf8'),
    ]);
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

/** A random positive 128-bit serial, hex, as Go's crypto/x509 callers draw them. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  bytes[0]! |= 0x01;
  return bytes.toString('hex');
}

interface KeyPair {
  keyPem: string;
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
}

/** An RSA-2048 key from node:crypto (native, off the event loop), in PKCS#8 PEM like openssl's. */
async function rsaKey(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    keyPem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  };
}

// CN as UTF8String: '@' is outside PrintableString, which strict parsers refuse.
const commonName = (value: string) => [
  { name: 'commonName', value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
];

function certificate(
  key: KeyPair,
  cn: string,
  validity: { from: Date; to: Date },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = validity.from;
  cert.validity.notAfter = validity.to;
  cert.setSubject(commonName(cn));
  return cert;
}

/**
 * The CA and the serving certificate of client-go's GenerateSelfSignedCertKeyWithFixtures: valid
 * from an hour ago (clock skew) for a year; the CA signs certificates, the leaf serves TLS for
 * the host and alternates. Keys come from node:crypto, certificates are encoded and signed
 * (SHA-256 with RSA) by node-forge, in-process: the image has no openssl command.
 */
async function generate(options: SelfSignedOptions): Promise<{ certPem: string; keyPem: string }> {
  const unix = Math.floor(options.clock.now() / 1000);
  // The window follows the real time, not the injected clock (which names the certificate): peers
  // check it against their own clocks, whatever a simulated or test clock says.
  const realNowMs = Date.now();
  const validity = {
    from: new Date(realNowMs - HOUR_MS),
    to: new Date(realNowMs - HOUR_MS + YEAR_MS),
  };
  const ips = [...options.alternateIPs];
  const dns = [...options.alternateDNS];
  (isIP(options.host) ? ips : dns).unshift(options.host);
  try {
    const [caKey, leafKey] = await Promise.all([rsaKey(), rsaKey()]);
    const ca = certificate(caKey, `${options.host}-ca@${unix}`, validity);
    ca.setIssuer(ca.subject.attributes);
    ca.setExtensions([
      { name: 'basicConstraints', critical: true, cA: true },
      {
        name: 'keyUsage',
        critical: true,
        digitalSignature: true,
        keyEncipherment: true,
        keyCertSign: true,
      },
      { name: 'subjectKeyIdentifier' },
    ]);
    ca.sign(caKey.privateKey, forge.md.sha256.create());

    const leaf = certificate(leafKey, `${options.host}@${unix}`, validity);
    leaf.setIssuer(ca.subject.attributes);
    leaf.setExtensions([
      { name: 'basicConstraints', critical: true, cA: false },
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...ips.map((ip) => ({ type: 7, ip })),
          ...dns.map((value) => ({ type: 2, value })),
        ],
      },
      { name: 'subjectKeyIdentifier' },
      {
        name: 'authorityKeyIdentifier',
        keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes(),
      },
    ]);
    leaf.sign(caKey.privateKey, forge.md.sha256.create());
    // Leaf first, then the CA, as upstream writes the serving chain.
    const certPem = `${forge.pki.certificateToPem(leaf).trimEnd()}\n${forge.pki.certificateToPem(ca).trimEnd()}\n`;
    return { certPem: certPem.replace(/\r\n/g, '\n'), keyPem: leafKey.keyPem };
  } catch (err) {
    throw new Error(
      `cannot generate a self-signed serving certificate for ${options.host}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
