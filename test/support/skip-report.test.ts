/**
 * The end-of-run list of suites that did not run: every skip with its reason, promised suites
 * marked as failing a strict run.
 */
import { describe, expect, it } from 'vitest';
import { skipReport } from './skip-report.js';
import { ALLOWED_SKIPS, PROMISED_SUITES, strictRun, type SkipRecord } from './suite-registry.js';

const promised: SkipRecord = {
  suite: 'real kubectl',
  file: 'test/integration/kubectl.test.ts',
  reason: 'no kubectl on PATH',
  allowed: undefined,
};
const allowed: SkipRecord = {
  suite: 'docker build',
  file: 'test/charts/image.test.ts',
  reason: 'no container engine',
  allowed: ALLOWED_SKIPS['docker build'],
};

describe('skipReport', () => {
  const cases = [
    { name: 'nothing skipped prints nothing', skips: [], strict: true, lines: [] as RegExp[] },
    {
      name: 'an allowed skip prints its reason and why it is allowed',
      skips: [allowed],
      strict: true,
      lines: [/did not run \(1\)/, /SKIPPED docker build .*no container engine — allowed: /],
    },
    {
      name: 'a promised suite fails a strict run',
      skips: [promised],
      strict: true,
      lines: [/did not run/, /SKIPPED real kubectl .*promised by the README; FAILS the run/],
    },
    {
      name: 'a promised suite outside a strict run says what a strict run does',
      skips: [promised, allowed],
      strict: false,
      lines: [/did not run \(2\)/, /SKIPPED docker build/, /a run with .*=1 \(\.ci\/run\) fails/],
    },
  ];
  it.each(cases)('$name', ({ skips, strict, lines }) => {
    const got = skipReport(skips, strict);
    expect(got).toHaveLength(lines.length);
    lines.forEach((line, i) => expect(got[i]).toMatch(line));
  });
});

describe('suite registry', () => {
  it('names no suite both promised and allowed to skip', () => {
    for (const id of Object.keys(PROMISED_SUITES))
      expect(Object.keys(ALLOWED_SKIPS)).not.toContain(id);
  });

  it.each([
    { name: 'strict when set to 1', env: { SCALEPLANE_REQUIRE_ALL_SUITES: '1' }, strict: true },
    { name: 'not strict when unset', env: {}, strict: false },
    { name: 'not strict when 0', env: { SCALEPLANE_REQUIRE_ALL_SUITES: '0' }, strict: false },
  ])('$name', ({ env, strict }) => {
    expect(strictRun(env)).toBe(strict);
  });
});
