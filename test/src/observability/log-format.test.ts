import { describe, expect, it } from 'vitest';
import { createLogger, formatRecord, type LogRecord } from '../../../src/observability/index.js';

const at = Date.UTC(2026, 11, 7, 22, 50, 55, 50);

describe('formatRecord text (klog-style)', () => {
  const cases: { name: string; record: LogRecord; line: string }[] = [
    {
      name: 'info with string and number fields',
      record: {
        timeMs: at,
        level: 'info',
        msg: 'serving securely',
        fields: { address: '127.0.0.1', port: 6443 },
      },
      line: 'I1207 22:50:55.050000] "serving securely" address="127.0.0.1" port=6443\n',
    },
    {
      name: 'error with its cause chain and code',
      record: {
        timeMs: at,
        level: 'error',
        msg: 'scrape failed',
        fields: {
          node: 'n1',
          err: new Error('failed to scrape node n1', {
            cause: Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }),
          }),
        },
      },
      line: 'E1207 22:50:55.050000] "scrape failed" node="n1" err="failed to scrape node n1: connect refused (ECONNREFUSED)"\n',
    },
    {
      name: 'warn, a newline stays escaped, objects as JSON, undefined left out',
      record: {
        timeMs: at,
        level: 'warn',
        msg: 'odd',
        fields: { text: 'a\nb', obj: { k: [1, 2] }, gone: undefined, ok: true },
      },
      line: 'W1207 22:50:55.050000] "odd" text="a\\nb" obj={"k":[1,2]} ok=true\n',
    },
  ];
  it.each(cases)('$name', ({ record, line }) => {
    expect(formatRecord('text', record)).toBe(line);
  });
});

describe('formatRecord json', () => {
  it('a cyclic field does not make the log call throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const line = formatRecord('json', { timeMs: at, level: 'info', msg: 'm', fields: { cyclic } });
    expect(JSON.parse(line)).toMatchObject({ msg: 'm', level: 'info' });
  });
});

describe('createLogger format option', () => {
  it('text lines through a child logger', () => {
    const lines: string[] = [];
    const logger = createLogger({
      format: 'text',
      stream: { write: (l: string) => lines.push(l) },
      now: () => at,
    });
    logger.child({ component: 'api' }).info('serving', { url: 'https://127.0.0.1:6443' });
    expect(lines).toEqual([
      'I1207 22:50:55.050000] "serving" component="api" url="https://127.0.0.1:6443"\n',
    ]);
  });
});
