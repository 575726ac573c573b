/**
 * A map-backed fake of the Kubernetes API for Leases (design habit 8: a real fake of our own
 * KubeApi seam): GET, POST and PUT on coordination.k8s.io/v1 leases with the API server's
 * optimistic concurrency (a PUT naming a stale resourceVersion is a 409 Conflict, a POST of an
 * existing name is a 409 AlreadyExists), and injectable failures.
 */
import { KubeApiError, type KubeApi, type KubeRequest } from '../../src/cluster/index.js';

interface StoredLease {
  metadata: { name: string; namespace: string; resourceVersion: string } & Record<string, unknown>;
  spec: Record<string, unknown>;
}

const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;

export class FakeLeaseApi {
  readonly leases = new Map<string, StoredLease>();
  readonly writes: Array<{ method: string; by?: string; spec: Record<string, unknown> }> = [];
  private rv = 100;
  /** Consulted before each request; a returned error is thrown instead of answering. */
  fail: ((req: KubeRequest, callerId: string) => KubeApiError | undefined) | undefined;
  /** Consulted before each request; true leaves the request unanswered for ever. */
  hang: ((req: KubeRequest, callerId: string) => boolean) | undefined;

  /** A KubeApi for one caller (the id only labels failures and writes). */
  client(callerId: string): KubeApi {
    return { request: <T>(req: KubeRequest) => this.handle(req, callerId) as Promise<T> };
  }

  spec(namespace: string, name: string): Record<string, unknown> | undefined {
    return this.leases.get(`${namespace}/${name}`)?.spec;
  }

  private error(code: number, reason: string, message: string, req: KubeRequest): KubeApiError {
    return new KubeApiError(code, reason, message, req.method, req.path);
  }

  private async handle(req: KubeRequest, callerId: string): Promise<unknown> {
    await Promise.resolve();
    if (this.hang?.(req, callerId)) return new Promise<never>(() => undefined);
    const injected = this.fail?.(req, callerId);
    if (injected) throw injected;
    const m = LEASES.exec(req.path);
    if (!m) throw this.error(404, 'NotFound', `no route ${req.path}`, req);
    const namespace = decodeURIComponent(m[1]!);
    const body = req.body as StoredLease | undefined;
    if (req.method === 'POST') {
      const name = body!.metadata.name;
      const key = `${namespace}/${name}`;
      if (this.leases.has(key))
        throw this.error(409, 'AlreadyExists', `leases "${name}" already exists`, req);
      return this.store(key, namespace, name, body!, callerId, 'POST');
    }
    const name = decodeURIComponent(m[2] ?? '');
    const key = `${namespace}/${name}`;
    const current = this.leases.get(key);
    if (current === undefined)
      throw this.error(404, 'NotFound', `leases.coordination.k8s.io "${name}" not found`, req);
    if (req.method === 'GET') return structuredClone(current);
    if (req.method === 'PUT') {
      if (body!.metadata.resourceVersion !== current.metadata.resourceVersion)
        throw this.error(
          409,
          'Conflict',
          `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          req,
        );
      return this.store(key, namespace, name, body!, callerId, 'PUT');
    }
    throw this.error(405, 'MethodNotAllowed', req.method, req);
  }

  private store(
    key: string,
    namespace: string,
    name: string,
    body: StoredLease,
    callerId: string,
    method: string,
  ): StoredLease {
    const stored: StoredLease = {
      metadata: { ...body.metadata, name, namespace, resourceVersion: String(++this.rv) },
      spec: structuredClone(body.spec),
    };
    this.leases.set(key, stored);
    this.writes.push({ method, by: callerId, spec: stored.spec });
    return structuredClone(stored);
  }
}
