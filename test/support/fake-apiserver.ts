/**
 * A tiny kube-apiserver over HTTPS on 127.0.0.1 for integration tests: it answers TokenReview
 * (tokens from a table), SubjectAccessReview (a policy function) and the
 * extension-apiserver-authentication ConfigMap (404 unless given), and refuses callers that do not
 * present the expected bearer token, so the adapter's own credentials are checked too.
 * @module
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
} from '../../adapter/auth/index.js';

export interface FakeApiServerOptions {
  cert: string;
  key: string;
  /** The token the adapter must send. */
  callerToken: string;
  tokens: Record<string, { username: string; groups?: string[]; uid?: string }>;
  authorize: (spec: SubjectAccessReviewSpec) => SubjectAccessReviewStatus;
  configMapData?: Record<string, string>;
}

export interface FakeApiServer {
  url: string;
  /** Every request seen: method, path and parsed body. */
  requests: Array<{ method: string; path: string; body: ReviewBody | undefined }>;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const failure = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  code,
  reason,
  message,
});

/** The part of a review request body this server reads. */
export interface ReviewBody {
  spec: SubjectAccessReviewSpec & { token?: string };
}

async function readBody(req: IncomingMessage): Promise<ReviewBody | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as ReviewBody) : undefined;
}

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const requests: FakeApiServer['requests'] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? '', path, body });
    if (req.headers.authorization !== `Bearer ${options.callerToken}`)
      return send(res, 401, failure(401, 'Unauthorized', 'Unauthorized'));
    if (req.method === 'POST' && path === '/apis/authentication.k8s.io/v1/tokenreviews') {
      const user = options.tokens[body?.spec.token ?? ''];
      const status = user
        ? {
            authenticated: true,
            user: { username: user.username, uid: user.uid ?? '', groups: user.groups ?? [] },
          }
        : { authenticated: false };
      return send(res, 201, {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: body?.spec,
        status,
      });
    }
    if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/subjectaccessreviews') {
      return send(res, 201, {
        kind: 'SubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: body?.spec,
        status: body ? options.authorize(body.spec) : { allowed: false },
      });
    }
    if (
      req.method === 'GET' &&
      path === '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication'
    ) {
      if (!options.configMapData)
        return send(
          res,
          404,
          failure(404, 'NotFound', 'configmaps "extension-apiserver-authentication" not found'),
        );
      return send(res, 200, {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' },
        data: options.configMapData,
      });
    }
    send(res, 404, failure(404, 'NotFound', 'the server could not find the requested resource'));
  };
  const server = createServer({ cert: options.cert, key: options.key }, (req, res) => {
    handle(req, res).catch((err: unknown) =>
      send(res, 500, failure(500, 'InternalError', String(err))),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
