import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { V1LabelSelector } from '@kubernetes/client-node';
import {
  everything,
  labelKeyIssue,
  labelValueIssue,
  nothing,
  parseFieldSelector,
  parseSelector,
  SelectorError,
  selectorFromLabelSelector,
  type Requirement,
} from '../../../src/k8s/index.js';

function thrownBy(fn: () => unknown): SelectorError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SelectorError);
    return err as SelectorError;
  }
  throw new Error('expected a SelectorError');
}

const req = (
  key: string,
  operator: Requirement['operator'],
  values: string[] = [],
): Requirement => ({ key, operator, values });

describe('parseSelector: should pass (TestSelectorParse, TestSetSelectorParser)', () => {
  const cases: { name: string; input: string; requirements: Requirement[]; text?: string }[] = [
    { name: 'empty selects everything', input: '', requirements: [] },
    {
      name: 'equalities',
      input: 'x=a,y=b,z=c',
      requirements: [
        req('x', 'Equals', ['a']),
        req('y', 'Equals', ['b']),
        req('z', 'Equals', ['c']),
      ],
    },
    {
      name: 'not equals',
      input: 'x!=a,y=b',
      requirements: [req('x', 'NotEquals', ['a']), req('y', 'Equals', ['b'])],
    },
    { name: 'empty value', input: 'x=', requirements: [req('x', 'Equals', [''])] },
    {
      name: 'empty value then space',
      input: 'x= ',
      requirements: [req('x', 'Equals', [''])],
      text: 'x=',
    },
    {
      name: 'empty values',
      input: 'x= ,z= ',
      requirements: [req('x', 'Equals', ['']), req('z', 'Equals', [''])],
      text: 'x=,z=',
    },
    { name: 'does not exist', input: '!x', requirements: [req('x', 'DoesNotExist')] },
    {
      name: 'carriage return is whitespace',
      input: '\rx',
      requirements: [req('x', 'Exists')],
      text: 'x',
    },
    {
      name: 'prefixed key exists',
      input: 'this-is-a-dns.domain.com/key-with-dash',
      requirements: [req('this-is-a-dns.domain.com/key-with-dash', 'Exists')],
    },
    {
      name: 'prefixed key in',
      input: 'a.example.com/k in (so,what)',
      requirements: [req('a.example.com/k', 'In', ['so', 'what'])],
    },
    {
      name: 'numeric prefix notin with spaces',
      input: '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      requirements: [req('0.1.2.domain/99', 'NotIn', ['10.10.100.1', 'tick.tack.clock'])],
      text: '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)',
    },
    {
      name: 'tabs and spaces around in',
      input: 'foo  in\t (abc)',
      requirements: [req('foo', 'In', ['abc'])],
      text: 'foo in (abc)',
    },
    {
      name: 'newline after notin',
      input: 'x notin\n (abc)',
      requirements: [req('x', 'NotIn', ['abc'])],
      text: 'x notin (abc)',
    },
    {
      name: 'trailing comma in list is the empty value',
      input: 'x in (abc,)',
      requirements: [req('x', 'In', ['', 'abc'])],
      text: 'x in (,abc)',
    },
    {
      name: 'empty list is the empty value',
      input: 'x in ()',
      requirements: [req('x', 'In', [''])],
    },
    {
      name: 'blank list is the empty value',
      input: 'x notin ( )',
      requirements: [req('x', 'NotIn', [''])],
      text: 'x notin ()',
    },
    {
      name: 'leading comma in list',
      input: 'x notin (, a)',
      requirements: [req('x', 'NotIn', ['', 'a'])],
      text: 'x notin (,a)',
    },
    {
      name: 'mixed, sorted by key',
      input: 'x notin (abc,def),bar,z in (),w',
      requirements: [
        req('bar', 'Exists'),
        req('w', 'Exists'),
        req('x', 'NotIn', ['abc', 'def']),
        req('z', 'In', ['']),
      ],
      text: 'bar,w,x notin (abc,def),z in ()',
    },
    {
      name: 'exists then in',
      input: 'x,y in (a)',
      requirements: [req('x', 'Exists'), req('y', 'In', ['a'])],
    },
    { name: 'double equals kept', input: 'x==a', requirements: [req('x', 'DoubleEquals', ['a'])] },
    {
      name: 'keywords as key and value',
      input: 'notin=in',
      requirements: [req('notin', 'Equals', ['in'])],
    },
    {
      name: 'keywords inside a list',
      input: 'a in (x,y,notin, z,in)',
      requirements: [req('a', 'In', ['in', 'notin', 'x', 'y', 'z'])],
      text: 'a in (in,notin,x,y,z)',
    },
    { name: 'trailing space', input: 'a ', requirements: [req('a', 'Exists')], text: 'a' },
    {
      name: 'duplicate values collapse',
      input: 'a in (b,b,c)',
      requirements: [req('a', 'In', ['b', 'c'])],
      text: 'a in (b,c)',
    },
    {
      name: 'TestToString shapes',
      input: 'x=abc,y==jkl,z!=a,z',
      requirements: [
        req('x', 'Equals', ['abc']),
        req('y', 'DoubleEquals', ['jkl']),
        req('z', 'NotEquals', ['a']),
        req('z', 'Exists'),
      ],
    },
  ];

  it.each(cases)('$name', ({ input, requirements, text }) => {
    const selector = parseSelector(input);
    expect(selector.requirements).toEqual(requirements);
    expect(selector.toString()).toBe(text ?? input);
    expect(selector.empty()).toBe(requirements.length === 0);
  });

  it('is deterministic whatever the written order (TestDeterministicParse)', () => {
    expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
  });
});

