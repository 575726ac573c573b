import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pathNotFound, sendStatus, statusErrorHandler, statusOf } from '../../adapter/index.js';
import { badRequest, metricNotFound, notFound, parseSelector } from '../../src/k8s/index.js';
import { createLogger } from '../../src/observability/index.js';
import type { StatusDoc } from './docs.js';

describe('statusOf: should pass', () => {
  const cases = [
    {
      name: 'a StatusError keeps its Status',
      err: notFound({ group: 'metrics.k8s.io', resource: 'nodemetrics' }, 'n1'),
      code: 404,
      message: 'nodemetrics.metrics.k8s.io "n1" not found',
    },
    {
      name: 'a selector parse error is a 400 with its text',
      err: (() => {
        try {
          parseSelector('a in (b');
        } catch (e) {
          return e;
        }
      })(),
      code: 400,
      message: /^invalid selector/,
    },
    {
      name: 'an express 4xx error keeps its status',
      err: Object.assign(new URIError("Failed to decode param '%E0'"), { status: 400 }),
      code: 400,
      message: "Failed to decode param '%E0'",
    },
    {
      name: 'an express 413 is RequestEntityTooLarge',
      err: Object.assign(new Error('request entity too large'), { status: 413 }),
      code: 413,
      message: 'Request entity too large: request entity too large',
    },
    {
      name: 'any other error is a 500 that hides its text',
      err: new Error('ECONNREFUSED 10.0.0.1:9090'),
      code: 500,
      message: 'Internal error occurred: unexpected server error',
    },
    {
      name: 'a thrown string is a 500',
      err: 'boom',
      code: 500,
      message: 'Internal error occurred: unexpected server error',
    },
    {
      name: 'the unknown path Status has empty details',
      err: pathNotFound(),
      code: 404,
      message: 'the server could not find the requested resource',
    },
  ];
  it.each(cases)('$name', ({ err, code, message }) => {
    const status = statusOf(err);
    expect(status.code).toBe(code);
    if (typeof message === 'string') expect(status.message).toBe(message);
    else expect(status.message).toMatch(message);
  });
});

interface LogLine {
  level: string;
  path: string;
  code: number;
  err?: { message: string };
}

describe('sendStatus: should pass', () => {
  async function serve(err: unknown): Promise<{ code: number; body: StatusDoc; logs: LogLine[] }> {
    const logs: LogLine[] = [];
    const logger = createLogger({
      level: 'debug',
      stream: { write: (l: string) => logs.push(JSON.parse(l) as LogLine) > 0 },
    });
    const app = express();
    app.get('/direct', (_req, res) => sendStatus(res, err, logger));
    app.get('/next', (_req, _res, next) => next(err));
    app.use(statusErrorHandler(logger));
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/direct`);
    const viaNext = await fetch(`http://127.0.0.1:${port}/next`);
    expect(viaNext.status).toBe(res.status);
    server.closeAllConnections();
    server.close();
    return { code: res.status, body: (await res.json()) as StatusDoc, logs };
  }

  const cases = [
    {
      name: '5xx is logged at error with the cause',
      err: new Error('db down'),
      code: 500,
      level: 'error',
    },
    { name: '4xx is logged at debug', err: badRequest('nope'), code: 400, level: 'debug' },
    {
      name: 'a missing metric is logged at debug',
      err: metricNotFound({ group: '', resource: 'pods' }, 'm'),
      code: 404,
      level: 'debug',
    },
  ];
  it.each(cases)('$name', async ({ err, code, level }) => {
    const { code: got, body, logs } = await serve(err);
    expect(got).toBe(code);
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ level, path: '/direct', code });
    if (code === 500) expect(logs[0]!.err?.message).toBe('db down');
  });
});
