/**
 * Client certificate authentication (k8s.io/apiserver authentication/request/x509/x509.go with
 * CommonNameUserConversion): a certificate that verifies against the client CA names the user by
 * its subject CN and the groups by its O values.
 * @module
 */
import type { Clock } from '../../src/observability/index.js';
import type { CABundle } from './ca-bundle.js';
import type { AuthRequest, Authenticator, UserInfo } from './types.js';
import { CertificateVerificationError, subjectValues, verifyRequestChain } from './verify.js';

export interface X509Options {
  /** The client CA in force (`--client-ca-file` or the ConfigMap's `client-ca-file`). */
  ca: () => CABundle | undefined;
  clock: Clock;
}

export function createX509Authenticator(options: X509Options): Authenticator {
  const authenticate = (req: AuthRequest): UserInfo | undefined => {
    const chain = req.peerCertificates();
    if (chain.length === 0) return undefined;
    const bundle = options.ca();
    // No CA content on purpose means no client certificate can authenticate.
    if (!bundle) return undefined;
    let leaf;
    try {
      leaf = verifyRequestChain(req, bundle, options.clock.now())[0]!;
    } catch (err) {
      if (!(err instanceof CertificateVerificationError)) throw err;
      throw new CertificateVerificationError(
        `verifying certificate SN=${chain[0]!.serialNumber} failed: ${err.message}`,
      );
    }
    // pkix.Name keeps the last CN; an empty one authenticates nobody (CommonNameUserConversion).
    const name = subjectValues(leaf, 'CN').at(-1) ?? '';
    if (!name) return undefined;
    return { name, groups: subjectValues(leaf, 'O'), extra: {} };
  };
  return { method: 'x509', authenticate: (req) => Promise.resolve(req).then(authenticate) };
}
