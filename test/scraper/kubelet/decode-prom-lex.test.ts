import { describe, expect, it } from 'vitest';
import {
  BLANK,
  EOF,
  NAME_CHAR,
  NAME_START,
  TOKEN_END,
  VALUE_SPECIAL,
  byteClass,
  LABEL_ESCAPED,
  LABEL_NON_ASCII,
  LabelPositions,
  hasClass,
  unescapeLabelValue,
} from '../../../scraper/kubelet/decode-prom-lex.js';

const chars = (bits: number): string =>
  [...Array(128).keys()]
    .filter((c) => ((byteClass[c] ?? 0) & bits) !== 0)
    .map((c) => String.fromCharCode(c))
    .join('');

describe('byteClass', () => {
  it.each([
    {
      name: 'name start',
      bits: NAME_START,
      expected: ':ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz',
    },
    {
      name: 'name char',
      bits: NAME_CHAR,
      expected: '0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz',
    },
    { name: 'blank', bits: BLANK, expected: '\t ' },
    { name: 'token end', bits: TOKEN_END, expected: '\t\n ' },
    { name: 'label value specials (ASCII part)', bits: VALUE_SPECIAL, expected: '\n"\\' },
  ])('$name', ({ bits, expected }) => {
    expect(chars(bits)).toBe(expected);
  });

  it('marks every non-ASCII byte as a label value special, and EOF as nothing', () => {
    expect([0x80, 0xc3, 0xff].every((c) => hasClass(c, VALUE_SPECIAL))).toBe(true);
    expect(hasClass(EOF, NAME_CHAR | BLANK | TOKEN_END | VALUE_SPECIAL)).toBe(false);
  });
});

describe('unescapeLabelValue', () => {
  it.each([
    { raw: 'plain', expected: 'plain' },
    { raw: 'a\\"b', expected: 'a"b' },
    { raw: 'a\\\\b', expected: 'a\\b' },
    { raw: 'a\\nb', expected: 'a\nb' },
    { raw: 'a\\tb', expected: 'a\\tb' },
    { raw: '\\\\\\"', expected: '\\"' },
    { raw: 'trailing\\', expected: 'trailing\\' },
  ])('unescapes $raw', ({ raw, expected }) => {
    expect(unescapeLabelValue(raw)).toBe(expected);
  });
});

describe('LabelPositions', () => {
  const buf = Buffer.from('a="x" bb="y\\"z" c="é"');
  const name = (text: string) => Buffer.from(text, 'latin1');

  it('finds values by name, unescaped and UTF-8 decoded, after growing past its first capacity', () => {
    const labels = new LabelPositions();
    for (let i = 0; i < 20; i++) labels.push(100, 101, 0, 0, 0);
    labels.clear();
    labels.push(0, 1, 3, 4, 0);
    labels.push(6, 8, 10, 14, LABEL_ESCAPED);
    labels.push(16, 17, 19, 21, LABEL_NON_ASCII);
    for (let i = 0; i < 20; i++) labels.push(0, 0, 0, 0, 0);
    expect(labels.count).toBe(23);
    expect([
      labels.value(buf, name('a')),
      labels.value(buf, name('bb')),
      labels.value(buf, name('c')),
      labels.value(buf, name('zz')),
    ]).toEqual(['x', 'y"z', 'é', undefined]);
  });
});
