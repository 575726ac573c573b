/**
 * The authorizers a delegating API server runs before asking the cluster (k8s.io/apiserver
 * options/authorization.go toAuthorizer): members of the always-allow groups (system:masters) may
 * do anything, the always-allow paths are open to every authenticated (or conditionally anonymous)
 * user, and the first authorizer with an opinion decides (authorization/union).
 * @module
 */
import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

const noOpinion: AuthorizationResult = { decision: 'noOpinion', reason: '' };

/** authorizerfactory.NewPrivilegedGroups: allows any request from a member of `groups`. */
export function privilegedGroupsAuthorizer(groups: readonly string[]): Authorizer {
  return {
    authorize: (attrs) =>
      Promise.resolve(
        attrs.user.groups.some((g) => groups.includes(g))
          ? { decision: 'allow', reason: '' }
          : noOpinion,
      ),
  };
}

/**
 * Compiles --authorization-always-allow-paths (authorization/path.NewAuthorizer): the leading `/`
 * is optional, a trailing `*` matches a prefix, and `*` anywhere else is an error.
 */
export function compileAlwaysAllowPaths(patterns: readonly string[]): (path: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/^\//, '');
    if (p.slice(0, -1).includes('*'))
      throw new Error(
        `--authorization-always-allow-paths: only trailing * allowed in ${JSON.stringify(p)}`,
      );
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (path) => {
    const p = path.replace(/^\//, '');
    return exact.has(p) || prefixes.some((prefix) => p.startsWith(prefix));
  };
}

/** Allows non-resource requests to the always-allow paths; no opinion on anything else. */
export function alwaysAllowPathsAuthorizer(matches: (path: string) => boolean): Authorizer {
  return {
    authorize: (attrs) =>
      Promise.resolve(
        !attrs.isResourceRequest && matches(attrs.path)
          ? { decision: 'allow', reason: '' }
          : noOpinion,
      ),
  };
}

/** Every authorizer failed to decide; the request is answered 500, not 403. */
export class AuthorizationError extends Error {
  readonly code = 'AuthorizationFailed';
  constructor(readonly errors: readonly Error[]) {
    super(
      errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`,
    );
    this.name = 'AuthorizationError';
  }
}

/**
 * union.New: the first allow or deny decides; otherwise no opinion with the reasons joined by
 * newlines, or an {@link AuthorizationError} when any authorizer failed.
 */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attrs: Attributes): Promise<AuthorizationResult> {
      const errors: Error[] = [];
      const reasons: string[] = [];
      let cached = false;
      for (const authorizer of authorizers) {
        let result: AuthorizationResult;
        try {
          result = await authorizer.authorize(attrs);
        } catch (err) {
          errors.push(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        cached ||= result.cached === true;
        if (result.reason) reasons.push(result.reason);
        if (result.decision !== 'noOpinion') return { ...result, cached };
      }
      if (errors.length > 0) throw new AuthorizationError(errors);
      return { decision: 'noOpinion', reason: reasons.join('\n'), cached };
    },
  };
}
