/**
 * The coordination.k8s.io/v1 Lease as a leader-election record, the shape client-go's
 * resourcelock.LeaseLock reads and writes (holderIdentity, leaseDurationSeconds, acquireTime,
 * renewTime, leaseTransitions), and the three calls on it: get, create and a compare-and-swap
 * update that carries the resourceVersion read, so two candidates can never both win a round.
 * @module
 */
import { KubeApiError, type KubeApi } from './kube-api.js';

/** The election fields of a Lease's spec; times stay the API's MicroTime strings. */
export interface LeaseRecord {
  /** Empty when nobody holds the lease (never acquired, or released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** A Lease as read: its record and the resourceVersion the next update must name. */
export interface ObservedLease {
  record: LeaseRecord;
  resourceVersion: string;
  /** The object's metadata as read (labels, annotations survive an update). */
  metadata: Record<string, unknown>;
}

/** metav1.MicroTime on the wire: RFC 3339 with six fractional digits, UTC. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const int = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A Lease body as a record; absent or malformed fields read as Go's zero values. */
export function decodeLease(body: unknown): ObservedLease {
  const o = (typeof body === 'object' && body !== null ? body : {}) as {
    metadata?: unknown;
    spec?: unknown;
  };
  const metadata = (
    typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}
  ) as Record<string, unknown>;
  const spec = (typeof o.spec === 'object' && o.spec !== null ? o.spec : {}) as Record<
    string,
    unknown
  >;
  return {
    record: {
      holderIdentity: str(spec.holderIdentity) ?? '',
      leaseDurationSeconds: int(spec.leaseDurationSeconds, 0),
      acquireTime: str(spec.acquireTime),
      renewTime: str(spec.renewTime),
      leaseTransitions: int(spec.leaseTransitions, 0),
    },
    resourceVersion: str(metadata.resourceVersion) ?? '',
    metadata,
  };
}

/** Same holder, same renewal: client-go compares the whole record to see whether the holder is alive. */
export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

function leaseBody(
  namespace: string,
  name: string,
  record: LeaseRecord,
  metadata: Record<string, unknown>,
): object {
  // managedFields are the server's bookkeeping: sent back, they would be taken as a claim to set them.
  const kept = { ...metadata };
  delete kept.managedFields;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...kept, name, namespace },
    spec: {
      // Released leases carry no holder (client-go leaves HolderIdentity empty, omitted on the wire).
      ...(record.holderIdentity === '' ? {} : { holderIdentity: record.holderIdentity }),
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.acquireTime ? { acquireTime: record.acquireTime } : {}),
      ...(record.renewTime ? { renewTime: record.renewTime } : {}),
      leaseTransitions: record.leaseTransitions,
    },
  };
}

/** One named Lease through the API. */
export class LeaseClient {
  private readonly path: string;

  constructor(
    private readonly api: KubeApi,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  }

  /** The Lease, or undefined when it does not exist; other failures reject with a KubeApiError. */
  async get(): Promise<ObservedLease | undefined> {
    try {
      return decodeLease(
        await this.api.request({
          method: 'GET',
          path: `${this.path}/${encodeURIComponent(this.name)}`,
        }),
      );
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Creates the Lease; a 409 (someone created it first) rejects. */
  async create(record: LeaseRecord): Promise<ObservedLease> {
    return decodeLease(
      await this.api.request({
        method: 'POST',
        path: this.path,
        body: leaseBody(this.namespace, this.name, record, {}),
      }),
    );
  }

  /** Replaces the record if nobody wrote since `read` (resourceVersion precondition, else 409). */
  async update(read: ObservedLease, record: LeaseRecord): Promise<ObservedLease> {
    return decodeLease(
      await this.api.request({
        method: 'PUT',
        path: `${this.path}/${encodeURIComponent(this.name)}`,
        body: leaseBody(this.namespace, this.name, record, {
          ...read.metadata,
          resourceVersion: read.resourceVersion,
        }),
      }),
    );
  }
}
