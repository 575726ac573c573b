/**
 * Global setup of the vitest run: gives every test file a fresh folder for skip records
 * (promised-suites.ts), and after the last file prints every suite that did not run, with its
 * reason, so a skip is never silent however long the output. In a strict run
 * (`SCALEPLANE_REQUIRE_ALL_SUITES=1`) a skipped promised suite has already failed its file; the
 * report says so again at the end and fails the run as well.
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { STRICT_ENV, strictRun, type SkipRecord } from './suite-registry.js';

/** The report's lines for the records (empty when every suite ran). */
export function skipReport(skips: readonly SkipRecord[], strict: boolean): string[] {
  if (skips.length === 0) return [];
  const lines = [`Suites that did not run (${skips.length}):`];
  for (const s of [...skips].sort((a, b) => a.file.localeCompare(b.file)))
    lines.push(
      s.allowed
        ? `  SKIPPED ${s.suite} (${s.file}): ${s.reason} — allowed: ${s.allowed}`
        : `  SKIPPED ${s.suite} (${s.file}): ${s.reason} — promised by the README${strict ? `; FAILS the run (${STRICT_ENV}=1)` : `; a run with ${STRICT_ENV}=1 (.ci/run) fails`}`,
    );
  return lines;
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-skips-'));
  project.provide('scaleplaneSkipDir', dir);
  return () => {
    const skips = readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SkipRecord,
    );
    rmSync(dir, { recursive: true, force: true });
    const strict = strictRun();
    const lines = skipReport(skips, strict);
    if (lines.length) console.warn(`\n${lines.join('\n')}\n`);
    if (strict && skips.some((s) => !s.allowed)) process.exitCode = 1;
  };
}
