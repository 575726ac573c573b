/**
 * Turns command-line words and --config file entries into typed flag values, collecting every
 * issue with the flag (or file key) it concerns. Flags given on the command line override the file,
 * which overrides the defaults, as kube components do with --config.
 * @module
 */
import { parseDuration } from '../k8s/index.js';
import type { ConfigIssue } from './issues.js';
import { configKeyOf, type FlagSpec } from './flag-spec.js';

/** A flag's value after conversion: durations in milliseconds, lists as arrays. */
export type FlagValue = string | number | boolean | string[];

export interface RawFlag {
  name: string;
  value: string | undefined;
}

/** Splits argv into `--name[=value]` flags and positional words; unknown flags become issues. */
export function tokenizeArgs(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
): { flags: RawFlag[]; positional: string[]; issues: ConfigIssue[] } {
  const flags: RawFlag[] = [];
  const positional: string[] = [];
  const issues: ConfigIssue[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const body = word.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = specs[name];
    if (!spec) {
      issues.push({ path: `--${name}`, message: 'unknown flag' });
      continue;
    }
    if (eq >= 0) flags.push({ name, value: body.slice(eq + 1) });
    else if (spec.kind === 'bool') flags.push({ name, value: 'true' });
    else if (i + 1 < argv.length) flags.push({ name, value: argv[++i] });
    else issues.push({ path: `--${name}`, message: 'needs a value' });
  }
  return { flags, positional, issues };
}

/** Converts one textual value by its flag kind. Returns an error message instead of throwing. */
export function convertText(spec: FlagSpec, text: string): FlagValue | { error: string } {
  switch (spec.kind) {
    case 'string':
      if (spec.oneOf && !spec.oneOf.includes(text)) {
        return { error: `must be one of ${spec.oneOf.join(', ')}, not ${JSON.stringify(text)}` };
      }
      return text;
    case 'bool':
      if (text === 'true' || text === 'false') return text === 'true';
      return { error: `must be true or false, not ${JSON.stringify(text)}` };
    case 'int':
    case 'float':
      return convertNumber(spec, text);
    case 'duration':
      try {
        return parseDuration(text);
      } catch (err) {
        return { error: (err as Error).message };
      }
    case 'list':
      return text === '' ? [] : text.split(',').map((s) => s.trim());
    case 'repeatable':
      return [text];
  }
}

function convertNumber(spec: FlagSpec, text: string): number | { error: string } {
  const pattern = spec.kind === 'int' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
  if (!pattern.test(text.trim()))
    return {
      error: `must be ${spec.kind === 'int' ? 'an integer' : 'a number'}, not ${JSON.stringify(text)}`,
    };
  const n = Number(text);
  if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isSafeInteger(n)))
    return { error: `out of range: ${text}` };
  if (spec.min !== undefined && n < spec.min)
    return { error: `must be >= ${spec.min}, not ${text}` };
  if (spec.max !== undefined && n > spec.max)
    return { error: `must be <= ${spec.max}, not ${text}` };
  return n;
}

/** Converts a --config file entry: YAML gives numbers, booleans and arrays as well as strings. */
export function convertFileValue(spec: FlagSpec, value: unknown): FlagValue | { error: string } {
  if ((spec.kind === 'list' || spec.kind === 'repeatable') && Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return value;
    return { error: 'must be a list of strings' };
  }
  if (spec.kind === 'duration' && typeof value === 'number') {
    return { error: 'must be a duration string such as "15s" (a bare number has no unit)' };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return convertText(spec, String(value));
  }
  return { error: `must be a ${spec.kind}` };
}

/**
 * Resolves every flag's value: defaults, then the file document, then the command line.
 * `fileKeys` not naming a flag are left for the caller (it owns the rule keys).
 */
export function resolveFlagValues(
  specs: Readonly<Record<string, FlagSpec>>,
  flags: readonly RawFlag[],
  fileDoc: Readonly<Record<string, unknown>>,
  filePathPrefix: string,
): { values: Map<string, FlagValue>; issues: ConfigIssue[] } {
  const values = new Map<string, FlagValue>();
  const issues: ConfigIssue[] = [];
  const put = (
    name: string,
    converted: FlagValue | { error: string },
    path: string,
    append: boolean,
  ): void => {
    if (typeof converted === 'object' && !Array.isArray(converted)) {
      issues.push({ path, message: converted.error });
      return;
    }
    const prev = values.get(name);
    values.set(
      name,
      append && Array.isArray(prev) && Array.isArray(converted)
        ? [...prev, ...converted]
        : converted,
    );
  };
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default !== undefined) put(name, convertText(spec, spec.default), `--${name}`, false);
    const key = configKeyOf(name);
    if (key in fileDoc)
      put(name, convertFileValue(spec, fileDoc[key]), `${filePathPrefix}${key}`, false);
  }
  const seenOnCommandLine = new Set<string>();
  for (const { name, value } of flags) {
    const spec = specs[name]!;
    // A repeatable flag accumulates its command-line occurrences but replaces the file's list.
    const append = spec.kind === 'repeatable' && seenOnCommandLine.has(name);
    seenOnCommandLine.add(name);
    put(name, convertText(spec, value ?? ''), `--${name}`, append);
  }
  return { values, issues };
}
