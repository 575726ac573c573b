/**
 * The serving certificate used when none is configured, as k8s.io/apiserver
 * SecureServingOptions.MaybeDefaultWithSelfSignedCerts does: reuse `<cert-dir>/apiserver.{crt,key}`
 * when readable, else generate a one-year CA `<host>-ca@<unix>` and a serving certificate
 * `<host>@<unix>` (client-go util/cert GenerateSelfSignedCertKeyWithFixtures) and write the chain.
 * Node.js cannot create X.509 certificates, so this runs the `openssl` command.
 * @module
 */
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Clock } from '../../src/observability/index.js';

const run = promisify(execFile);

export interface SelfSignedOptions {
  /** `--cert-dir`; without it the pair stays in memory. */
  certDir?: string;
  /** Common-name host; metrics-server passes "localhost". */
  host: string;
  alternateIPs: readonly string[];
  alternateDNS: readonly string[];
  clock: Clock;
  /** The openssl executable; the PATH lookup by default. */
  openssl?: string;
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

async function openssl(options: SelfSignedOptions, args: string[]): Promise<void> {
  try {
    await run(options.openssl ?? 'openssl', args);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'cannot generate a self-signed serving certificate: the openssl command was not found; ' +
          'install openssl or pass --tls-cert-file and --tls-private-key-file',
        { cause: err },
      );
    }
    const stderr = (err as { stderr?: string | Buffer }).stderr?.toString().trim() ?? '';
    throw new Error(
      `cannot generate a self-signed serving certificate: openssl ${args[0]} failed: ${stderr}`,
      { cause: err },
    );
  }
}

async function generate(options: SelfSignedOptions): Promise<{ certPem: string; keyPem: string }> {
  const work = await mkdtemp(join(tmpdir(), 'scaleplane-selfsigned-'));
  try {
    const unix = Math.floor(options.clock.now() / 1000);
    const ips = [...options.alternateIPs];
    const dns = [...options.alternateDNS];
    (isIP(options.host) ? ips : dns).unshift(options.host);
    const san = [...ips.map((ip) => `IP:${ip}`), ...dns.map((d) => `DNS:${d}`)].join(',');
    const f = (name: string): string => join(work, name);
    const rsa = ['-newkey', 'rsa:2048', '-nodes'];
    await openssl(options, [
      'req',
      '-x509',
      ...rsa,
      '-keyout',
      f('ca.key'),
      '-subj',
      `/CN=${options.host}-ca@${unix}`,
      '-days',
      '365',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
      '-out',
      f('ca.crt'),
    ]);
    await openssl(options, [
      'req',
      '-new',
      ...rsa,
      '-keyout',
      f('tls.key'),
      '-subj',
      `/CN=${options.host}@${unix}`,
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext',
      'extendedKeyUsage=serverAuth',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      `subjectAltName=${san}`,
      '-out',
      f('tls.csr'),
    ]);
    await openssl(options, [
      'x509',
      '-req',
      '-in',
      f('tls.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-set_serial',
      String(unix),
      '-days',
      '365',
      '-copy_extensions',
      'copyall',
      '-out',
      f('tls.crt'),
    ]);
    const [leaf, ca, keyPem] = await Promise.all(
      ['tls.crt', 'ca.crt', 'tls.key'].map((n) => readFile(f(n), 'utf8')),
    );
    // Leaf first, then the CA, as upstream writes the serving chain.
    return { certPem: `${leaf!.trimEnd()}\n${ca!.trimEnd()}\n`, keyPem: keyPem! };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
