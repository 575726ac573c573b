import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileGoRegex,
  goExpand,
  goRegexExec,
  goRegexTest,
  GoRegexError,
} from '../../../src/config/rules-regex.js';

describe('compileGoRegex: should pass', () => {
  const cases = [
    {
      name: 'plain anchored name pattern',
      pattern: '^container_(.*)_seconds_total$',
      yes: ['container_cpu_usage_seconds_total'],
      no: ['xcontainer_cpu_total'],
    },
    {
      name: 'unanchored search like Go MatchString',
      pattern: '_total',
      yes: ['http_requests_total', 'a_total_b'],
      no: ['total'],
    },
    {
      name: 'Go named group (?P<name>)',
      pattern: '^(?P<base>.*)_total$',
      yes: ['x_total'],
      no: ['x'],
    },
    { name: 'leading (?i) flag', pattern: '(?i)^HTTP_', yes: ['http_x', 'Http_y'], no: ['xhttp_'] },
    { name: '\\A and \\z anchors', pattern: '\\Afoo\\z', yes: ['foo'], no: ['foo\n', 'afoo'] },
    { name: '\\Q...\\E literal', pattern: '^\\Qa.b*c\\E$', yes: ['a.b*c'], no: ['axbbc'] },
    { name: 'POSIX class in brackets', pattern: '^[[:digit:]]+$', yes: ['123'], no: ['12a'] },
    { name: '] first in a class is literal', pattern: '^[]a]+$', yes: [']a]'], no: ['b'] },
    {
      name: 'escaped punctuation Go allows (\\_, \\-)',
      pattern: '^a\\_b\\-c$',
      yes: ['a_b-c'],
      no: ['ab-c'],
    },
    {
      name: 'dash after a class escape is literal',
      pattern: '^[\\d-a]+$',
      yes: ['1-a'],
      no: ['b'],
    },
    { name: 'lone { is literal', pattern: '^a{b$', yes: ['a{b'], no: ['ab'] },
    { name: 'repeat counts', pattern: '^a{2,3}$', yes: ['aa', 'aaa'], no: ['a', 'aaaa'] },
    { name: 'dot matches \\r like Go', pattern: '^a.b$', yes: ['a\rb'], no: ['a\nb'] },
    { name: 'Go \\s excludes \\v', pattern: '^\\s$', yes: [' ', '\t'], no: ['\v'] },
    { name: 'hex and octal escapes', pattern: '^\\x41\\x{42}\\103$', yes: ['ABC'], no: ['abc'] },
    { name: 'unicode class \\pL and script', pattern: '^\\pL\\p{Greek}$', yes: ['aα'], no: ['1α'] },
    { name: 'empty pattern matches anything', pattern: '', yes: ['', 'x'], no: [] },
    { name: 'scoped inline flag (?i:...)', pattern: '^a(?i:b)$', yes: ['ab', 'aB'], no: ['AB'] },
    { name: 'ungreedy flag (?U) compiles', pattern: '^(?U)a+$', yes: ['aaa'], no: ['b'] },
    { name: 'negated POSIX class', pattern: '^[[:^digit:]]+$', yes: ['ab'], no: ['a1'] },
    { name: '(?<name>) as Go 1.22 accepts', pattern: '^(?<x>a)$', yes: ['a'], no: ['b'] },
    { name: '\\pN outside brackets', pattern: '^\\pN+$', yes: ['123', '٣'], no: ['a'] },
  ];
  it.each(cases)('$name', ({ pattern, yes, no }) => {
    const re = compileGoRegex(pattern);
    for (const s of yes) expect(goRegexTest(re, s), s).toBe(true);
    for (const s of no) expect(goRegexTest(re, s), s).toBe(false);
  });
});

describe('compileGoRegex: should fail', () => {
  const cases = [
    { name: 'lookahead is not RE2', pattern: 'a(?=b)', message: /lookahead/ },
    { name: 'negative lookbehind is not RE2', pattern: '(?<!a)b', message: /lookbehind/ },
    { name: 'backreference', pattern: '(a)\\1', message: /backreferences/ },
    { name: 'lookbehind names its reason', pattern: '(?<=a)b', message: /lookbehind/ },
    {
      name: 'unknown inline flag',
      pattern: '(?x)a',
      message: /invalid or unsupported Perl syntax/,
    },
    {
      name: 'nested repeat above 1000 in total',
      pattern: '(a{500}){500}',
      message: /repeat count/,
    },
    { name: '\\C is not in Go', pattern: 'a\\C', message: /invalid escape/ },
    { name: '\\Z is not RE2', pattern: 'a\\Z', message: /invalid escape/ },
    { name: 'nested repetition', pattern: 'a**', message: /nested repetition/ },
    { name: 'repetition without argument', pattern: '*a', message: /missing argument/ },
    { name: 'repeat count above 1000', pattern: 'a{1001}', message: /invalid repeat count/ },
    { name: 'unclosed group', pattern: '(a', message: /missing closing \)/ },
    { name: 'unbalanced )', pattern: 'a)', message: /unexpected \)/ },
    { name: 'unclosed class', pattern: '[a', message: /missing closing \]/ },
    { name: 'reversed range', pattern: '[z-a]', message: /invalid character class range/ },
    { name: 'duplicate group names', pattern: '(?P<x>a)(?P<x>b)', message: /duplicate/ },
    { name: 'trailing backslash', pattern: 'a\\', message: /trailing backslash/ },
  ];
  it.each(cases)('$name', ({ pattern, message }) => {
    expect(() => compileGoRegex(pattern)).toThrow(GoRegexError);
    expect(() => compileGoRegex(pattern)).toThrow(message);
  });
});

