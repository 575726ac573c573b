/**
 * Compressed time for the embedded cluster (`--sim-speed N`): one Clock whose now() runs N times
 * faster than the wall clock, and a Sleep that waits 1/N of what it is asked. Every loop of the
 * embedded mode (scraper, HPA sync, simulated kubelets, stabilization windows) takes these two,
 * so a 5-minute downscale window passes in 5/N real minutes and rates stay consistent.
 * @module
 */
import type { Clock, Sleep } from '../observability/index.js';

export interface ScaledTimeOptions {
  /** Time compression factor, >= 1. */
  speed: number;
  /** The real clock and sleep underneath. */
  base: Clock;
  baseSleep: Sleep;
  /** Simulated time at the start; default the base clock's now. */
  startMs?: number;
}

export interface ScaledTime {
  clock: Clock;
  sleep: Sleep;
  speed: number;
}

/** A clock running `speed` times faster than `base`, and the matching sleep. */
export function scaledTime(o: ScaledTimeOptions): ScaledTime {
  if (!(o.speed >= 1) || !Number.isFinite(o.speed))
    throw new RangeError(`speed must be a finite number >= 1, not ${o.speed}`);
  const realStartMs = o.base.now();
  const simStartMs = o.startMs ?? realStartMs;
  return {
    speed: o.speed,
    clock: { now: () => Math.floor(simStartMs + (o.base.now() - realStartMs) * o.speed) },
    sleep: (ms, signal) => o.baseSleep(ms / o.speed, signal),
  };
}
