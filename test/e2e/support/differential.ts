/**
 * The differential between the real HPA controller and scaleplane's recommend mode on one HPA:
 * both are sampled side by side (the HPA's status as the controller writes it, and scaleplane's
 * /hpa record), and every recommendation is matched against what the controller decided within
 * one sync period either way, because the two sync on their own clocks.
 * @module
 */
import type { Condition } from './objects.js';

/** What the controller had written when sampled. */
export interface ControllerView {
  desiredReplicas?: number;
  currentReplicas?: number;
  conditions: Condition[];
}

/** scaleplane's record at /hpa/{namespace}/{name} (src/runtime/types.ts HpaDecisionRecord). */
export interface RecommendationView {
  evaluatedAt: string;
  result: 'scaled' | 'unchanged' | 'failed';
  decision: {
    desiredReplicas: number;
    currentReplicas: number;
    conditions: Condition[];
    explanation: string[];
    /** src/hpa/types.ts MetricExplanation, the fields the differential reports. */
    metrics: { rule: string; unreadyPods: string[]; missingPods: string[] }[];
  };
  controllerDesiredReplicas?: number;
  agrees: boolean;
  difference?: string;
}

/** One sample of both, taken at `atMs`. */
export interface Sample {
  atMs: number;
  phase: string;
  controller: ControllerView;
  scaleplane?: RecommendationView;
}

/**
 * What one side concluded at a sync: a replica count, or that no count could be computed. A
 * controller whose metrics fail keeps its previous status.desiredReplicas (horizontal.go
 * setCurrentReplicasAndMetricsInStatus; 0 on a new HPA), so its ScalingActive=False condition,
 * not that number, is its conclusion.
 */
export type Outcome = number | `not computed (${string})`;

function notComputed(conditions: readonly Condition[]): Outcome | undefined {
  const active = conditions.find((c) => c.type === 'ScalingActive');
  return active?.status === 'False' ? `not computed (${active.reason ?? ''})` : undefined;
}

/**
 * The controller's conclusion as its status shows it; undefined before its first sync, when the
 * status holds only the zero values the API server gives a new object (desiredReplicas is a
 * required int32) and no conditions, which every autoscaling/v2 sync writes.
 */
export function controllerOutcome(c: ControllerView): Outcome | undefined {
  if (c.conditions.length === 0) return undefined;
  return notComputed(c.conditions) ?? c.desiredReplicas;
}

/** scaleplane's conclusion. */
export function recommendationOutcome(r: RecommendationView): Outcome {
  return (
    (r.result === 'failed' ? notComputed(r.decision.conditions) : undefined) ??
    r.decision.desiredReplicas
  );
}

/** A recommendation (or controller decision) with no counterpart within the allowed lag. */
export interface Disagreement {
  phase: string;
  at: string;
  side: 'scaleplane' | 'controller';
  outcome: Outcome;
  /** What the other side concluded within the lag window. */
  otherSide: Outcome[];
  scaleplaneExplanation: string[];
  controllerConditions: string[];
}

function conditionLines(c: ControllerView): string[] {
  return c.conditions.map((x) => `${x.type}=${x.status} ${x.reason ?? ''}: ${x.message ?? ''}`);
}

/** scaleplane's distinct evaluations, each at its own evaluation time. */
function evaluations(samples: readonly Sample[]): { atMs: number; sample: Sample }[] {
  const seen = new Map<string, { atMs: number; sample: Sample }>();
  for (const s of samples)
    if (s.scaleplane && !seen.has(s.scaleplane.evaluatedAt))
      seen.set(s.scaleplane.evaluatedAt, { atMs: Date.parse(s.scaleplane.evaluatedAt), sample: s });
  return [...seen.values()];
}

/** The controller's decisions: each sample where its outcome differs from the previous sample's. */
function controllerChanges(samples: readonly Sample[]): Sample[] {
  return samples.filter((s, i) => {
    const outcome = controllerOutcome(s.controller);
    return (
      outcome !== undefined &&
      (i === 0 || outcome !== controllerOutcome(samples[i - 1]!.controller))
    );
  });
}

/**
 * Every scaleplane recommendation the controller did not also conclude within `lagMs`, and every
 * controller decision scaleplane did not recommend within `lagMs`.
 */
export function disagreements(samples: readonly Sample[], lagMs: number): Disagreement[] {
  const out: Disagreement[] = [];
  const ours = evaluations(samples);
  const record = (
    sample: Sample,
    atMs: number,
    side: Disagreement['side'],
    outcome: Outcome,
    otherSide: Outcome[],
  ): void => {
    out.push({
      phase: sample.phase,
      at: new Date(atMs).toISOString(),
      side,
      outcome,
      otherSide: [...new Set(otherSide)],
      scaleplaneExplanation: sample.scaleplane?.decision.explanation ?? [],
      controllerConditions: conditionLines(sample.controller),
    });
  };
  for (const { atMs, sample } of ours) {
    const outcome = recommendationOutcome(sample.scaleplane!);
    const theirs = samples
      .filter((s) => Math.abs(s.atMs - atMs) <= lagMs)
      .map((s) => controllerOutcome(s.controller))
      .filter((o): o is Outcome => o !== undefined);
    if (theirs.length > 0 && !theirs.includes(outcome))
      record(sample, atMs, 'scaleplane', outcome, theirs);
  }
  for (const change of controllerChanges(samples)) {
    const outcome = controllerOutcome(change.controller)!;
    const near = ours
      .filter((e) => Math.abs(e.atMs - change.atMs) <= lagMs)
      .map((e) => recommendationOutcome(e.sample.scaleplane!));
    if (near.length > 0 && !near.includes(outcome))
      record(change, change.atMs, 'controller', outcome, near);
  }
  return out;
}

/** The sequence of distinct outcomes one side went through, in order. */
export function trajectory(values: readonly (Outcome | undefined)[]): Outcome[] {
  const out: Outcome[] = [];
  for (const v of values) if (v !== undefined && out[out.length - 1] !== v) out.push(v);
  return out;
}
