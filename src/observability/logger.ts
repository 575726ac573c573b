/**
 * Structured logging: one JSON object per line, a constant message, context in fields
 * (the shape of metrics-server's `klog.ErrorS(err, "Failed to scrape node", "node", …)`).
 * @module
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, for a component or a request. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays free for command output. */
  stream?: Pick<Writable, 'write'>;
  /** Wall-clock source for the `time` field; injectable so tests get stable lines. */
  now?: () => number;
}

/** Maps klog-style `--v` verbosity to a level: 0-1 info, 2+ debug (metrics-server uses --v=2 for detail). */
export function levelFromVerbosity(v: number): LogLevel {
  return v >= 2 ? 'debug' : 'info';
}

/** Errors do not serialise through JSON.stringify; keep their message, code and cause chain. */
function serialiseError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const out: Record<string, unknown> = { message: err.message, name: err.name };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined && depth < 4) out.cause = serialiseError(err.cause, depth + 1);
  return out;
}

function render(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? serialiseError(v) : v;
  return out;
}

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const threshold = levelRank[options.level ?? 'info'];
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (levelRank[level] < threshold) return;
    const line = {
      time: new Date(now()).toISOString(),
      level,
      msg,
      ...render(base),
      ...render(fields ?? {}),
    };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything, for tests and library callers that pass none. */
export const silentLogger: Logger = createLogger({ stream: { write: () => true } });
