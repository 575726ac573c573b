/**
 * Bearer tokens checked by the cluster: `Authorization: Bearer <token>` (k8s.io/apiserver
 * authentication/request/bearertoken) sent to a TokenReview (plugin/pkg/authenticator/token/webhook)
 * behind a cache (authentication/token/cache cached_token_authenticator.go): answers are kept for
 * --authentication-token-webhook-cache-ttl, rejections as long as acceptances, errors never, and
 * concurrent requests with one token share one review.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../src/observability/index.js';
import { ExpiringCache } from './cache.js';
import type { AuthRequest, Authenticator, UserInfo } from './types.js';

/** TokenReviewStatus reduced to what authentication uses. */
export interface TokenReviewResult {
  authenticated: boolean;
  user?: UserInfo;
  /** The reviewer's explanation of a rejection; a rejection with an error is not cached. */
  error?: string;
}

/** Sends one TokenReview; throws when the review itself fails (network, HTTP error). */
export interface TokenReviewer {
  review(token: string): Promise<TokenReviewResult>;
}

/** The review could not be made; counted as an error, not as a rejected credential. */
export class TokenReviewUnavailableError extends Error {
  readonly code = 'TokenReviewUnavailable';
  constructor(cause: unknown) {
    super(`token review failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'TokenReviewUnavailableError';
  }
}

export class InvalidTokenError extends Error {
  readonly code = 'InvalidBearerToken';
  constructor(message = 'invalid bearer token') {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenAuthenticatorOptions {
  reviewer: TokenReviewer;
  /** --authentication-token-webhook-cache-ttl: applies to acceptances and rejections alike. */
  cacheTtlMs: number;
  clock: Clock;
  /** Cache bound; upstream keeps 4096 entries per stripe. */
  maxEntries?: number;
  /** Told whether each answer came from the cache (for metrics and tests). */
  onAnswer?: (cached: boolean) => void;
}

/** The token of an `Authorization: Bearer` header, or undefined (bearertoken.AuthenticateRequest). */
export function bearerToken(req: AuthRequest): string | undefined {
  const header = req.headers.authorization?.[0]?.trim();
  if (!header) return undefined;
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

export function createTokenAuthenticator(options: TokenAuthenticatorOptions): Authenticator {
  // Keys are token hashes, so the cache never holds a credential.
  const cache = new ExpiringCache<TokenReviewResult>(options.maxEntries ?? 4096, options.clock);
  const inFlight = new Map<string, Promise<TokenReviewResult>>();

  const review = async (key: string, token: string): Promise<TokenReviewResult> => {
    const cached = cache.get(key);
    if (cached) {
      options.onAnswer?.(true);
      return cached;
    }
    let pending = inFlight.get(key);
    if (!pending) {
      pending = options.reviewer
        .review(token)
        .catch((err: unknown) => {
          throw new TokenReviewUnavailableError(err);
        })
        .then((result) => {
          if (!(result.authenticated === false && result.error))
            cache.set(key, result, options.cacheTtlMs);
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    options.onAnswer?.(false);
    return pending;
  };

  return {
    method: 'token',
    async authenticate(req: AuthRequest): Promise<UserInfo | undefined> {
      const token = bearerToken(req);
      if (token === undefined) return undefined;
      const key = createHash('sha256').update(token).digest('hex');
      const result = await review(key, token);
      if (!result.authenticated || !result.user)
        throw new InvalidTokenError(result.error || undefined);
      return result.user;
    },
  };
}
