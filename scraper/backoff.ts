/**
 * Per-node failure memory for the scrape loop: which nodes sit out this tick, and whether a
 * failure's cause is new (worth a log line) or the same as last tick's. metrics-server retries
 * every node every tick and logs every failure. We log a cause once per change, and a node that
 * failed twice in a row sits out every other tick: a hanging kubelet then holds a concurrency slot
 * for a whole timeout half as often, while a node whose fault clears is scraped again within two
 * ticks (at most one skipped tick), so its pods are back in the HPA's metrics about as soon as
 * metrics-server's. A doubling backoff (1, 3, 7 ... ticks) kept a recovered node invisible for up to
 * eight more ticks, which is why the skip is capped at one.
 * @module
 */

export interface BackoffPolicy {
  /**
   * Most ticks a failing node is skipped in a row; default 1, so a node is retried at least every
   * other tick and recovers within two ticks of its fault clearing. 0 retries every tick
   * (metrics-server).
   */
  maxSkipCycles?: number;
}

interface NodeState {
  consecutiveFailures: number;
  /** First cycle number in which the node is scraped again. */
  dueCycle: number;
  lastReason: string | undefined;
}

export interface FailureOutcome {
  /** The reason differs from the node's previous failure (or it was healthy): log it. */
  causeChanged: boolean;
  consecutiveFailures: number;
  /** Ticks the node now sits out before its next attempt. */
  skipCycles: number;
}

export interface SuccessOutcome {
  /** The node was failing before this success; its last reason, for the recovery log line. */
  recoveredFrom: string | undefined;
}

/** Failure memory of the nodes of one source, keyed by node name. */
export class NodeBackoff {
  private readonly nodes = new Map<string, NodeState>();
  private readonly maxSkipCycles: number;

  constructor(policy: BackoffPolicy = {}) {
    this.maxSkipCycles = policy.maxSkipCycles ?? 1;
  }

  /** Whether the node is scraped in cycle `cycle`. */
  isDue(nodeName: string, cycle: number): boolean {
    const s = this.nodes.get(nodeName);
    return s === undefined || cycle >= s.dueCycle;
  }

  /**
   * Records a failure in `cycle`. With `penalise` false (the tick ran out of time, not the node)
   * the cause is remembered but the node is not skipped.
   */
  recordFailure(nodeName: string, reason: string, cycle: number, penalise = true): FailureOutcome {
    const s = this.nodes.get(nodeName) ?? {
      consecutiveFailures: 0,
      dueCycle: 0,
      lastReason: undefined,
    };
    const causeChanged = s.lastReason !== reason;
    s.lastReason = reason;
    let skipCycles = 0;
    if (penalise) {
      s.consecutiveFailures += 1;
      // 0, then 1 tick (capped): the first failure retries at once, a persistent one every other tick.
      skipCycles = Math.min(2 ** (s.consecutiveFailures - 1) - 1, this.maxSkipCycles);
      s.dueCycle = cycle + 1 + skipCycles;
    }
    this.nodes.set(nodeName, s);
    return { causeChanged, consecutiveFailures: s.consecutiveFailures, skipCycles };
  }

  /** Records a success: the node's failure memory is cleared. */
  recordSuccess(nodeName: string): SuccessOutcome {
    const s = this.nodes.get(nodeName);
    if (s === undefined) return { recoveredFrom: undefined };
    this.nodes.delete(nodeName);
    return { recoveredFrom: s.lastReason };
  }

  /** Nodes waiting out a backoff in `cycle`. */
  skippedIn(cycle: number): number {
    let n = 0;
    for (const s of this.nodes.values()) if (cycle < s.dueCycle) n += 1;
    return n;
  }

  /** Nodes whose last scrape failed (sitting out or not). */
  failing(): number {
    return this.nodes.size;
  }

  /** Forgets nodes that are no longer targets, so memory follows the cluster, not its history. */
  retain(liveNodeNames: ReadonlySet<string>): void {
    for (const name of this.nodes.keys()) if (!liveNodeNames.has(name)) this.nodes.delete(name);
  }
}
