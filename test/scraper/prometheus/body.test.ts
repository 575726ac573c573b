import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCapped } from '../../../scraper/prometheus/body.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';

function read(
  chunks: string[],
  o: { contentLength?: string; maxBytes?: number; abort?: unknown; fail?: Error } = {},
): { result: Promise<Buffer>; stream: PassThrough } {
  const stream = new PassThrough();
  const ac = new AbortController();
  const result = readCapped({
    stream,
    contentLength: o.contentLength,
    maxBytes: o.maxBytes ?? 10,
    path: 'api/v1/query',
    signal: ac.signal,
  });
  for (const c of chunks) stream.write(c);
  if (o.abort !== undefined) ac.abort(o.abort);
  else if (o.fail) stream.destroy(o.fail);
  else stream.end();
  return { result, stream };
}

async function failure(p: Promise<unknown>): Promise<PrometheusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PrometheusError);
  return err as PrometheusError;
}

describe('readCapped: should pass', () => {
  const cases = [
    { name: 'a body under the cap', chunks: ['{"a":', '1}'], body: '{"a":1}' },
    { name: 'a body of exactly the cap', chunks: ['0123456789'], body: '0123456789' },
    { name: 'an empty body', chunks: [], body: '' },
    {
      name: 'a truthful Content-Length within the cap',
      chunks: ['abc'],
      contentLength: '3',
      body: 'abc',
    },
  ];
  it.each(cases)('$name', async ({ chunks, contentLength, body }) => {
    expect((await read(chunks, { contentLength }).result).toString()).toBe(body);
  });
});

describe('readCapped: should fail', () => {
  const cases = [
    {
      name: 'one byte past the cap, mid-stream',
      chunks: ['01234', '56789', 'x', 'never read'],
      reason: 'response_too_large',
      message:
        'response from api/v1/query is larger than --prometheus-max-response-bytes=10: refused after reading 11 bytes',
    },
    {
      name: 'a Content-Length past the cap, before reading',
      chunks: ['x'],
      contentLength: '11',
      reason: 'response_too_large',
      message:
        'response from api/v1/query is larger than --prometheus-max-response-bytes=10: Content-Length 11, refused before reading',
    },
    {
      name: 'the deadline, with its own reason',
      chunks: ['01'],
      abort: new PrometheusError('timeout', 'request to api/v1/query timed out after 10 ms'),
      reason: 'timeout',
      message: 'request to api/v1/query timed out after 10 ms',
    },
    {
      name: 'a stop without a reason of ours',
      chunks: ['01'],
      abort: new Error('stop'),
      reason: 'aborted',
      message: 'reading the response from api/v1/query was aborted',
    },
    {
      name: 'a connection reset mid-body',
      chunks: ['01'],
      fail: new Error('socket hang up'),
      reason: 'connection',
      message: 'reading the response from api/v1/query failed: socket hang up',
    },
  ];
  it.each(cases)('$name', async ({ chunks, reason, message, ...o }) => {
    const { result, stream } = read(chunks, o);
    const err = await failure(result);
    expect({ reason: err.reason, message: err.message }).toEqual({ reason, message });
    expect(stream.destroyed).toBe(true);
  });
});
