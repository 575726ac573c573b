import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeOutput } from '../../../src/observability/index.js';

/** A stream whose every write fails with EPIPE, as stderr does once its reader is gone. */
function brokenPipe(): Writable & { attempts: number } {
  const s = new Writable({
    write(_chunk, _enc, cb) {
      s.attempts++;
      cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  }) as Writable & { attempts: number };
  s.attempts = 0;
  return s;
}

describe('safeOutput: should pass', () => {
  it('writes through to a healthy stream', () => {
    const lines: string[] = [];
    const out = safeOutput({ write: (l: string) => lines.push(l) });
    expect(out.write('a\n')).toBe(true);
    expect(lines).toEqual(['a\n']);
    expect(out.broken).toBe(false);
  });
});

describe('safeOutput: should fail softly', () => {
  it('an EPIPE marks the stream broken: no uncaught error, no retry, later lines dropped', async () => {
    const stream = brokenPipe();
    const out = safeOutput(stream);
    out.write('first\n');
    await new Promise((r) => setImmediate(r));
    expect(out.broken).toBe(true);
    for (let i = 0; i < 100; i++) out.write('again\n');
    expect(stream.attempts).toBe(1);
    expect(out.dropped).toBe(100);
  });

  it('a stream that throws is broken from then on', () => {
    let calls = 0;
    const out = safeOutput({
      write: () => {
        calls++;
        throw new Error('EBADF');
      },
    });
    expect(out.write('x\n')).toBe(false);
    expect(out.write('y\n')).toBe(false);
    expect(calls).toBe(1);
    expect(out.dropped).toBe(2);
  });

  it('a reader that stops reading: lines past the buffer cap are dropped, not queued', () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const out = safeOutput(stream, 64);
    for (let i = 0; i < 50; i++) out.write('0123456789\n');
    expect(stream.writableLength).toBeLessThanOrEqual(64 + 11);
    expect(out.dropped).toBeGreaterThan(40);
  });

  it('two loggers on one broken stream share one listener and one verdict', async () => {
    const stream = brokenPipe();
    const a = createLogger({ stream });
    const b = createLogger({ stream }).child({ component: 'x' });
    a.error('uncaught exception', { err: new Error('write EPIPE') });
    await new Promise((r) => setImmediate(r));
    b.error('uncaught exception');
    a.info('still logging');
    expect(stream.attempts).toBe(1);
    expect(stream.listenerCount('error')).toBe(1);
  });
});
