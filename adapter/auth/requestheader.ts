/**
 * Front-proxy authentication: the aggregator (kube-apiserver) presents a client certificate from
 * the requestheader CA and names the user in headers (k8s.io/apiserver
 * authentication/request/headerrequest/requestheader.go behind x509.Verifier). The certificate
 * must verify against that CA and, when --requestheader-allowed-names is not empty, carry one of
 * those common names; only then are the headers believed.
 * @module
 */
import type { Clock } from '../../src/observability/index.js';
import type { CABundle } from './ca-bundle.js';
import type { AuthRequest, Authenticator, UserInfo } from './types.js';
import { CertificateVerificationError, subjectValues, verifyRequestChain } from './verify.js';

/** The requestheader settings; from flags or from the extension-apiserver-authentication ConfigMap. */
export interface RequestHeaderSettings {
  usernameHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
  /** Common names allowed to assert identities; empty allows any certificate from the CA. */
  allowedNames: readonly string[];
}

export interface RequestHeaderOptions {
  /** The requestheader CA in force (changes with the ConfigMap or file). */
  ca: () => CABundle | undefined;
  settings: () => RequestHeaderSettings;
  clock: Clock;
}

/** trimHeaders: blanks around names are dropped and an empty name is a configuration error. */
export function normaliseHeaderNames(flag: string, names: readonly string[]): string[] {
  return names.map((raw) => {
    const name = raw.trim();
    if (name === '') throw new Error(`${flag}: empty header name in ${JSON.stringify(names)}`);
    return name.toLowerCase();
  });
}

/** url.PathUnescape, keeping the raw key when it is not valid escaping (unescapeExtraKey). */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function firstValue(req: AuthRequest, names: readonly string[]): string {
  for (const name of names) {
    const value = req.headers[name.toLowerCase()]?.[0];
    if (value) return value;
  }
  return '';
}

function allValues(req: AuthRequest, names: readonly string[]): string[] {
  return names.flatMap((name) =>
    (req.headers[name.toLowerCase()] ?? []).filter((v) => v.length > 0),
  );
}

function extraFrom(req: AuthRequest, prefixes: readonly string[]): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  for (const prefix of prefixes.map((p) => p.toLowerCase())) {
    for (const [header, values] of Object.entries(req.headers)) {
      if (!values || !header.startsWith(prefix)) continue;
      const key = unescapeExtraKey(header.slice(prefix.length).toLowerCase());
      (extra[key] ??= []).push(...values);
    }
  }
  return extra;
}

/** ClearAuthenticationHeaders: nothing downstream may read an asserted identity again. */
function clearHeaders(req: AuthRequest, s: RequestHeaderSettings): void {
  for (const name of [...s.usernameHeaders, ...s.groupHeaders])
    req.removeHeader(name.toLowerCase());
  const prefixes = s.extraHeaderPrefixes.map((p) => p.toLowerCase());
  for (const header of Object.keys(req.headers)) {
    if (prefixes.some((p) => header.startsWith(p))) req.removeHeader(header);
  }
}

export function createRequestHeaderAuthenticator(options: RequestHeaderOptions): Authenticator {
  const authenticate = (req: AuthRequest): UserInfo | undefined => {
    if (req.peerCertificates().length === 0) return undefined;
    const bundle = options.ca();
    if (!bundle) return undefined;
    const path = verifyRequestChain(req, bundle, options.clock.now());
    const settings = options.settings();
    const cn = subjectValues(path[0]!, 'CN').at(-1) ?? '';
    if (settings.allowedNames.length > 0 && !settings.allowedNames.includes(cn)) {
      throw new CertificateVerificationError(
        `x509: subject with cn=${cn} is not in the allowed list`,
      );
    }
    const name = firstValue(req, settings.usernameHeaders);
    if (!name) return undefined;
    const user: UserInfo = {
      name,
      groups: allValues(req, settings.groupHeaders),
      extra: extraFrom(req, settings.extraHeaderPrefixes),
    };
    clearHeaders(req, settings);
    return user;
  };
  return {
    method: 'requestheader',
    authenticate: (req) => Promise.resolve(req).then(authenticate),
  };
}
