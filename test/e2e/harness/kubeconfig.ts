/**
 * Kubeconfig files for the cluster's components and the tests, referring to the PKI files by path.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { CertPair } from '../../support/pki.js';

/** How a kubeconfig's user authenticates: a client certificate, or a bearer token (a ServiceAccount's). */
export type KubeconfigUser = CertPair | { token: string };

/** Writes a single-context kubeconfig for `server`. */
export function writeKubeconfig(
  file: string,
  server: string,
  caFile: string,
  user: KubeconfigUser,
): string {
  const credentials =
    'token' in user
      ? { token: user.token }
      : { 'client-certificate': user.certFile, 'client-key': user.keyFile };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'e2e',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'e2e', user: credentials }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'e2e' } }],
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}
