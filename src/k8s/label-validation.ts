/**
 * Kubernetes' syntax rules for label keys and values (apimachinery pkg/util/validation
 * validation.go IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain). Hand-written character
 * checks instead of the upstream regular expressions: linear on any input.
 * @module
 */

const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_MAX_LENGTH = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

function isAlphanumeric(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

function isLowerAlphanumeric(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/** `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`: the shape of a name part and of a label value. */
function isQualifiedToken(s: string): boolean {
  if (s.length === 0) return false;
  if (!isAlphanumeric(s[0]!) || !isAlphanumeric(s[s.length - 1]!)) return false;
  for (const c of s) {
    if (!isAlphanumeric(c) && c !== '-' && c !== '_' && c !== '.') return false;
  }
  return true;
}

/**
 * One dot-separated part of a DNS-1123 subdomain: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`. Upstream's
 * subdomain regex caps only the whole name (253), not each part.
 */
function isSubdomainPart(s: string): boolean {
  if (s.length === 0) return false;
  if (!isLowerAlphanumeric(s[0]!) || !isLowerAlphanumeric(s[s.length - 1]!)) return false;
  for (const c of s) {
    if (!isLowerAlphanumeric(c) && c !== '-') return false;
  }
  return true;
}

/** Why `s` is not a DNS-1123 subdomain (lower-case, dot-separated, at most 253 characters), or undefined. */
export function dns1123SubdomainIssue(s: string): string | undefined {
  if (s.length > DNS1123_SUBDOMAIN_MAX_LENGTH)
    return `must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`;
  if (!s.split('.').every(isSubdomainPart))
    return "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/**
 * Why `key` is not a valid label key (optional DNS-1123 subdomain prefix and '/', then a name of at
 * most 63 characters: alphanumerics with '-', '_' or '.' inside), or undefined when valid.
 */
export function labelKeyIssue(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2)
    return "a qualified name has at most one '/' (an optional DNS subdomain prefix and a name)";
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const prefixIssue = dns1123SubdomainIssue(prefix);
    if (prefixIssue !== undefined) return `prefix part ${prefixIssue}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > QUALIFIED_NAME_MAX_LENGTH)
    return `name part must be no more than ${QUALIFIED_NAME_MAX_LENGTH} characters`;
  if (!isQualifiedToken(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Why `value` is not a valid label value (empty, or at most 63 characters shaped like a name part), or undefined. */
export function labelValueIssue(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > LABEL_VALUE_MAX_LENGTH)
    return `must be no more than ${LABEL_VALUE_MAX_LENGTH} characters`;
  if (!isQualifiedToken(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}
