/**
 * `/healthz`, `/livez` and `/readyz` in the format of apiserver pkg/server/healthz
 * (handleRootHealth): plain text, `ok` when every check passes, and on failure — or with
 * `?verbose` — one `[+]name ok` / `[-]name failed: reason` line per check followed by
 * `<endpoint> check passed|failed`; 500 when any check fails. `?exclude=name` skips a check.
 * `/<endpoint>/<check>` runs one check. Every endpoint has the built-in `ping` check.
 *
 * A check marked `informational` is listed but never fails the endpoint: `[+]name ok`, or
 * `[+]name failing (informational, not required): reason` (Kubernetes has no such check; the
 * `[+]` keeps the line's meaning for tools that read the prefix).
 *
 * Upstream withholds the reason ("reason withheld") on these unauthenticated paths and logs it;
 * our reasons ("no complete collection yet") carry no secrets, so the response shows them, as
 * the HealthResult contract in src/observability/health.ts promises.
 * @module
 */
import { Router, type RequestHandler, type Response } from 'express';
import type { HealthCheck, HealthResult, Logger } from '../src/observability/index.js';
import { pathNotFound, rejectAnyMethod } from './errors.js';
import { queryOf } from './request.js';

export interface HealthOptions {
  live: readonly HealthCheck[];
  ready: readonly HealthCheck[];
  logger: Logger;
}

const ping: HealthCheck = { name: 'ping', check: () => ({ ok: true }) };

/** Runs a check; a check that throws fails with its message rather than failing the endpoint. */
function run(check: HealthCheck): HealthResult {
  try {
    return check.check();
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

function sendText(res: Response, code: number, text: string): void {
  res.status(code);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(text);
}

/** Checks in order, later duplicates of a name dropped (healthz serves live and ready together). */
function unique(checks: readonly HealthCheck[]): HealthCheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => !seen.has(c.name) && (seen.add(c.name), true));
}

interface Outcome {
  lines: string;
  failed: string[];
}

function evaluate(checks: readonly HealthCheck[], excluded: Set<string>): Outcome {
  let lines = '';
  const failed: string[] = [];
  for (const check of checks) {
    if (excluded.delete(check.name)) {
      lines += `[+]${check.name} excluded: ok\n`;
      continue;
    }
    const result = run(check);
    if (result.ok) lines += `[+]${check.name} ok\n`;
    else if (check.informational)
      lines += `[+]${check.name} failing (informational, not required): ${result.reason ?? 'unknown reason'}\n`;
    else {
      lines += `[-]${check.name} failed: ${result.reason ?? 'unknown reason'}\n`;
      failed.push(check.name);
    }
  }
  if (excluded.size > 0) {
    const names = [...excluded]
      .sort()
      .map((n) => JSON.stringify(n))
      .join(', ');
    lines += `warn: some health checks cannot be excluded: no matches for ${names}\n`;
  }
  return { lines, failed };
}

/** Logs readiness when it changes (habit 12: state changes once, not per probe). */
function readinessLogger(logger: Logger): (failed: string[]) => void {
  let lastReady: boolean | undefined;
  return (failed) => {
    const ready = failed.length === 0;
    if (ready === lastReady) return;
    lastReady = ready;
    logger.info('readiness changed', { ready, failedChecks: failed });
  };
}

function rootHandler(
  endpoint: string,
  checks: readonly HealthCheck[],
  onResult?: (failed: string[]) => void,
): RequestHandler {
  return (req, res) => {
    const q = queryOf(req);
    const exclude = q.getAll('exclude');
    const { lines, failed } = evaluate(checks, new Set(exclude));
    // A probe that excludes checks does not measure readiness, so it does not move the logged state.
    if (exclude.length === 0) onResult?.(failed);
    if (failed.length > 0) return sendText(res, 500, `${lines}${endpoint} check failed\n`);
    if (!q.has('verbose')) return sendText(res, 200, 'ok');
    sendText(res, 200, `${lines}${endpoint} check passed\n`);
  };
}

function singleHandler(checks: readonly HealthCheck[]): RequestHandler {
  return (req, res, next) => {
    const check = checks.find((c) => c.name === req.params.check);
    if (!check) return next(pathNotFound());
    const result = run(check);
    if (result.ok) return sendText(res, 200, 'ok');
    sendText(res, 500, `internal server error: ${result.reason ?? 'unknown reason'}\n`);
  };
}

/** The health router; mount it at the application root. */
export function healthRouter(o: HealthOptions): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const endpoints: [string, HealthCheck[], ((failed: string[]) => void)?][] = [
    ['healthz', unique([ping, ...o.live, ...o.ready])],
    ['livez', unique([ping, ...o.live])],
    ['readyz', unique([ping, ...o.ready]), readinessLogger(o.logger)],
  ];
  for (const [endpoint, checks, onResult] of endpoints) {
    router
      .route(`/${endpoint}`)
      .get(rootHandler(endpoint, checks, onResult))
      .all(rejectAnyMethod);
    router.route(`/${endpoint}/:check`).get(singleHandler(checks)).all(rejectAnyMethod);
  }
  return router;
}
