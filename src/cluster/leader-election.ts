/**
 * Leader election through a coordination.k8s.io Lease, with client-go's semantics
 * (tools/leaderelection/leaderelection.go): a candidate takes the Lease when nobody holds it or
 * when the holder's record has not changed for a whole lease duration *as observed on our own
 * clock* (so clock skew between replicas does not matter); the leader renews it every retry
 * period and steps down when no renewal has succeeded for the renew deadline, which is shorter
 * than the lease duration, so two replicas never both believe they lead. Every write is a
 * compare-and-swap on the Lease's resourceVersion. Unlike client-go's users we do not exit on
 * losing the Lease: the replica keeps serving reads and stands for election again.
 * @module
 */
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../observability/index.js';
import { LeaseClient, formatMicroTime, sameRecord, type ObservedLease } from './lease.js';
import { KubeApiError, type KubeApi } from './kube-api.js';

/** Whether this replica may write now (the Events seam asks this before every write). */
export interface LeadershipGate {
  isLeader(): boolean;
}

/** Timings and the Lease's place; defaults are client-go's and kube-controller-manager's. */
export interface LeaderElectionTimings {
  /** How long a candidate waits on an unchanged record before taking over; default 15 s. */
  leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it steps down; default 10 s. */
  renewDeadlineMs: number;
  /** Between attempts; default 2 s. */
  retryPeriodMs: number;
}

export const defaultLeaderElectionTimings: LeaderElectionTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** client-go's JitterFactor for the retry period of candidates (wait.JitterUntil). */
export const leaderElectionJitterFactor = 1.2;

export interface LeaderElectorOptions extends LeaderElectionTimings {
  api: KubeApi;
  namespace: string;
  name: string;
  /** Unique per process: hostname (the pod's name) plus a random suffix, as client-go's users build it. */
  identity: string;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: Pick<SelfMetrics, 'leader'>;
}

/** The outcome of one attempt, for the loop and the log. */
type Attempt = 'leading' | 'held' | 'failed';

/** One candidate for one Lease. */
export class LeaderElector implements LeadershipGate {
  private readonly lease: LeaseClient;
  private readonly log: Logger;
  private readonly labels: { lease: string };
  /** The last record seen and when (our clock): the holder is alive while it keeps changing. */
  private observed: { lease: ObservedLease; atMs: number } | undefined;
  private leading = false;
  /** Start of the last attempt that renewed the Lease; leadership ends a renew deadline later. */
  private renewedAtMs = Number.NEGATIVE_INFINITY;
  private lastFailure: string | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly aborted = new Promise<undefined>((resolve) =>
    this.abort.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );

  constructor(private readonly o: LeaderElectorOptions) {
    if (!(o.leaseDurationMs > o.renewDeadlineMs))
      throw new RangeError('leaseDuration must be greater than renewDeadline');
    if (!(o.renewDeadlineMs > o.retryPeriodMs * leaderElectionJitterFactor))
      throw new RangeError('renewDeadline must be greater than retryPeriod*1.2');
    this.lease = new LeaseClient(o.api, o.namespace, o.name);
    this.labels = { lease: `${o.namespace}/${o.name}` };
    this.log = o.logger.child({ component: 'leader-election', lease: this.labels.lease });
    o.metrics.leader.set(this.labels, 0);
  }

  get identity(): string {
    return this.o.identity;
  }

  /** Leading, and the last renewal is younger than the renew deadline (even if the loop is stuck). */
  isLeader(): boolean {
    return this.leading && this.o.clock.now() - this.renewedAtMs < this.o.renewDeadlineMs;
  }

  /** Starts standing for election in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops the loop and, when leading, releases the Lease so a peer takes over at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    // Released only while still ours: past the renew deadline a peer may hold it already.
    if (this.isLeader()) await Promise.race([this.release(), this.o.sleep(this.o.renewDeadlineMs)]);
    this.setLeading(false, 'stopped');
  }

  private async run(): Promise<void> {
    this.log.info('standing for election', { identity: this.o.identity });
    while (!this.abort.signal.aborted) {
      const startedMs = this.o.clock.now();
      // stop() must not wait on a call that hangs: the abort ends the round at once.
      const outcome = await Promise.race([this.tryAcquireOrRenew(startedMs), this.aborted]);
      if (outcome === undefined || this.abort.signal.aborted) break;
      if (outcome === 'leading') {
        this.renewedAtMs = startedMs;
        this.setLeading(true, 'acquired');
      } else if (this.leading && outcome === 'held') {
        this.setLeading(false, 'another replica holds the lease');
      } else if (this.leading && this.o.clock.now() - this.renewedAtMs >= this.o.renewDeadlineMs) {
        this.setLeading(false, 'renew deadline passed');
      }
      // The leader renews on the retry period; candidates spread out with client-go's jitter.
      const waitMs = this.leading
        ? this.o.retryPeriodMs
        : this.o.retryPeriodMs * (1 + this.o.random() * leaderElectionJitterFactor);
      await this.o.sleep(waitMs, this.abort.signal);
    }
  }

  /** One round of client-go's tryAcquireOrRenew. Never rejects. */
  private async tryAcquireOrRenew(nowMs: number): Promise<Attempt> {
    const now = formatMicroTime(nowMs);
    const mine = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      const current = await this.lease.get();
      if (current === undefined) {
        this.observe(await this.lease.create(mine), nowMs);
        return 'leading';
      }
      const seen = this.observe(current, nowMs);
      const old = current.record;
      const durationMs = (old.leaseDurationSeconds || mine.leaseDurationSeconds) * 1000;
      const ours = old.holderIdentity === this.o.identity;
      if (old.holderIdentity !== '' && !ours && seen.atMs + durationMs > nowMs) return 'held';
      const next = ours
        ? { ...mine, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions }
        : { ...mine, leaseTransitions: old.leaseTransitions + 1 };
      this.observe(await this.lease.update(current, next), nowMs);
      this.lastFailure = undefined;
      return 'leading';
    } catch (err) {
      // A 409 is a peer that wrote first; anything else is the API. Logged once per cause.
      const message = (err as Error).message;
      // A peer's write is routine; anything else (403: no Lease RBAC) keeps this replica from writing Events.
      const routine = err instanceof KubeApiError && err.statusCode === 409;
      if (message !== this.lastFailure)
        this.log[routine ? 'info' : 'warn']('lease attempt failed', { err, leading: this.leading });
      this.lastFailure = message;
      return 'failed';
    }
  }

  private observe(lease: ObservedLease, nowMs: number): { atMs: number } {
    if (this.observed === undefined || !sameRecord(this.observed.lease.record, lease.record))
      this.observed = { lease, atMs: nowMs };
    else this.observed.lease = lease;
    return this.observed;
  }

  /** client-go release(): no holder, a one-second duration, our transitions count kept. */
  private async release(): Promise<void> {
    const read = this.observed?.lease;
    if (read === undefined || read.record.holderIdentity !== this.o.identity) return;
    const now = formatMicroTime(this.o.clock.now());
    try {
      await this.lease.update(read, {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: read.record.leaseTransitions,
      });
      this.log.info('lease released');
    } catch (err) {
      this.log.warn('lease not released', { err });
    }
  }

  private setLeading(leading: boolean, why: string): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.o.metrics.leader.set(this.labels, leading ? 1 : 0);
    this.log.info(leading ? 'became leader' : 'stopped leading', {
      identity: this.o.identity,
      reason: why,
    });
  }
}
