/**
 * Delegated authentication and authorization of the aggregated API: requestheader, client
 * certificates, TokenReview, SubjectAccessReview, and the guard that runs them before every route.
 * @module
 */
export * from './types.js';
export {
  createDelegatingAuth,
  type DelegatingAuth,
  type DelegatingAuthOptions,
} from './delegating.js';
export {
  createGuard,
  toAuthRequest,
  attributesFor,
  type AuthLocals,
  type GuardOptions,
} from './guard.js';
export { requestInfo, type RequestInfo } from './request-info.js';
export { DynamicCABundle, parseCABundle, watchCAFile, type CABundle } from './ca-bundle.js';
export { verifyClientChain, CertificateVerificationError } from './verify.js';
export { createRequestHeaderAuthenticator, type RequestHeaderSettings } from './requestheader.js';
export { createX509Authenticator } from './x509.js';
export {
  createTokenAuthenticator,
  bearerToken,
  type TokenReviewer,
  type TokenReviewResult,
} from './token.js';
export {
  createUnionAuthenticator,
  AuthenticationError,
  type RequestAuthenticator,
  type AuthenticationOutcome,
} from './union.js';
export {
  unionAuthorizer,
  privilegedGroupsAuthorizer,
  alwaysAllowPathsAuthorizer,
  compileAlwaysAllowPaths,
  AuthorizationError,
} from './authorizer.js';
export {
  createWebhookAuthorizer,
  reviewSpec,
  type SubjectAccessReviewer,
  type SubjectAccessReviewSpec,
  type SubjectAccessReviewStatus,
} from './webhook-authorizer.js';
export {
  kubeTokenReviewer,
  kubeSubjectAccessReviewer,
  kubeConfigMapReader,
  type KubeClientOptions,
} from './kube-clients.js';
export {
  decodeExtensionAuthentication,
  lookupExtensionAuthentication,
  authenticationConfigMapName,
  authenticationConfigMapNamespace,
  type ConfigMapReader,
  type ExtensionAuthentication,
} from './extension-config.js';
export { defaultWebhookBackoff, type Backoff } from './backoff.js';
export {
  createStaticTokenAuth,
  createStaticTokenAuthenticator,
  type StaticTokenAuth,
  type StaticTokenAuthOptions,
} from './static-token.js';
