/**
 * The dead band around a usage ratio of 1 inside which the controller keeps the current size.
 * Every reader of the band (the calculators, the explanation, `hpa explain`) reads it from here.
 * @module
 */
import type { V2HorizontalPodAutoscalerBehavior } from '@kubernetes/client-node';
import type { ParseCache } from './parse-cache.js';
import type { ToleranceFacts } from './types.js';

/** Where a direction's tolerance came from: spec.behavior, or the controller flag. */
export type ToleranceSource = 'spec' | 'flag';

/** Scale-down and scale-up tolerances (replica_calculator.go Tolerances). */
export class Tolerances {
  constructor(
    readonly scaleDown: number,
    readonly scaleUp: number,
    readonly scaleDownFrom: ToleranceSource = 'flag',
    readonly scaleUpFrom: ToleranceSource = 'flag',
  ) {}

  /** replica_calculator.go Tolerances.isWithin: 1-down <= ratio <= 1+up keeps the current size. */
  isWithin(usageRatio: number): boolean {
    return this.minRatio() <= usageRatio && usageRatio <= this.maxRatio();
  }

  /** The lowest usage ratio that keeps the current size. */
  minRatio(): number {
    return 1.0 - this.scaleDown;
  }

  /** The highest usage ratio that keeps the current size. */
  maxRatio(): number {
    return 1.0 + this.scaleUp;
  }

  /** What the decision reports, so explainers never re-derive the band. */
  facts(): ToleranceFacts {
    return {
      scaleUp: this.scaleUp,
      scaleDown: this.scaleDown,
      scaleUpFrom: this.scaleUpFrom,
      scaleDownFrom: this.scaleDownFrom,
      minRatio: this.minRatio(),
      maxRatio: this.maxRatio(),
    };
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
  const down = toleranceOf(behavior?.scaleDown?.tolerance, quantities);
  const up = toleranceOf(behavior?.scaleUp?.tolerance, quantities);
  return new Tolerances(
    down ?? globalTolerance,
    up ?? globalTolerance,
    down === undefined ? 'flag' : 'spec',
    up === undefined ? 'flag' : 'spec',
  );
}

/** A tolerance quantity as a fraction; undefined when unset or unparsable (which validation rejects). */
function toleranceOf(text: string | undefined, quantities: ParseCache): number | undefined {
  if (text === undefined) return undefined;
  try {
    return quantities.milli(text) / 1000;
  } catch {
    return undefined;
  }
}
