/**
 * The dead band around a usage ratio of 1 inside which the controller keeps the current size.
 * @module
 */
import type { V2HorizontalPodAutoscalerBehavior } from '@kubernetes/client-node';
import type { ParseCache } from './parse-cache.js';

/** Scale-down and scale-up tolerances (replica_calculator.go Tolerances). */
export class Tolerances {
  constructor(
    readonly scaleDown: number,
    readonly scaleUp: number,
  ) {}

  /** replica_calculator.go Tolerances.isWithin: 1-down <= ratio <= 1+up keeps the current size. */
  isWithin(usageRatio: number): boolean {
    return 1.0 - this.scaleDown <= usageRatio && usageRatio <= 1.0 + this.scaleUp;
  }

  /** Tolerances.String: "[down:10.0%, up:10.0%]". */
  toString(): string {
    return `[down:${(this.scaleDown * 100).toFixed(1)}%, up:${(this.scaleUp * 100).toFixed(1)}%]`;
  }
}

/**
 * horizontal.go tolerancesForHpa: the cluster-wide tolerance for both directions, overridden per
 * direction by behavior.scaleUp/scaleDown.tolerance (KEP-4951, HPAConfigurableTolerance).
 */
export function tolerancesForHpa(
  behavior: V2HorizontalPodAutoscalerBehavior | undefined,
  globalTolerance: number,
  quantities: ParseCache,
): Tolerances {
  return new Tolerances(
    toleranceOf(behavior?.scaleDown?.tolerance, globalTolerance, quantities),
    toleranceOf(behavior?.scaleUp?.tolerance, globalTolerance, quantities),
  );
}

/** A tolerance quantity as a fraction; an unparsable one (which validation rejects) keeps the global value. */
function toleranceOf(text: string | undefined, fallback: number, quantities: ParseCache): number {
  if (text === undefined) return fallback;
  try {
    return quantities.milli(text) / 1000;
  } catch {
    return fallback;
  }
}
