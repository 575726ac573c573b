import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { hpaScenarioDir } from '../../support/fixtures.js';
import { fakeIo } from './fake-io.js';

const scenarioText = readFileSync(join(hpaScenarioDir(), '075-scale-cpu--scale-up.json'), 'utf8');

describe('hpa evaluate', () => {
  describe('should pass', () => {
    it('prints the decision as JSON', async () => {
      const io = fakeIo({ 's.json': scenarioText });
      expect(await run(['hpa', 'evaluate', 's.json'], io)).toBe(0);
      const decision = JSON.parse(io.out) as {
        desiredReplicas: number;
        conditions: { reason: string }[];
      };
      expect(decision.desiredReplicas).toBe(5);
      expect(decision.conditions.map((c) => c.reason)).toEqual([
        'SucceededRescale',
        'ValidMetricFound',
        'DesiredWithinRange',
      ]);
      expect(io.err).toBe('');
    });

    it('reads standard input for -', async () => {
      const io = fakeIo({}, scenarioText);
      expect(await run(['hpa', 'evaluate', '-'], io)).toBe(0);
      expect(JSON.parse(io.out)).toMatchObject({ desiredReplicas: 5 });
    });

    it.each([['--output', 'text'], ['-o', 'text'], ['--output=text']])(
      'prints text with %s',
      async (...flag) => {
        const io = fakeIo({ 's.json': scenarioText });
        expect(await run(['hpa', 'evaluate', ...flag, 's.json'], io)).toBe(0);
        expect(io.out).toMatch(/^desired replicas: 5 \(current 3, rescale from 3\)\n/);
      },
    );

    it('--help prints the usage', async () => {
      const io = fakeIo();
      expect(await run(['hpa', 'evaluate', '--help'], io)).toBe(0);
      expect(io.out).toContain('Usage: scaleplane hpa evaluate [options] <scenario.json | ->');
    });
  });

  describe('should fail with exit 2 and one line naming the problem', () => {
    const malformed = JSON.parse(scenarioText) as { hpa: { spec: { maxReplicas: number } } };
    malformed.hpa.spec.maxReplicas = 0;
    const cases: {
      name: string;
      argv: string[];
      files: Record<string, string>;
      err: string | RegExp;
    }[] = [
      {
        name: 'malformed scenario',
        argv: ['s.json'],
        files: { 's.json': JSON.stringify(malformed) },
        err: 'error: hpa evaluate: s.json: hpa.spec.maxReplicas: must be >= 1\n',
      },
      {
        name: 'invalid JSON',
        argv: ['s.json'],
        files: { 's.json': '{"now": ' },
        err: /^error: hpa evaluate: s\.json: invalid JSON: .+\n$/,
      },
      {
        name: 'missing file',
        argv: ['nope.json'],
        files: {},
        err: /^error: hpa evaluate: nope\.json: cannot read: ENOENT.+\n$/,
      },
      {
        name: 'unknown flag',
        argv: ['--fast', 's.json'],
        files: {},
        err: "error: hpa evaluate: Unknown option '--fast'\n",
      },
      {
        name: 'unknown output format',
        argv: ['-o', 'yaml', 's.json'],
        files: {},
        err: 'error: hpa evaluate: --output: must be json or text (got "yaml")\n',
      },
      {
        name: 'no file',
        argv: [],
        files: {},
        err: 'error: hpa evaluate: expected one scenario file, or - for standard input\n',
      },
      {
        name: 'two files',
        argv: ['a.json', 'b.json'],
        files: {},
        err: 'error: hpa evaluate: expected one scenario file, or - for standard input\n',
      },
      {
        name: 'not an object',
        argv: ['s.json'],
        files: { 's.json': '[]' },
        err: 'error: hpa evaluate: s.json: (root): must be an object\n',
      },
    ];
    it.each(cases)('$name', async (c) => {
      const io = fakeIo(c.files);
      expect(await run(['hpa', 'evaluate', ...c.argv], io)).toBe(2);
      expect(io.out).toBe('');
      if (typeof c.err === 'string') expect(io.err).toBe(c.err);
      else expect(io.err).toMatch(c.err);
      expect(io.err.split('\n')).toHaveLength(2);
    });
  });
});