describe('parseSelector: should fail', () => {
  const cases = [
    { name: 'or is not an operator', input: 'x=a||y=b', mentions: "found '='" },
    { name: 'chained equality', input: 'x==a==b', mentions: "'=='" },
    { name: 'negated equality', input: '!x=a', mentions: "'='" },
    { name: 'less than is not supported', input: 'x<a', mentions: "'<'" },
    { name: 'greater than is not supported', input: 'x>1', mentions: "'>'" },
    { name: 'trailing comma', input: 'a in (xyz),', mentions: 'identifier after' },
    { name: 'leading comma', input: ',x,y', mentions: "','" },
    { name: 'misspelt operator', input: 'x nott in (y)', mentions: "'nott'" },
    { name: 'missing comma between requirements', input: 'a in (xyz)b notin ()', mentions: "'b'" },
    { name: 'missing comma in list', input: 'a in (xyz abc)', mentions: "'abc'" },
    { name: 'unclosed list', input: 'a notin(', mentions: "''" },
    { name: 'open paren after key', input: 'a (', mentions: "'('" },
    { name: 'lone paren', input: '(', mentions: "'('" },
    { name: 'in without list', input: 'a in b', mentions: "'b'" },
    { name: 'paren as value', input: 'a=(b)', mentions: "'('" },
    { name: 'space-separated words', input: 'a b', mentions: "'b'" },
    { name: 'upper-case prefix', input: 'A.io/b=c', mentions: '"A.io/b"' },
    { name: 'key too long', input: `${'a'.repeat(64)}=b`, mentions: 'no more than 63' },
    { name: 'bad value', input: 'a=-b', mentions: '"-b"' },
    { name: 'value too long', input: `a=${'b'.repeat(64)}`, mentions: 'no more than 63' },
    { name: 'non-ASCII key', input: 'ä=b', mentions: '"ä"' },
    { name: 'hostile length', input: `a in (${'b,'.repeat(9000)}c)`, mentions: 'longer than' },
  ];

  it.each(cases)('$name', ({ input, mentions }) => {
    const error = thrownBy(() => parseSelector(input));
    expect(error.code).toBe('InvalidSelector');
    expect(error.input).toBe(input);
    expect(error.message).toContain(mentions);
  });
});

