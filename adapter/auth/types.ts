/**
 * The shapes delegated authentication and authorization pass around, after k8s.io/apiserver
 * (authentication/user.Info, authenticator.Request, authorizer.Attributes / Authorizer).
 * @module
 */
import type { X509Certificate } from 'node:crypto';

/** An authenticated identity (user.DefaultInfo). */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  /** Extra attributes, keys lower-cased (user.Info.GetExtra). */
  extra: Record<string, string[]>;
}

/** Which authenticator produced an identity; also the `method` label of the attempts counter. */
export type AuthMethod = 'requestheader' | 'x509' | 'token' | 'anonymous';

/** What authenticators read from a request: headers, the TLS peer chain, and a way to strip headers. */
export interface AuthRequest {
  /** Every value of every header by lower-cased name, repeats kept as Go's http.Header keeps them. */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  /** The client certificate chain, leaf first; empty without a client certificate. */
  peerCertificates(): readonly X509Certificate[];
  /** The TLS connection, so chain verification can be remembered per connection. */
  readonly connection?: object;
  /** Removes a header once it has been consumed for authentication (requestheader.ClearAuthenticationHeaders). */
  removeHeader(name: string): void;
}

/**
 * One authentication mechanism (authenticator.Request): a user when the request carries its kind
 * of credential and the credential is valid, `undefined` when it carries none, and a thrown error
 * when it carries one that is invalid or cannot be checked.
 */
export interface Authenticator {
  readonly method: AuthMethod;
  authenticate(req: AuthRequest): Promise<UserInfo | undefined>;
}

/** authorizer.Attributes as the SubjectAccessReview and the forbidden message need them. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** URL path, for non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

/** An authorizer's answer; `reason` is appended to the forbidden message when not empty. */
export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  /** True when a cache answered instead of the cluster. */
  cached?: boolean;
}

/** One authorization mechanism (authorizer.Authorizer); throws when it cannot decide. */
export interface Authorizer {
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
}
