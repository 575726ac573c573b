/**
 * The suites that may not run on every machine, and what happens when one does not. No suite skips
 * silently: a suite that cannot run here calls {@link suiteUnavailable} with the reason, which
 *
 * - prints the reason at once (a `stderr` line in vitest's output, under the file's name) and
 *   records it under the run's skip folder, so `test/support/skip-report.ts` lists every skip of
 *   the run with its reason after the last file;
 * - when the suite is one the README promises (not in {@link ALLOWED_SKIPS}) and the run is strict
 *   (`SCALEPLANE_REQUIRE_ALL_SUITES=1`, which `.ci/run` sets), registers a failing test in its
 *   place, so CI fails loudly instead of passing without the suite.
 *
 * Allowed skips are the ones that cannot run on the machines the project is tested on, each with
 * the reason it is allowed.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject, it } from 'vitest';
import {
  ALLOWED_SKIPS,
  PROMISED_SUITES,
  STRICT_ENV,
  strictRun,
  type AllowedSkip,
  type PromisedSuite,
  type SkipRecord,
} from './suite-registry.js';

export {
  ALLOWED_SKIPS,
  PROMISED_SUITES,
  STRICT_ENV,
  strictRun,
  type AllowedSkip,
  type PromisedSuite,
  type SkipRecord,
} from './suite-registry.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder skip records of this run go to (created by skip-report.ts's global setup). */
    scaleplaneSkipDir: string;
  }
}

let records = 0;

function record(skip: SkipRecord): void {
  let dir: string | undefined;
  try {
    dir = inject('scaleplaneSkipDir');
  } catch {
    dir = undefined;
  }
  // Outside a vitest run with the global setup (a single file run with another config) the line
  // printed below is the record.
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  records += 1;
  writeFileSync(join(dir, `${process.pid}-${records}.json`), JSON.stringify(skip));
}

/**
 * Declares that `suite` cannot run here when `reason` is defined, and returns whether to skip it
 * (use as `describe.skipIf(suiteUnavailable(...))`). Call it at collection time, in the file (or
 * describe block) the suite belongs to: in a strict run, a promised suite gets a failing test in its
 * place, named after the suite, whose error is the reason.
 */
export function suiteUnavailable(
  suite: PromisedSuite | AllowedSkip,
  reason: string | undefined,
  file: string,
): boolean {
  if (reason === undefined) return false;
  const allowed: string | undefined = (ALLOWED_SKIPS as Record<string, string>)[suite];
  record({ suite, file, reason, allowed });
  const what = allowed
    ? `allowed skip (${allowed})`
    : `the README promises this suite (${(PROMISED_SUITES as Record<string, string>)[suite]})`;
  console.warn(`SKIPPED ${suite}: ${reason} — ${what}`);
  if (!allowed && strictRun())
    it(`${suite} must run (${STRICT_ENV}=1)`, () => {
      throw new Error(
        `the promised suite "${suite}" cannot run: ${reason}. ${STRICT_ENV}=1 (set by .ci/run) requires every suite the README promises.`,
      );
    });
  return true;
}
