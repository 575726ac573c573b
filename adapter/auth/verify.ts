/**
 * Client certificate chain verification against one CA bundle, as Go's x509.Certificate.Verify
 * with KeyUsages [ClientAuth] does for k8s.io/apiserver's x509 authenticator and requestheader
 * verifier (authentication/request/x509/x509.go): a path from the leaf through peer-supplied
 * intermediates to a certificate of the bundle, every signature checked, every certificate valid
 * now, and extended key usage allowing client authentication. The TLS layer verifies nothing
 * (it serves token and anonymous requests too), so this is the whole check.
 * @module
 */
import type { X509Certificate } from 'node:crypto';
import type { CABundle } from './ca-bundle.js';
import type { AuthRequest } from './types.js';

const clientAuthOid = '1.3.6.1.5.5.7.3.2';
const anyExtendedKeyUsageOid = '2.5.29.37.0';
/** Go's x509 gives up on paths longer than this; so do we. */
const maxIntermediates = 8;

/** A client certificate that does not verify; the message follows Go's x509 wording. */
export class CertificateVerificationError extends Error {
  readonly code = 'CertificateInvalid';
  constructor(message: string) {
    super(message);
    this.name = 'CertificateVerificationError';
  }
}

interface VerifiedPath {
  path: X509Certificate[];
  notBeforeMs: number;
  notAfterMs: number;
}

/** EKU absent means any usage (RFC 5280 and Go); present, it must allow client authentication. */
function allowsClientAuth(cert: X509Certificate): boolean {
  const eku = cert.keyUsage as string[] | undefined;
  return (
    eku === undefined ||
    eku.length === 0 ||
    eku.includes(clientAuthOid) ||
    eku.includes(anyExtendedKeyUsageOid)
  );
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

/** Depth-first search for a signature path to a bundle certificate (Go's buildChains). */
function buildPath(
  cert: X509Certificate,
  pool: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  depth: number,
): X509Certificate[] | undefined {
  if (roots.some((r) => r.fingerprint256 === cert.fingerprint256)) return [cert];
  const root = roots.find((r) => issuedBy(cert, r));
  if (root) return [cert, root];
  if (depth >= maxIntermediates) return undefined;
  for (const candidate of pool) {
    if (
      !candidate.ca ||
      candidate.fingerprint256 === cert.fingerprint256 ||
      !issuedBy(cert, candidate)
    )
      continue;
    if (!allowsClientAuth(candidate)) continue;
    const rest = buildPath(
      candidate,
      pool.filter((c) => c !== candidate),
      roots,
      depth + 1,
    );
    if (rest) return [cert, ...rest];
  }
  return undefined;
}

function verifyUncached(chain: readonly X509Certificate[], bundle: CABundle): VerifiedPath {
  const leaf = chain[0];
  if (!leaf) throw new CertificateVerificationError('x509: no client certificate');
  if (!allowsClientAuth(leaf))
    throw new CertificateVerificationError('x509: certificate specifies an incompatible key usage');
  const path = buildPath(leaf, chain.slice(1), bundle.certs, 0);
  if (!path)
    throw new CertificateVerificationError('x509: certificate signed by unknown authority');
  return {
    path,
    notBeforeMs: Math.max(...path.map((c) => Date.parse(c.validFrom))),
    notAfterMs: Math.min(...path.map((c) => Date.parse(c.validTo))),
  };
}

function checkTime(verified: VerifiedPath, nowMs: number): void {
  const now = new Date(nowMs).toISOString();
  if (nowMs > verified.notAfterMs) {
    throw new CertificateVerificationError(
      `x509: certificate has expired or is not yet valid: current time ${now} is after ${new Date(verified.notAfterMs).toISOString()}`,
    );
  }
  if (nowMs < verified.notBeforeMs) {
    throw new CertificateVerificationError(
      `x509: certificate has expired or is not yet valid: current time ${now} is before ${new Date(verified.notBeforeMs).toISOString()}`,
    );
  }
}

/** Verifies `chain` (leaf first) against `bundle` at `nowMs`; returns the path leaf → bundle CA. */
export function verifyClientChain(
  chain: readonly X509Certificate[],
  bundle: CABundle,
  nowMs: number,
): X509Certificate[] {
  const verified = verifyUncached(chain, bundle);
  checkTime(verified, nowMs);
  return verified.path;
}

/**
 * Signature checks cost tens of microseconds and a connection's certificate never changes, so
 * results are kept per connection and bundle; validity times are still checked on every request.
 */
const perConnection = new WeakMap<
  object,
  WeakMap<CABundle, VerifiedPath | CertificateVerificationError>
>();

/** {@link verifyClientChain} for a request, remembering the signature result per TLS connection. */
export function verifyRequestChain(
  req: AuthRequest,
  bundle: CABundle,
  nowMs: number,
): X509Certificate[] {
  const key = req.connection;
  let byBundle = key ? perConnection.get(key) : undefined;
  let result = byBundle?.get(bundle);
  if (!result) {
    try {
      result = verifyUncached(req.peerCertificates(), bundle);
    } catch (err) {
      if (!(err instanceof CertificateVerificationError)) throw err;
      result = err;
    }
    if (key) {
      byBundle ??= new WeakMap();
      byBundle.set(bundle, result);
      perConnection.set(key, byBundle);
    }
  }
  if (result instanceof CertificateVerificationError) throw result;
  checkTime(result, nowMs);
  return result.path;
}

/**
 * Subject attribute values by short name (`CN`, `O`), in certificate order and unescaped (Node's
 * `subject` text escapes `,` `+` `"` and joins multi-valued RDNs, so it is not parsed here).
 */
export function subjectValues(cert: X509Certificate, attribute: string): string[] {
  const value = (
    cert.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>
  )[attribute];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
