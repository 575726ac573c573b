/**
 * The authentication chain of a delegating API server (k8s.io/apiserver authenticatorfactory
 * DelegatingAuthenticatorConfig.New): requestheader, then x509, then token; the first identity
 * wins and errors of the others are forgotten (authentication/request/union); every identity gets
 * `system:authenticated` (group.AuthenticatedGroupAdder); anonymous comes last and only when the
 * chain found no credential at all, never after a rejected one (union.NewFailOnError). Anonymous
 * may be limited to some paths, as the structured anonymous configuration's `conditions` do.
 * @module
 */
import type { AuthMethod, AuthRequest, Authenticator, UserInfo } from './types.js';
import { TokenReviewUnavailableError } from './token.js';

export const anonymousUser = 'system:anonymous';
export const unauthenticatedGroup = 'system:unauthenticated';
export const authenticatedGroup = 'system:authenticated';

export interface AuthenticationOutcome {
  user: UserInfo;
  method: AuthMethod;
}

/** The result label of the attempts counter. */
export type AttemptResult = 'success' | 'failure' | 'error';

/** Every credential presented was rejected; `errors` keeps each authenticator's reason. */
export class AuthenticationError extends Error {
  readonly code = 'AuthenticationFailed';
  constructor(readonly errors: readonly Error[]) {
    // utilerrors.NewAggregate: one error as is, several in brackets.
    super(
      errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`,
    );
    this.name = 'AuthenticationError';
  }
}

export interface UnionOptions {
  authenticators: readonly Authenticator[];
  /** Anonymous for every path (true), none (false), or a predicate on the request path. */
  anonymous: boolean | ((path: string) => boolean);
  /** Counts each attempt: the method that looked at a credential and what came of it. */
  record?: (method: AuthMethod | 'none', result: AttemptResult) => void;
}

export interface RequestAuthenticator {
  /** The identity, or undefined for a request with no credential and no anonymous access. */
  authenticate(req: AuthRequest, path: string): Promise<AuthenticationOutcome | undefined>;
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === anonymousUser) return user;
  if (user.groups.includes(authenticatedGroup) || user.groups.includes(unauthenticatedGroup))
    return user;
  return { ...user, groups: [...user.groups, authenticatedGroup] };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function createUnionAuthenticator(options: UnionOptions): RequestAuthenticator {
  const record = options.record ?? (() => undefined);
  const anonymousFor = (path: string): boolean =>
    typeof options.anonymous === 'function' ? options.anonymous(path) : options.anonymous;
  return {
    async authenticate(req, path) {
      const errors: Error[] = [];
      for (const authenticator of options.authenticators) {
        try {
          const user = await authenticator.authenticate(req);
          if (!user) continue;
          record(authenticator.method, 'success');
          return { user: withAuthenticatedGroup(user), method: authenticator.method };
        } catch (err) {
          record(
            authenticator.method,
            err instanceof TokenReviewUnavailableError ? 'error' : 'failure',
          );
          errors.push(asError(err));
        }
      }
      if (errors.length > 0) throw new AuthenticationError(errors);
      if (anonymousFor(path)) {
        record('anonymous', 'success');
        return {
          user: { name: anonymousUser, groups: [unauthenticatedGroup], extra: {} },
          method: 'anonymous',
        };
      }
      record('none', 'failure');
      return undefined;
    },
  };
}
