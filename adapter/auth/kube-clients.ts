/**
 * The Kubernetes API calls of delegated authentication and authorization, through
 * @kubernetes/client-node's typed clients: TokenReview (authentication.k8s.io/v1),
 * SubjectAccessReview (authorization.k8s.io/v1) and the extension-apiserver-authentication
 * ConfigMap. Each call has a deadline (upstream's 10 s client timeout) and transient failures are
 * retried with the webhook backoff. This file is the HTTP edge; everything above it sees the small
 * reviewer interfaces.
 * @module
 */
import {
  ApiException,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  Observable,
} from '@kubernetes/client-node';
import type {
  ConfigurationOptions,
  KubeConfig,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import { withBackoff, type Backoff, type RetryDeps } from './backoff.js';
import type { ConfigMapReader } from './extension-config.js';
import type { TokenReviewResult, TokenReviewer } from './token.js';
import type {
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  SubjectAccessReviewer,
} from './webhook-authorizer.js';

export interface KubeClientOptions extends RetryDeps {
  /** Deadline of one HTTP call; upstream's TokenRequestTimeout and ClientTimeout are 10 s. */
  timeoutMs: number;
  backoff: Backoff;
}

/** Per-call options giving the request an abort deadline. */
function deadline(timeoutMs: number): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(AbortSignal.timeout(timeoutMs));
      return new Observable(Promise.resolve(ctx));
    },
    post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** webhook.DefaultShouldRetry: connection resets, 500, 504, 429, and 503 (which suggests a delay). */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiException) return [429, 500, 503, 504].includes(err.code);
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** A short description of a failed call: the Status message when the server sent one. */
function statusMessage(body: unknown): string {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.slice(0, 200);
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/** A short description of a failed call: the Status message when the server sent one. */
export function describeFailure(what: string, err: unknown): Error {
  if (err instanceof ApiException) {
    const message = statusMessage(err.body);
    return new Error(`${what} failed: HTTP ${err.code}${message ? `: ${message}` : ''}`, {
      cause: err,
    });
  }
  return new Error(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

async function call<T>(
  what: string,
  attempt: () => Promise<T>,
  options: KubeClientOptions,
): Promise<T> {
  try {
    return await withBackoff(attempt, isTransient, options.backoff, options);
  } catch (err) {
    throw describeFailure(what, err);
  }
}

/** TokenReviews through AuthenticationV1Api.createTokenReview. */
export function kubeTokenReviewer(kc: KubeConfig, options: KubeClientOptions): TokenReviewer {
  const api = kc.makeApiClient(AuthenticationV1Api);
  return {
    async review(token: string): Promise<TokenReviewResult> {
      const review = await call(
        'TokenReview',
        () =>
          api.createTokenReview(
            {
              body: {
                apiVersion: 'authentication.k8s.io/v1',
                kind: 'TokenReview',
                spec: { token },
              },
            },
            deadline(options.timeoutMs),
          ),
        options,
      );
      const status = review.status ?? {};
      if (!status.authenticated)
        return { authenticated: false, ...(status.error ? { error: status.error } : {}) };
      const user = status.user ?? {};
      return {
        authenticated: true,
        user: {
          name: user.username ?? '',
          ...(user.uid ? { uid: user.uid } : {}),
          groups: user.groups ?? [],
          extra: user.extra ?? {},
        },
      };
    },
  };
}

/** SubjectAccessReviews through AuthorizationV1Api.createSubjectAccessReview. */
export function kubeSubjectAccessReviewer(
  kc: KubeConfig,
  options: KubeClientOptions,
): SubjectAccessReviewer {
  const api = kc.makeApiClient(AuthorizationV1Api);
  return {
    async review(spec: SubjectAccessReviewSpec): Promise<SubjectAccessReviewStatus> {
      const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
      const review = await call(
        'SubjectAccessReview',
        () => api.createSubjectAccessReview({ body }, deadline(options.timeoutMs)),
        options,
      );
      const status = review.status;
      return {
        allowed: status?.allowed === true,
        ...(status?.denied ? { denied: true } : {}),
        ...(status?.reason ? { reason: status.reason } : {}),
        ...(status?.evaluationError ? { evaluationError: status.evaluationError } : {}),
      };
    },
  };
}

/** A ConfigMap lookup that reports its absence as `undefined` and anything else as an error with its HTTP code. */
export function kubeConfigMapReader(kc: KubeConfig, options: KubeClientOptions): ConfigMapReader {
  const api = kc.makeApiClient(CoreV1Api);
  return {
    async read(namespace: string, name: string) {
      try {
        const cm = await withBackoff(
          () => api.readNamespacedConfigMap({ namespace, name }, deadline(options.timeoutMs)),
          isTransient,
          options.backoff,
          options,
        );
        return cm.data ?? {};
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        const failure = describeFailure(`reading configmap/${name} in ${namespace}`, err);
        throw Object.assign(failure, {
          httpCode: err instanceof ApiException ? err.code : undefined,
        });
      }
    },
  };
}