describe('Selector.matches (TestSelectorMatches, TestRequirementSelectorMatching)', () => {
  const cases: {
    name: string;
    selector: string;
    labels: Record<string, string> | undefined;
    want: boolean;
  }[] = [
    { name: 'empty matches anything', selector: '', labels: { x: 'y' }, want: true },
    { name: 'equality', selector: 'x=y', labels: { x: 'y' }, want: true },
    { name: 'two equalities', selector: 'x=y,z=w', labels: { x: 'y', z: 'w' }, want: true },
    { name: 'two inequalities', selector: 'x!=y,z!=w', labels: { x: 'z', z: 'a' }, want: true },
    {
      name: 'keywords as key and value',
      selector: 'notin=in',
      labels: { notin: 'in' },
      want: true,
    },
    { name: 'exists', selector: 'x', labels: { x: 'z' }, want: true },
    { name: 'does not exist', selector: '!x', labels: { y: 'z' }, want: true },
    { name: 'equality on missing key', selector: 'x=z', labels: {}, want: false },
    { name: 'equality on other value', selector: 'x=y', labels: { x: 'z' }, want: false },
    {
      name: 'one of two equalities fails',
      selector: 'x=y,z=w',
      labels: { x: 'w', z: 'w' },
      want: false,
    },
    {
      name: 'one of two inequalities fails',
      selector: 'x!=y,z!=w',
      labels: { x: 'z', z: 'w' },
      want: false,
    },
    { name: 'exists on missing key', selector: 'x', labels: { y: 'z' }, want: false },
    { name: 'does not exist on present key', selector: '!x', labels: { x: 'z' }, want: false },
    {
      name: 'unknown extra requirement',
      selector: 'foo=bar,foobar=bar,baz=blah',
      labels: { foo: 'bar', baz: 'blah' },
      want: false,
    },
    {
      name: 'in and notin',
      selector: 'x in (foo),y notin (alpha)',
      labels: { x: 'foo', y: 'baz' },
      want: true,
    },
    {
      name: 'in fails',
      selector: 'x in (foo),y in (alpha)',
      labels: { x: 'foo', y: 'baz' },
      want: false,
    },
    { name: 'notin on missing key holds', selector: 'x notin (),y', labels: { y: '' }, want: true },
    {
      name: 'notin empty vs does not exist',
      selector: 'x notin (),!y',
      labels: { y: '' },
      want: false,
    },
    { name: 'in empty on missing key', selector: 'x in ()', labels: { y: 'baz' }, want: false },
    { name: 'in empty on empty value', selector: 'x in ()', labels: { x: '' }, want: true },
    { name: 'not equals on missing key holds', selector: 'x!=a', labels: {}, want: true },
    { name: 'undefined labels are no labels', selector: '!x', labels: undefined, want: true },
    { name: 'prototype keys are not labels', selector: 'constructor', labels: {}, want: false },
  ];

  it.each(cases)('$name', ({ selector, labels, want }) => {
    expect(parseSelector(selector).matches(labels)).toBe(want);
  });

  it('everything matches and is empty; nothing matches nothing and is not empty', () => {
    expect(everything.matches({ x: 'y' })).toBe(true);
    expect(everything.empty()).toBe(true);
    expect(everything.toString()).toBe('');
    expect(nothing.matches({})).toBe(false);
    expect(nothing.matches(undefined)).toBe(false);
    expect(nothing.empty()).toBe(false);
    expect(nothing.toString()).toBe('');
  });
});

