/**
 * Delegated authentication and authorization assembled from the serve flags, as an aggregated API
 * server does it (k8s.io/apiserver DelegatingAuthenticationOptions.ApplyTo and
 * DelegatingAuthorizationOptions.toAuthorizer): client and front-proxy CAs from flags or else from
 * the extension-apiserver-authentication ConfigMap, tokens checked with TokenReview, access
 * checked with SubjectAccessReview, and the CA bundles handed to the TLS server.
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestHandler } from 'express';
import { realSleep, systemClock } from '../../src/observability/index.js';
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../../src/observability/index.js';
import {
  alwaysAllowPathsAuthorizer,
  compileAlwaysAllowPaths,
  privilegedGroupsAuthorizer,
  unionAuthorizer,
} from './authorizer.js';
import { defaultWebhookBackoff, type Backoff } from './backoff.js';
import type { DynamicCABundle } from './ca-bundle.js';
import type { ConfigMapReader } from './extension-config.js';
import { createGuard } from './guard.js';
import {
  kubeConfigMapReader,
  kubeSubjectAccessReviewer,
  kubeTokenReviewer,
  type KubeClientOptions,
} from './kube-clients.js';
import { createRequestHeaderAuthenticator, type RequestHeaderSettings } from './requestheader.js';
import { caSources, type CASources } from './sources.js';
import { createTokenAuthenticator, type TokenReviewer } from './token.js';
import type { Authenticator, Authorizer } from './types.js';
import { createUnionAuthenticator, type RequestAuthenticator } from './union.js';
import { createWebhookAuthorizer, type SubjectAccessReviewer } from './webhook-authorizer.js';
import { createX509Authenticator } from './x509.js';

export interface DelegatingAuthOptions {
  clientCAFile?: string;
  requestHeaderClientCAFile?: string;
  requestHeaderAllowedNames?: readonly string[];
  requestHeaderUsernameHeaders?: readonly string[];
  requestHeaderGroupHeaders?: readonly string[];
  requestHeaderExtraHeadersPrefix?: readonly string[];
  /** --authentication-token-webhook-cache-ttl (10 s). */
  tokenCacheTtlMs?: number;
  /** --authorization-webhook-cache-authorized-ttl / -unauthorized-ttl (10 s each). */
  authorizedTtlMs?: number;
  unauthorizedTtlMs?: number;
  /** --authorization-always-allow-paths (/healthz, /readyz, /livez). */
  alwaysAllowPaths?: readonly string[];
  /** Groups allowed everything without a review (system:masters). */
  alwaysAllowGroups?: readonly string[];
  /** --anonymous-auth; when off, anonymous requests are still let through to the always-allow paths. */
  anonymous?: boolean;
  /** Go on when the ConfigMap lookup fails for another reason than absence. */
  tolerateLookupFailure?: boolean;
  /** --authentication-skip-lookup: never read the ConfigMap; the CAs come from flags only. */
  skipLookup?: boolean;
  /** Client for TokenReview and the ConfigMap (--authentication-kubeconfig or the main one). */
  authenticationKubeConfig?: KubeConfig;
  /** Client for SubjectAccessReview (--authorization-kubeconfig or the main one). */
  authorizationKubeConfig?: KubeConfig;
  /** Ready-made clients, used instead of the ones built from the kubeconfigs. */
  tokenReviewer?: TokenReviewer;
  subjectAccessReviewer?: SubjectAccessReviewer;
  configMapReader?: ConfigMapReader;
  webhookTimeoutMs?: number;
  backoff?: Backoff;
  /** How often CA files are re-read (one minute) and the ConfigMap re-fetched (one minute). */
  filePollIntervalMs?: number;
  configMapRefreshIntervalMs?: number;
  logger: Logger;
  metrics?: SelfMetrics;
  clock?: Clock;
  sleep?: Sleep;
  random?: Random;
}

export interface DelegatingAuth {
  /** Express middleware to run before every route. */
  guard: RequestHandler;
  /** CA bundles to advertise in the TLS handshake (pass to createSecureServer). */
  clientCAs: DynamicCABundle[];
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  close(): void;
}

