/**
 * Hand-written fakes for the seams of adapter/auth: a request as authenticators see it, and the
 * TokenReview, SubjectAccessReview and ConfigMap clients (the real ones are tested with nock).
 * @module
 */
import { X509Certificate } from 'node:crypto';
import type { AuthRequest } from '../../adapter/auth/index.js';
import type {
  ConfigMapReader,
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  SubjectAccessReviewer,
  TokenReviewResult,
  TokenReviewer,
} from '../../adapter/auth/index.js';

export interface FakeAuthRequest extends AuthRequest {
  /** Header names removed by authenticators. */
  removed: string[];
}

/** A request with `headers` (repeats as arrays) and a client chain given as PEM texts, leaf first. */
export function fakeAuthRequest(
  opts: { headers?: Record<string, string | string[]>; chain?: string[]; connection?: object } = {},
): FakeAuthRequest {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {}))
    headers[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  const certs = (opts.chain ?? []).map((pem) => new X509Certificate(pem));
  const removed: string[] = [];
  return {
    headers,
    removed,
    ...(opts.connection ? { connection: opts.connection } : {}),
    peerCertificates: () => certs,
    removeHeader: (name) => {
      removed.push(name);
      delete headers[name];
    },
  };
}

/** Answers TokenReviews from a table; unknown tokens are rejected. Counts calls. */
export class FakeTokenReviewer implements TokenReviewer {
  calls: string[] = [];
  failWith: Error | undefined;
  private pending: Array<() => void> = [];
  /** When true, reviews wait until `release()`. */
  hold = false;

  constructor(public readonly answers: Record<string, TokenReviewResult> = {}) {}

  async review(token: string): Promise<TokenReviewResult> {
    this.calls.push(token);
    if (this.hold) await new Promise<void>((r) => this.pending.push(r));
    if (this.failWith) throw this.failWith;
    return this.answers[token] ?? { authenticated: false };
  }

  release(): void {
    this.pending.splice(0).forEach((r) => r());
  }
}

/** Answers SubjectAccessReviews with `decide`; records every spec it was sent. */
export class FakeSubjectAccessReviewer implements SubjectAccessReviewer {
  specs: SubjectAccessReviewSpec[] = [];
  failWith: Error | undefined;

  constructor(
    public decide: (spec: SubjectAccessReviewSpec) => SubjectAccessReviewStatus = () => ({
      allowed: true,
    }),
  ) {}

  review(spec: SubjectAccessReviewSpec): Promise<SubjectAccessReviewStatus> {
    this.specs.push(spec);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(this.decide(spec));
  }
}

/** A ConfigMap store keyed by namespace/name; `failWith` makes reads throw. */
export class FakeConfigMapReader implements ConfigMapReader {
  reads = 0;
  failWith: (Error & { httpCode?: number }) | undefined;

  constructor(public data: Record<string, Record<string, string>> = {}) {}

  read(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    this.reads++;
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(this.data[`${namespace}/${name}`]);
  }
}
