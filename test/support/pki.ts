/**
 * A throwaway PKI for TLS tests, made with the openssl CLI (node:crypto cannot issue X.509
 * certificates): a cluster CA with a serving certificate for 127.0.0.1/localhost and user client
 * certificates, a front-proxy CA with the aggregator's client certificate, and a rogue CA whose
 * certificates must be refused. EC P-256 keys keep generation fast.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);

export interface CertPair {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  /** Base file name in the PKI directory. */
  name: string;
  cn: string;
  /** Organisations: Kubernetes groups for x509 client certificates. */
  o?: string[];
  /** Issuer; self-signed CA when absent. */
  ca?: CertPair;
  /** subjectAltName entries such as `IP:127.0.0.1`, `DNS:localhost`. */
  san?: string[];
  usage?: 'serverAuth' | 'clientAuth';
  days?: number;
  /** An intermediate CA signed by `ca`. */
  isCA?: boolean;
}

/** Issues one key and certificate into `dir` with openssl. */
export async function issue(dir: string, opts: IssueOptions): Promise<CertPair> {
  const keyFile = join(dir, `${opts.name}.key`);
  const certFile = join(dir, `${opts.name}.crt`);
  const subj = `/CN=${opts.cn}${(opts.o ?? []).map((o) => `/O=${o}`).join('')}`;
  const days = String(opts.days ?? 2);
  const key = [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-subj',
    subj,
  ];
  if (!opts.ca) {
    const ext = [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ];
    await run('openssl', ['req', '-x509', ...key, '-days', days, ...ext, '-out', certFile]);
  } else {
    const csr = join(dir, `${opts.name}.csr`);
    const ext = opts.isCA
      ? [
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ]
      : [
          '-addext',
          'basicConstraints=critical,CA:FALSE',
          '-addext',
          'keyUsage=critical,digitalSignature,keyEncipherment',
        ];
    if (opts.usage) ext.push('-addext', `extendedKeyUsage=${opts.usage}`);
    if (opts.san?.length) ext.push('-addext', `subjectAltName=${opts.san.join(',')}`);
    await run('openssl', ['req', '-new', ...key, ...ext, '-out', csr]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      opts.ca.certFile,
      '-CAkey',
      opts.ca.keyFile,
      // A random serial per certificate: -CAcreateserial shares one serial file per CA, which
      // certificates issued in parallel (createTestPki) would race on.
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      days,
      '-copy_extensions',
      'copyall',
      '-out',
      certFile,
    ]);
  }
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
  };
}

export interface TestPki {
  dir: string;
  /** Cluster CA: signs the serving certificate and user client certificates (`--client-ca-file`). */
  ca: CertPair;
  /** Serving certificate for 127.0.0.1 and localhost. */
  server: CertPair;
  /** Front-proxy CA (`--requestheader-client-ca-file`). */
  frontProxyCa: CertPair;
  /** The aggregator's client certificate, CN=front-proxy-client. */
  frontProxyClient: CertPair;
  /** Signed by the front-proxy CA but with a CN outside --requestheader-allowed-names. */
  frontProxyOther: CertPair;
  /** User client certificate CN=alice O=devs, signed by the cluster CA. */
  alice: CertPair;
  /** A client certificate for CN=alice signed by an unrelated CA. */
  rogueAlice: CertPair;
  /** A certificate CN=alice signed by the cluster CA but only for serverAuth. */
  aliceServerOnly: CertPair;
  /** An intermediate CA under the cluster CA. */
  intermediateCa: CertPair;
  /** CN=bob O=devs signed by the intermediate; `chainPem` is bob followed by the intermediate. */
  bob: CertPair & { chainPem: string };
  cleanup(): void;
}

/** Creates the whole test PKI in a fresh temporary directory. */
export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-pki-'));
  const [ca, frontProxyCa, rogueCa] = await Promise.all([
    issue(dir, { name: 'ca', cn: 'scaleplane-test-ca' }),
    issue(dir, { name: 'front-proxy-ca', cn: 'front-proxy-ca' }),
    issue(dir, { name: 'rogue-ca', cn: 'rogue-ca' }),
  ]);
  const [server, frontProxyClient, frontProxyOther, alice, rogueAlice, aliceServerOnly] =
    await Promise.all([
      issue(dir, {
        name: 'server',
        cn: 'scaleplane',
        ca,
        san: ['IP:127.0.0.1', 'DNS:localhost'],
        usage: 'serverAuth',
      }),
      issue(dir, {
        name: 'front-proxy-client',
        cn: 'front-proxy-client',
        ca: frontProxyCa,
        usage: 'clientAuth',
      }),
      issue(dir, {
        name: 'front-proxy-other',
        cn: 'someone-else',
        ca: frontProxyCa,
        usage: 'clientAuth',
      }),
      issue(dir, { name: 'alice', cn: 'alice', o: ['devs', 'ops'], ca, usage: 'clientAuth' }),
      issue(dir, {
        name: 'rogue-alice',
        cn: 'alice',
        o: ['system:masters'],
        ca: rogueCa,
        usage: 'clientAuth',
      }),
      issue(dir, { name: 'alice-server-only', cn: 'alice', ca, usage: 'serverAuth' }),
    ]);
  const intermediateCa = await issue(dir, {
    name: 'intermediate-ca',
    cn: 'intermediate-ca',
    ca,
    isCA: true,
  });
  const bob = await issue(dir, {
    name: 'bob',
    cn: 'bob',
    o: ['devs'],
    ca: intermediateCa,
    usage: 'clientAuth',
  });
  return {
    dir,
    ca,
    intermediateCa,
    bob: { ...bob, chainPem: `${bob.certPem}${intermediateCa.certPem}` },
    server,
    frontProxyCa,
    frontProxyClient,
    frontProxyOther,
    alice,
    rogueAlice,
    aliceServerOnly,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
