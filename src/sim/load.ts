/**
 * The load generator of the Kubernetes HPA walkthrough ("Increase the load": a busybox pod
 * running `wget -q -O- http://php-apache` in a loop, later stopped with Ctrl+C) as a schedule over
 * simulated time: the CPU the clients demand from the service, shared by its ready pods.
 * @module
 */

/** From `atSeconds` after the start until the next step, clients demand `cpuCores` in total. */
export interface LoadStep {
  atSeconds: number;
  cpuCores: number;
  /** Requests per second the clients send, for the Pods custom metric. */
  requestsPerSecond: number;
}

/** A schedule, ordered by `atSeconds`; before the first step there is no load. */
export type LoadSchedule = readonly LoadStep[];

/**
 * The walkthrough's load: quiet, then a loop of requests that needs 4.5 times one pod's request
 * (the docs show 250% of a 200m request for one pod, which is capped at its 500m limit), and
 * after five minutes the generator is stopped.
 */
export const walkthroughLoad: LoadSchedule = [
  { atSeconds: 0, cpuCores: 0, requestsPerSecond: 0 },
  { atSeconds: 30, cpuCores: 0.9, requestsPerSecond: 900 },
  { atSeconds: 330, cpuCores: 0, requestsPerSecond: 0 },
];

/** The step in force `elapsedMs` after the start. */
export function loadAt(schedule: LoadSchedule, elapsedMs: number): LoadStep {
  let current: LoadStep = { atSeconds: 0, cpuCores: 0, requestsPerSecond: 0 };
  for (const step of schedule) {
    if (step.atSeconds * 1000 > elapsedMs) break;
    current = step;
  }
  return current;
}