describe('goExpand (Go Regexp.ExpandString)', () => {
  const cases = [
    {
      name: '$1 from the first group',
      pattern: '^container_(.*)_total$',
      template: '$1',
      src: 'container_fs_reads_total',
      want: 'fs_reads',
    },
    {
      name: '${1}_suffix keeps the suffix',
      pattern: '^(.*)_total$',
      template: '${1}_per_second',
      src: 'http_requests_total',
      want: 'http_requests_per_second',
    },
    {
      name: '$1_suffix names group "1_suffix", which is empty',
      pattern: '^(.*)_total$',
      template: '$1_per_second',
      src: 'http_requests_total',
      want: '',
    },
    { name: '$0 is the whole match', pattern: '.*', template: '$0', src: 'up', want: 'up' },
    {
      name: 'named group by name',
      pattern: '^(?P<base>.*)_total$',
      template: '${base}_rate',
      src: 'x_total',
      want: 'x_rate',
    },
    { name: '$$ is a dollar', pattern: '(a)', template: '$$1', src: 'a', want: '$1' },
    { name: 'lone $ stays', pattern: '(a)', template: 'cost$', src: 'a', want: 'cost$' },
    {
      name: 'missing group number expands to nothing',
      pattern: '(a)',
      template: 'x$7y',
      src: 'a',
      want: 'x',
    },
  ];
  it.each(cases)('$name', ({ pattern, template, src, want }) => {
    expect(goExpand(compileGoRegex(pattern), template, src)).toBe(want);
  });

  it('returns undefined when the regex does not match', () => {
    expect(goExpand(compileGoRegex('^a$'), '$0', 'b')).toBeUndefined();
  });
});

describe('goExpand: leftmost-first groups like Go', () => {
  const cases = [
    { name: 'lazy group', pattern: '^(.*?)_(.*)$', template: '$1|$2', src: 'a_b_c', want: 'a|b_c' },
    {
      name: 'greedy group',
      pattern: '^(.*)_(.*)$',
      template: '$1|$2',
      src: 'a_b_c',
      want: 'a_b|c',
    },
    {
      name: 'unset alternative is empty',
      pattern: '(a)|(b)',
      template: '[$1][$2]',
      src: 'b',
      want: '[][b]',
    },
  ];
  it.each(cases)('$name', ({ pattern, template, src, want }) => {
    expect(goExpand(compileGoRegex(pattern), template, src)).toBe(want);
  });
});

/**
 * Series names come from every workload in the cluster, and rules from users: a backtracking
 * engine takes about 0.5 s for `^(a+)+$` over 26 characters and doubles per character, so 10,000
 * characters would never finish. These finish because matching is linear; the answers are checked.
 */
describe('hostile patterns over hostile names finish (linear-time matching)', () => {
  const n = 10_000;
  const cases = [
    { name: 'nested plus, no match', pattern: '^(a+)+$', input: `${'a'.repeat(n)}b`, want: false },
    { name: 'nested plus, match', pattern: '^(a+)+$', input: 'a'.repeat(n), want: true },
    {
      name: 'overlapping alternation',
      pattern: '^(a|a)*$',
      input: `${'a'.repeat(n)}!`,
      want: false,
    },
    { name: 'nested star with suffix', pattern: '(x+x+)+y', input: 'x'.repeat(n), want: false },
    {
      name: 'wildcards with groups',
      pattern: '^(.*)_(.*)_(.*)_z$',
      input: '_'.repeat(n),
      want: false,
    },
  ];
  it.each(cases)('$name', ({ pattern, input, want }) => {
    const re = compileGoRegex(pattern);
    expect(goRegexTest(re, input)).toBe(want);
    expect(goRegexExec(re, input) !== null).toBe(want);
    expect(goExpand(re, '$1', input) !== undefined).toBe(want);
  });
});

describe('compileGoRegex properties', () => {
  it('any literal string quoted with \\Q...\\E matches itself exactly', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\\E')),
        (s) => {
          const re = compileGoRegex(`^\\Q${s}\\E$`);
          expect(goRegexTest(re, s)).toBe(true);
        },
      ),
    );
  });

  it('never throws anything but GoRegexError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          compileGoRegex(s);
        } catch (err) {
          expect(err).toBeInstanceOf(GoRegexError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
