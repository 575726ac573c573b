/**
 * The registry of suites that may not run everywhere (see promised-suites.ts), free of vitest's
 * runtime so the run's global setup (skip-report.ts) can read it too.
 * @module
 */

/** The env var that makes every promised suite mandatory. */
export const STRICT_ENV = 'SCALEPLANE_REQUIRE_ALL_SUITES';

/**
 * Suites the README promises (`npm test` runs "unit, real Prometheus, real kubectl, real TLS, real
 * helm", and `npm start`'s walkthrough), by the id their test file uses.
 */
export const PROMISED_SUITES = {
  'real kubectl': 'test/integration/kubectl.test.ts: the real kubectl against the adapter over TLS',
  'npm start':
    'test/integration/npm-start.test.ts: the built `npm start` walkthrough, curl included',
} as const;

/** Skips that are allowed, with the reason each is allowed. */
export const ALLOWED_SKIPS = {
  'docker build':
    'building the image needs a container engine; the machines the suite runs on (CI included) have none, and the Dockerfile contract is checked statically by the same file',
  'kubelet decoder contract: summary-only fixture':
    'the shared kubelet 1.31 and older fixtures are /stats/summary bodies only (no /metrics/resource body of those kubelets exists to decode); the 1.35 fixture pair covers both decoders',
} as const;

export type PromisedSuite = keyof typeof PROMISED_SUITES;
export type AllowedSkip = keyof typeof ALLOWED_SKIPS;

/** One recorded skip, as the run's skip report reads it. */
export interface SkipRecord {
  suite: string;
  file: string;
  reason: string;
  /** Why the skip is allowed, or undefined for a promised suite. */
  allowed: string | undefined;
}

/** True in a strict run, where a promised suite that cannot run fails. */
export function strictRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[STRICT_ENV] === '1';
}
