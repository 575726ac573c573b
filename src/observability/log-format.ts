/**
 * The two line formats of `--logging-format` (component-base's logging flag, as metrics-server
 * and prometheus-adapter take it): `json`, one object per line with `time`, `level`, `msg` and
 * the fields; `text`, klog's one-line header (`I1207 22:50:55.050000]`, severity letter, UTC
 * month-day and time in microseconds) followed by the quoted message and `key=value` pairs, the
 * shape of klog.InfoS. Both keep a record on one line: strings are quoted with escapes.
 * @module
 */

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogRecord {
  timeMs: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  /** Base and call fields, base first; a later key wins. */
  fields: Record<string, unknown>;
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

/** An error as klog prints it: its message, then each cause's, joined by ": ". */
function errorText(err: Error): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) {
    const raw = (e as { code?: unknown }).code;
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    parts.push(code !== '' && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
  }
  return parts.join(': ');
}

function textValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(errorText(v));
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? serialiseError(x) : x)) ?? 'null'
    );
  } catch {
    return JSON.stringify('<unserialisable>');
  }
}

const severity = { debug: 'I', info: 'I', warn: 'W', error: 'E' } as const;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function textLine(r: LogRecord): string {
  const t = new Date(r.timeMs);
  const header =
    `${severity[r.level]}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.` +
    `${pad(t.getUTCMilliseconds(), 3)}000]`;
  let line = `${header} ${JSON.stringify(r.msg)}`;
  for (const [k, v] of Object.entries(r.fields))
    if (v !== undefined) line += ` ${k}=${textValue(v)}`;
  return `${line}\n`;
}

function jsonLine(r: LogRecord): string {
  const out: Record<string, unknown> = {
    time: new Date(r.timeMs).toISOString(),
    level: r.level,
    msg: r.msg,
  };
  for (const [k, v] of Object.entries(r.fields))
    out[k] = v instanceof Error ? serialiseError(v) : v;
  try {
    return `${JSON.stringify(out)}\n`;
  } catch (err) {
    // A cyclic or BigInt field must not turn a log call into a throw in the caller's code path.
    return `${JSON.stringify({ time: out.time, level: r.level, msg: r.msg, logError: String(err) })}\n`;
  }
}

/** One record as one line in `format`, newline included. */
export function formatRecord(format: LogFormat, record: LogRecord): string {
  return format === 'text' ? textLine(record) : jsonLine(record);
}
