/**
 * Structured logging: one record per line, a constant message, context in fields (the shape of
 * metrics-server's `klog.ErrorS(err, "Failed to scrape node", "node", …)`), as JSON or klog-like
 * text (log-format.ts). Lines go through a safe output (log-sink.ts): a closed or stuck stream
 * drops lines and never raises, so no error path can log its own failure in a loop.
 * @module
 */
import { formatRecord, type LogFormat } from './log-format.js';
import { safeOutput, type OutputStream, type SafeOutput } from './log-sink.js';

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
  /** `--logging-format`: json (default) or klog-like text. */
  format?: LogFormat;
  /** Where lines go; stderr by default so stdout stays free for command output. */
  stream?: OutputStream;
  /** Wall-clock source for the `time` field; injectable so tests get stable lines. */
  now?: () => number;
}

/** Maps klog-style `--v` verbosity to a level: 0-1 info, 2+ debug (metrics-server uses --v=2 for detail). */
export function levelFromVerbosity(v: number): LogLevel {
  return v >= 2 ? 'debug' : 'info';
}

interface Settings {
  threshold: number;
  format: LogFormat;
  out: SafeOutput;
  now: () => number;
}

function makeLogger(s: Settings, base: LogFields): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (levelRank[level] < s.threshold) return;
    s.out.write(
      formatRecord(s.format, { timeMs: s.now(), level, msg, fields: { ...base, ...fields } }),
    );
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => makeLogger(s, { ...base, ...fields }),
  };
}

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  return makeLogger(
    {
      threshold: levelRank[options.level ?? 'info'],
      format: options.format ?? 'json',
      out: safeOutput(options.stream ?? process.stderr),
      now: options.now ?? Date.now,
    },
    base,
  );
}

/** A logger that drops everything, for tests and library callers that pass none. */
export const silentLogger: Logger = createLogger({ stream: { write: () => true } });
