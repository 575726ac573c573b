/**
 * Authentication for the embedded cluster, where there is no API server to review tokens: one
 * generated bearer token (a static token file of one line, kube-apiserver --token-auth-file),
 * whose user alone is authorized; anonymous requests reach only the always-allow paths, as the
 * delegating chain lets them (union.ts, authorizer.ts).
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger, SelfMetrics } from '../../src/observability/index.js';
import {
  alwaysAllowPathsAuthorizer,
  compileAlwaysAllowPaths,
  privilegedGroupsAuthorizer,
  unionAuthorizer,
} from './authorizer.js';
import { createGuard } from './guard.js';
import { bearerToken } from './token.js';
import type { Authenticator, Authorizer, UserInfo } from './types.js';
import { createUnionAuthenticator, type RequestAuthenticator } from './union.js';

export interface StaticTokenAuthOptions {
  /** The one accepted bearer token. */
  token: string;
  /** Who the token authenticates as; its first group is the one authorized for everything. */
  user: UserInfo;
  /** Served to anyone, the token not needed (--authorization-always-allow-paths). */
  alwaysAllowPaths: readonly string[];
  logger: Logger;
  metrics?: SelfMetrics;
}

export interface StaticTokenAuth {
  guard: RequestHandler;
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** tokenfile.TokenAuthenticator for one token, compared in constant time. */
export function createStaticTokenAuthenticator(token: string, user: UserInfo): Authenticator {
  if (token.length === 0) throw new Error('the static token must not be empty');
  const expected = digest(token);
  return {
    method: 'token',
    authenticate(req) {
      const presented = bearerToken(req);
      if (presented === undefined) return Promise.resolve(undefined);
      if (!timingSafeEqual(digest(presented), expected))
        return Promise.reject(new Error('invalid bearer token'));
      return Promise.resolve({ ...user, groups: [...user.groups], extra: { ...user.extra } });
    },
  };
}

/** The guard, authenticator and authorizer of the embedded mode. */
export function createStaticTokenAuth(o: StaticTokenAuthOptions): StaticTokenAuth {
  const group = o.user.groups[0];
  if (group === undefined) throw new Error('the static token user needs a group to authorize');
  const open = compileAlwaysAllowPaths(o.alwaysAllowPaths);
  const authenticator = createUnionAuthenticator({
    authenticators: [createStaticTokenAuthenticator(o.token, o.user)],
    anonymous: open,
    record: (method, result) => o.metrics?.authentication.inc({ method, result }),
  });
  const authorizer = unionAuthorizer([
    privilegedGroupsAuthorizer([group]),
    alwaysAllowPathsAuthorizer(open),
  ]);
  return {
    guard: createGuard({ authenticator, authorizer, logger: o.logger, metrics: o.metrics }),
    authenticator,
    authorizer,
  };
}