describe('label key and value syntax (validation.IsQualifiedName, IsValidLabelValue)', () => {
  const keys = [
    { name: 'simple', key: 'app', ok: true },
    { name: 'mixed case with dots', key: 'My.Name', ok: true },
    { name: 'leading digits', key: '123-abc', ok: true },
    { name: 'prefixed', key: 'app.kubernetes.io/name', ok: true },
    { name: '63-character name', key: 'a'.repeat(63), ok: true },
    {
      name: '253-character prefix',
      key: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/x`,
      ok: true,
    },
    { name: 'empty', key: '', ok: false },
    { name: 'leading dash', key: '-a', ok: false },
    { name: 'trailing dot', key: 'a.', ok: false },
    { name: 'underscore first', key: '_a', ok: false },
    { name: 'two slashes', key: 'a/b/c', ok: false },
    { name: 'empty prefix', key: '/a', ok: false },
    { name: 'empty name', key: 'a/', ok: false },
    { name: 'upper-case prefix', key: 'Example.com/a', ok: false },
    { name: 'prefix with underscore', key: 'ex_ample.com/a', ok: false },
    { name: 'prefix with empty part', key: 'a..b/c', ok: false },
    { name: '64-character name', key: 'a'.repeat(64), ok: false },
    { name: '254-character prefix', key: `${'a'.repeat(254)}/x`, ok: false },
    { name: 'space', key: 'a b', ok: false },
  ];
  it.each(keys)('key: $name', ({ key, ok }) => {
    expect(labelKeyIssue(key) === undefined).toBe(ok);
  });

  const values = [
    { name: 'empty', value: '', ok: true },
    { name: 'simple', value: 'web', ok: true },
    { name: 'inner punctuation', value: 'v1.2_3-rc', ok: true },
    { name: '63 characters', value: 'v'.repeat(63), ok: true },
    { name: '64 characters', value: 'v'.repeat(64), ok: false },
    { name: 'leading dash', value: '-v', ok: false },
    { name: 'trailing underscore', value: 'v_', ok: false },
    { name: 'slash', value: 'a/b', ok: false },
    { name: 'non-ASCII', value: 'ä', ok: false },
  ];
  it.each(values)('value: $name', ({ value, ok }) => {
    expect(labelValueIssue(value) === undefined).toBe(ok);
  });
});

describe('selectorFromLabelSelector (LabelSelectorAsSelector)', () => {
  const pass: {
    name: string;
    ls: V1LabelSelector | null | undefined;
    text: string;
    matches: Record<string, string>;
    want: boolean;
  }[] = [
    { name: 'null selects nothing', ls: null, text: '', matches: {}, want: false },
    {
      name: 'undefined selects nothing',
      ls: undefined,
      text: '',
      matches: { a: 'b' },
      want: false,
    },
    { name: 'empty selects everything', ls: {}, text: '', matches: { a: 'b' }, want: true },
    {
      name: 'empty parts select everything',
      ls: { matchLabels: {}, matchExpressions: [] },
      text: '',
      matches: {},
      want: true,
    },
    {
      name: 'match labels',
      ls: { matchLabels: { tier: 'web', app: 'x' } },
      text: 'app=x,tier=web',
      matches: { app: 'x', tier: 'web', z: '1' },
      want: true,
    },
    {
      name: 'all four operators',
      ls: {
        matchExpressions: [
          { key: 'd', operator: 'DoesNotExist' },
          { key: 'c', operator: 'Exists' },
          { key: 'b', operator: 'NotIn', values: ['y'] },
          { key: 'a', operator: 'In', values: ['z', 'x'] },
        ],
      },
      text: 'a in (x,z),b notin (y),c,!d',
      matches: { a: 'x', c: '' },
      want: true,
    },
    {
      name: 'labels and expressions together',
      ls: {
        matchLabels: { app: 'x' },
        matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }],
      },
      text: 'app=x,app notin (x)',
      matches: { app: 'x' },
      want: false,
    },
  ];
  it.each(pass)('$name', ({ ls, text, matches, want }) => {
    const selector = selectorFromLabelSelector(ls);
    expect(selector.toString()).toBe(text);
    expect(selector.matches(matches)).toBe(want);
  });

  it('returns the shared everything and nothing selectors', () => {
    expect(selectorFromLabelSelector(null)).toBe(nothing);
    expect(selectorFromLabelSelector({})).toBe(everything);
  });

  const fail: { name: string; ls: V1LabelSelector; mentions: string }[] = [
    {
      name: 'unknown operator',
      ls: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      mentions: '"Gt" is not a valid label selector operator',
    },
    {
      name: 'In without values',
      ls: { matchExpressions: [{ key: 'a', operator: 'In' }] },
      mentions: "values set can't be empty",
    },
    {
      name: 'NotIn with empty values',
      ls: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      mentions: "values set can't be empty",
    },
    {
      name: 'Exists with values',
      ls: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      mentions: 'must be empty',
    },
    {
      name: 'DoesNotExist with values',
      ls: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      mentions: 'must be empty',
    },
    { name: 'bad key', ls: { matchLabels: { 'a b': 'x' } }, mentions: '"a b"' },
    { name: 'bad value', ls: { matchLabels: { a: 'x y' } }, mentions: '"x y"' },
  ];
  it.each(fail)('should fail: $name', ({ ls, mentions }) => {
    expect(thrownBy(() => selectorFromLabelSelector(ls)).message).toContain(mentions);
  });
});

describe('parseFieldSelector (fields.ParseSelector)', () => {
  const pass: {
    name: string;
    input: string;
    text: string;
    fields: Record<string, string>;
    want: boolean;
  }[] = [
    {
      name: 'empty selects everything',
      input: '',
      text: '',
      fields: { 'metadata.name': 'x' },
      want: true,
    },
    {
      name: 'equality',
      input: 'metadata.name=x',
      text: 'metadata.name=x',
      fields: { 'metadata.name': 'x' },
      want: true,
    },
    {
      name: 'double equals prints as one',
      input: 'metadata.name==x',
      text: 'metadata.name=x',
      fields: { 'metadata.name': 'y' },
      want: false,
    },
    {
      name: 'not equals',
      input: 'spec.nodeName!=n1',
      text: 'spec.nodeName!=n1',
      fields: { 'spec.nodeName': 'n2' },
      want: true,
    },
    {
      name: 'terms sorted',
      input: 'b=1,a=2',
      text: 'a=2,b=1',
      fields: { a: '2', b: '1' },
      want: true,
    },
    { name: 'missing field is empty', input: 'a=', text: 'a=', fields: {}, want: true },
    {
      name: 'escaped comma and equals',
      input: 'a=x\\,y\\=z\\\\',
      text: 'a=x\\,y\\=z\\\\',
      fields: { a: 'x,y=z\\' },
      want: true,
    },
    { name: 'whitespace is data', input: 'a = b', text: 'a = b', fields: { a: 'b' }, want: false },
    {
      name: 'empty terms skipped',
      input: 'a=1,,b=2',
      text: 'a=1,b=2',
      fields: { a: '1', b: '2' },
      want: true,
    },
  ];
  it.each(pass)('$name', ({ input, text, fields, want }) => {
    const selector = parseFieldSelector(input);
    expect(selector.toString()).toBe(text);
    expect(selector.matches(fields)).toBe(want);
    expect(parseFieldSelector(selector.toString()).toString()).toBe(text);
  });

  it('exposes unescaped requirements', () => {
    expect(parseFieldSelector('x==a\\,b').requirements).toEqual([
      { field: 'x', operator: '==', value: 'a,b' },
    ]);
    expect(parseFieldSelector('').empty()).toBe(true);
  });

  const fail = [
    { name: 'no operator', input: 'metadata.name', mentions: 'metadata.name' },
    { name: 'unknown escape', input: 'a=b\\x', mentions: 'invalid escape sequence' },
    { name: 'trailing backslash', input: 'a=b\\', mentions: 'invalid escape sequence' },
    { name: 'bare equals in value', input: 'a=b=c', mentions: 'unescaped character' },
    { name: 'hostile length', input: `a=${'b'.repeat(20_000)}`, mentions: 'longer than' },
  ];
  it.each(fail)('should fail: $name', ({ input, mentions }) => {
    expect(thrownBy(() => parseFieldSelector(input)).message).toContain(mentions);
  });
});

describe('selector properties', () => {
  const token = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?$/);
  const key = fc.oneof(
    token,
    fc
      .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/), token)
      .map(([p, n]) => `${p}.io/${n}`),
  );
  const value = fc.oneof(fc.constant(''), token);
  const requirement = fc.oneof(
    fc.tuple(key, fc.constantFrom('=', '==', '!='), value).map(([k, op, v]) => `${k}${op}${v}`),
    // Lists as upstream reads them: "()", or names with an optional leading empty item ("(,a)").
    fc
      .tuple(
        key,
        fc.constantFrom(' in ', ' notin '),
        fc.boolean(),
        fc.array(token, { maxLength: 4 }),
      )
      .map(
        ([k, op, leadingEmpty, vs]) =>
          `${k}${op}(${leadingEmpty && vs.length > 0 ? ',' : ''}${vs.join(',')})`,
      ),
    key,
    key.map((k) => `!${k}`),
  );
  const selectorText = fc.array(requirement, { maxLength: 6 }).map((rs) => rs.join(','));
  const labels = fc.dictionary(
    fc.constantFrom('a', 'b', 'x.io/a', 'in'),
    fc.constantFrom('', 'a', 'b', 'in'),
  );

  it('toString() re-parses to an equal selector that selects the same labels', () => {
    fc.assert(
      fc.property(selectorText, labels, (text, set) => {
        const first = parseSelector(text);
        const again = parseSelector(first.toString());
        expect(again.requirements).toEqual(first.requirements);
        expect(again.toString()).toBe(first.toString());
        expect(again.matches(set)).toBe(first.matches(set));
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but SelectorError on arbitrary input', () => {
    const alphabet = fc.constantFrom(...'ab/.-_=!(), \tin'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 30 }), fc.string({ maxLength: 30 })),
        (text) => {
          try {
            parseSelector(text);
            parseFieldSelector(text);
          } catch (err) {
            expect(err).toBeInstanceOf(SelectorError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
