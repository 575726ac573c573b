/**
 * `--tls-min-version` and `--tls-cipher-suites` with the Go names Kubernetes components accept
 * (k8s.io/component-base/cli/flag ciphersuites_flag.go TLSVersion / TLSCipherSuites), translated
 * to the OpenSSL names Node.js understands. Unknown or unavailable names are errors that quote the
 * offending value, so a flag copied from a metrics-server manifest either means the same thing here
 * or fails loudly.
 * @module
 */
import { getCiphers } from 'node:tls';
import type { SecureVersion } from 'node:tls';

const versions: Record<string, SecureVersion> = {
  VersionTLS10: 'TLSv1',
  VersionTLS11: 'TLSv1.1',
  VersionTLS12: 'TLSv1.2',
  VersionTLS13: 'TLSv1.3',
};

/** Go crypto/tls suite names (CipherSuites() and InsecureCipherSuites()) to OpenSSL names. */
const goToOpenSsl: Record<string, string> = {
  TLS_RSA_WITH_RC4_128_SHA: 'RC4-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'ECDHE-ECDSA-RC4-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'ECDHE-RSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  // Go keeps the pre-RFC aliases of the two ChaCha20 suites.
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
};

/** Go's TLS 1.3 suites; Go never lets a config turn them off, so neither do we. */
const tls13Suites = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
];

/** Maps `--tls-min-version` (VersionTLS10..VersionTLS13) to Node's name; undefined means Node's default. */
export function tlsMinVersion(name: string | undefined): SecureVersion | undefined {
  if (name === undefined || name === '') return undefined;
  const version = versions[name];
  if (!version)
    throw new Error(
      `unknown TLS version "${name}" in --tls-min-version (valid: ${Object.keys(versions).join(', ')})`,
    );
  return version;
}

/**
 * Maps `--tls-cipher-suites` Go names to an OpenSSL cipher string for `tls.createSecureContext`.
 * The TLS 1.3 suites are always appended: Go ignores the list for TLS 1.3, whereas Node would
 * disable TLS 1.3 altogether when the string names no TLS 1.3 suite.
 */
export function tlsCipherString(names: readonly string[] | undefined): string | undefined {
  if (!names || names.length === 0) return undefined;
  const available = new Set(getCiphers().map((c) => c.toUpperCase()));
  const mapped = names.map((raw) => {
    const name = raw.trim();
    const openssl = goToOpenSsl[name];
    if (!openssl)
      throw new Error(
        `unknown cipher suite "${name}" in --tls-cipher-suites (use Go names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`,
      );
    if (!available.has(openssl.toUpperCase())) {
      throw new Error(
        `cipher suite "${name}" (${openssl}) is not available in this Node.js OpenSSL build`,
      );
    }
    return openssl;
  });
  const tls12 = mapped.filter((c) => !c.startsWith('TLS_'));
  return [...tls13Suites, ...new Set(tls12)].join(':');
}
