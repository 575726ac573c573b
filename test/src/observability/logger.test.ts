import { describe, expect, it } from 'vitest';
import {
  createLogger,
  levelFromVerbosity,
  type LogLevel,
} from '../../../src/observability/index.js';

function capture(level: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    stream: { write: (s: string) => lines.push(s) > 0 },
    now: () => Date.UTC(2026, 0, 1),
  });
  return {
    logger,
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, constant msg and context fields', () => {
    const { logger, lines, parsed } = capture('info');
    logger.info('scrape failed', { node: 'n1', durationMs: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(parsed()[0]).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'scrape failed',
      node: 'n1',
      durationMs: 12,
    });
  });

  const levelCases = [
    { name: 'info hides debug', level: 'info' as const, emitted: ['info', 'warn', 'error'] },
    {
      name: 'debug shows everything',
      level: 'debug' as const,
      emitted: ['debug', 'info', 'warn', 'error'],
    },
    { name: 'error shows only errors', level: 'error' as const, emitted: ['error'] },
  ];
  it.each(levelCases)('levels: $name', ({ level, emitted }) => {
    const { logger, parsed } = capture(level);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.level)).toEqual(emitted);
  });

  it('serialises errors with message, code and cause chain instead of {}', () => {
    const { logger, parsed } = capture('info');
    const cause = Object.assign(new Error('ECONNREFUSED 127.0.0.1:10250'), {
      code: 'ECONNREFUSED',
    });
    logger.error('scrape failed', { err: new Error('failed to scrape node n1', { cause }) });
    expect(parsed()[0]!.err).toEqual({
      message: 'failed to scrape node n1',
      name: 'Error',
      cause: { message: 'ECONNREFUSED 127.0.0.1:10250', name: 'Error', code: 'ECONNREFUSED' },
    });
  });

  it('child loggers add their fields to every line', () => {
    const { logger, parsed } = capture('info');
    logger.child({ component: 'scraper' }).child({ node: 'n2' }).warn('slow kubelet');
    expect(parsed()[0]).toMatchObject({ component: 'scraper', node: 'n2', msg: 'slow kubelet' });
  });

  const verbosityCases = [
    { name: '--v=0 is info', v: 0, level: 'info' },
    { name: '--v=1 is info', v: 1, level: 'info' },
    { name: '--v=2 is debug', v: 2, level: 'debug' },
  ];
  it.each(verbosityCases)('$name', ({ v, level }) => expect(levelFromVerbosity(v)).toBe(level));
});
