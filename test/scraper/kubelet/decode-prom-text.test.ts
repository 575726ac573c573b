import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../scraper/kubelet/decode.js';
import { PromTextScanner } from '../../../scraper/kubelet/decode-prom-text.js';

const name = (text: string) => Buffer.from(text, 'latin1');

function scanAll(text: string) {
  const buf = Buffer.from(text);
  const scanner = new PromTextScanner(buf, 'n');
  const samples: Array<{
    name: string;
    value: number;
    timestampMs: number;
    pod: string | undefined;
  }> = [];
  while (scanner.next()) {
    scanner.readSample();
    samples.push({
      name: buf.toString('latin1', scanner.nameStart, scanner.nameEnd),
      value: scanner.value,
      timestampMs: scanner.timestampMs,
      pod: scanner.label(name('pod')),
    });
  }
  return samples;
}

describe('PromTextScanner: should pass', () => {
  it('reads names, labels, values and optional timestamps, skipping comments and blank lines', () => {
    const text =
      '# HELP a x\n# TYPE a gauge\n\na 1\nb{pod="p"} 2 -5\n  c{} 3\t7\t\nd{pod="q",} 4\n';
    expect(scanAll(text)).toEqual([
      { name: 'a', value: 1, timestampMs: NaN, pod: undefined },
      { name: 'b', value: 2, timestampMs: -5, pod: 'p' },
      { name: 'c', value: 3, timestampMs: 7, pod: undefined },
      { name: 'd', value: 4, timestampMs: NaN, pod: 'q' },
    ]);
  });

  it('a closing brace inside a quoted value does not end the label set', () => {
    expect(scanAll('m{a="}",pod="x{y}"} 1 2\n')).toEqual([
      { name: 'm', value: 1, timestampMs: 2, pod: 'x{y}' },
    ]);
  });

  it('a body of comments only, or without a final line feed after a comment, has no samples', () => {
    expect(scanAll('# only a comment')).toEqual([]);
    expect(scanAll('')).toEqual([]);
  });

  it('nameIs compares the whole name', () => {
    const scanner = new PromTextScanner(Buffer.from('node_cpu 1\n'), 'n');
    scanner.next();
    scanner.readSample();
    expect([
      scanner.nameIs(name('node_cpu')),
      scanner.nameIs(name('node')),
      scanner.nameIs(name('node_cpux')),
    ]).toEqual([true, false, false]);
  });

  it('reads more labels than its initial capacity', () => {
    const labels = Array.from({ length: 20 }, (_, i) => `l${i}="v${i}"`).join(',');
    const scanner = new PromTextScanner(Buffer.from(`m{${labels},pod="last"} 1\n`), 'n');
    scanner.next();
    scanner.readSample();
    expect(scanner.labelCount).toBe(21);
    expect(scanner.label(name('pod'))).toBe('last');
    expect(scanner.label(name('l19'))).toBe('v19');
  });

  it.each([
    { name: 'labels as written', text: 'm{ a="1",b="x\\"y" } 1\n', block: ' a="1",b="x\\"y" ' },
    { name: 'no labels', text: 'm 1\n', block: '' },
    { name: 'empty braces', text: 'm{} 1\n', block: '' },
  ])('labelBlock: $name', ({ text, block }) => {
    const scanner = new PromTextScanner(Buffer.from(text), 'n');
    scanner.next();
    scanner.readSample();
    expect(scanner.labelBlock()).toBe(block);
  });

  it('skipSample skips a line it does not parse, then reads the next one', () => {
    const scanner = new PromTextScanner(Buffer.from('skipped{not valid at all\nm 2\n'), 'n');
    expect(scanner.next()).toBe(true);
    scanner.skipSample();
    expect(scanner.next()).toBe(true);
    scanner.readSample();
    expect(scanner.value).toBe(2);
    expect(scanner.next()).toBe(false);
  });
});

describe('PromTextScanner: should fail', () => {
  it.each([
    { name: 'a raw line feed inside a label value', text: 'm{pod="a\nb"} 1\n' },
    { name: 'an escape at the end of the body', text: 'm{pod="a\\' },
    { name: 'a label name starting with a digit', text: 'm{1a="b"} 1\n' },
    { name: 'a label name with a colon first', text: 'm{:a="b"} 1\n' },
    { name: 'a stray character after labels', text: 'm{a="b"x} 1\n' },
    { name: 'a value with no line feed', text: 'm 1' },
    { name: 'a timestamp with no line feed', text: 'm 1 2' },
    { name: 'a lone minus as timestamp', text: 'm 1 -\n' },
  ])('$name', ({ text }) => {
    expect(() => scanAll(text)).toThrow(DecodeError);
  });

  it('label sets are checked lazily: readSample delimits, checkLabels (or label) parses', () => {
    const scanner = new PromTextScanner(Buffer.from('m{a=b} 1\n'), 'n');
    scanner.next();
    scanner.readSample();
    expect(scanner.labelBlock()).toBe('a=b');
    expect(() => scanner.checkLabels()).toThrow(/expected quoted label value/);
    expect(() => scanner.label(Buffer.from('a'))).toThrow(DecodeError);
  });

  it('text between the parsed label set and the last brace of the line', () => {
    const scanner = new PromTextScanner(Buffer.from('m{a="b"}x} 1\n'), 'n');
    scanner.next();
    scanner.readSample();
    expect(() => scanner.checkLabels()).toThrow(/unexpected text after label set/);
  });

  it('a skipped last line without a line feed', () => {
    const scanner = new PromTextScanner(Buffer.from('m 1\nskipped 2'), 'n');
    scanner.next();
    scanner.readSample();
    scanner.next();
    expect(() => scanner.skipSample()).toThrow(/does not end with a line feed/);
  });
});