const tenSecondsMs = 10_000;

function authenticatorsFor(
  sources: CASources,
  tokenReviewer: TokenReviewer | undefined,
  options: DelegatingAuthOptions,
  clock: Clock,
): Authenticator[] {
  const noHeaders: RequestHeaderSettings = {
    usernameHeaders: [],
    groupHeaders: [],
    extraHeaderPrefixes: [],
    allowedNames: [],
  };
  const list: Authenticator[] = [
    createRequestHeaderAuthenticator({
      ca: () => sources.requestHeaderCA.current(),
      settings: () => sources.requestHeader() ?? noHeaders,
      clock,
    }),
    createX509Authenticator({ ca: () => sources.clientCA.current(), clock }),
  ];
  if (tokenReviewer) {
    list.push(
      createTokenAuthenticator({
        reviewer: tokenReviewer,
        cacheTtlMs: options.tokenCacheTtlMs ?? tenSecondsMs,
        clock,
      }),
    );
  }
  return list;
}

function authorizerFor(
  options: DelegatingAuthOptions,
  allowPath: (path: string) => boolean,
  reviewer: SubjectAccessReviewer | undefined,
  clock: Clock,
): Authorizer {
  const groups = options.alwaysAllowGroups ?? ['system:masters'];
  const authorizers: Authorizer[] = [];
  if (groups.length > 0) authorizers.push(privilegedGroupsAuthorizer(groups));
  authorizers.push(alwaysAllowPathsAuthorizer(allowPath));
  if (reviewer) {
    authorizers.push(
      createWebhookAuthorizer({
        reviewer,
        authorizedTtlMs: options.authorizedTtlMs ?? tenSecondsMs,
        unauthorizedTtlMs: options.unauthorizedTtlMs ?? tenSecondsMs,
        clock,
      }),
    );
  } else {
    options.logger.warn(
      'no authorization kubeconfig; SubjectAccessReview is off and only always-allow paths and groups are authorized',
    );
  }
  return unionAuthorizer(authorizers);
}

/** Builds the guard and the CA bundles; resolves after the start-up ConfigMap lookup. */
export async function createDelegatingAuth(
  options: DelegatingAuthOptions,
): Promise<DelegatingAuth> {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const clientOptions: KubeClientOptions = {
    timeoutMs: options.webhookTimeoutMs ?? tenSecondsMs,
    backoff: options.backoff ?? defaultWebhookBackoff,
    sleep,
    random: options.random ?? Math.random,
  };
  const authn = options.authenticationKubeConfig;
  const authz = options.authorizationKubeConfig;
  const tokenReviewer =
    options.tokenReviewer ?? (authn ? kubeTokenReviewer(authn, clientOptions) : undefined);
  const reader =
    options.configMapReader ?? (authn ? kubeConfigMapReader(authn, clientOptions) : undefined);
  const sarReviewer =
    options.subjectAccessReviewer ??
    (authz ? kubeSubjectAccessReviewer(authz, clientOptions) : undefined);
  const allowPath = compileAlwaysAllowPaths(
    options.alwaysAllowPaths ?? ['/healthz', '/readyz', '/livez'],
  );

  const sources = await caSources(options, reader, sleep);
  const metrics = options.metrics;
  const authenticator = createUnionAuthenticator({
    authenticators: authenticatorsFor(sources, tokenReviewer, options, clock),
    anonymous: options.anonymous === true ? true : allowPath,
    record: (method, result) => metrics?.authentication.inc({ method, result }),
  });
  const authorizer = authorizerFor(options, allowPath, sarReviewer, clock);
  return {
    guard: createGuard({
      authenticator,
      authorizer,
      logger: options.logger,
      ...(metrics ? { metrics } : {}),
    }),
    clientCAs: [sources.clientCA, sources.requestHeaderCA],
    authenticator,
    authorizer,
    close: () => sources.closers.forEach((close) => close()),
  };
}
