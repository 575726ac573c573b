/**
 * `scaleplane serve` arguments and --config file to a validated {@link ServeConfig}, collecting
 * every issue. Pure apart from the injected `readFile`; load.ts supplies the real one.
 * @module
 */
import { configKeyOf, serveFlags } from './flag-spec.js';
import { resolveFlagValues, tokenizeArgs, type RawFlag } from './flag-values.js';
import type { ConfigIssue, Parsed } from './issues.js';
import { peerFlagSpecs, separatePeerFlags, stripPeerCommand } from './peer-flags.js';
import type { ServeConfig } from './serve-config.js';
import { buildServeConfig } from './serve-build.js';
import { documentBody, locateIssues, parseLocated } from './yaml-locate.js';

/** Top-level keys of a prometheus-adapter config, accepted unchanged in ours. */
export const ruleKeys = ['rules', 'externalRules', 'resourceRules'] as const;

const flagKeys = new Map(Object.keys(serveFlags).map((f) => [configKeyOf(f), f]));

/** Files larger than this are refused before parsing: a config is a few KiB, never megabytes. */
export const maxConfigBytes = 4 * 1024 * 1024;

export type ReadFile = (path: string) => string;

/** Validates the rules part of the document; supplied by the caller so src/config stays one-way. */
export type RulesValidator = (doc: Record<string, unknown>) => ConfigIssue[];

export function parseServeConfig(
  argv: readonly string[],
  readFile: ReadFile,
  validateRules?: RulesValidator,
): Parsed<ServeConfig> & { positional?: string[] } {
  const peerArgv = stripPeerCommand(argv);
  const tokens = tokenizeArgs(peerArgv.argv, { ...peerFlagSpecs(serveFlags), ...serveFlags });
  const peer = separatePeerFlags(tokens.flags);
  const { positional, issues } = tokens;
  const flags = peer.flags;
  issues.push(...peer.issues);
  const file = readConfigDocument(flags, readFile, issues);
  const { values, issues: valueIssues } = resolveFlagValues(
    serveFlags,
    flags,
    file.flagEntries,
    'config.',
  );
  issues.push(...valueIssues);
  if (positional.length > 0) issues.push({ path: positional[0]!, message: 'unexpected argument' });
  if (file.rules && validateRules) issues.push(...validateRules(file.rules));
  if (issues.length > 0) return { issues: file.locate(issues) };
  const built = buildServeConfig(values, file.rules);
  if (built.issues.length === 0) {
    built.config.ignoredPeerFlags = peer.ignored;
    if (peerArgv.command !== undefined) built.config.peerCommand = peerArgv.command;
    return { config: built.config, positional };
  }
  // A cross-flag issue about a value the file set (and the command line did not) points at the file.
  const onCommandLine = new Set(flags.map((f) => f.name));
  const fromFile = (path: string): string => {
    const name = path.slice(2);
    return path.startsWith('--') &&
      !onCommandLine.has(name) &&
      configKeyOf(name) in file.flagEntries
      ? `config.${configKeyOf(name)}`
      : path;
  };
  return { issues: file.locate(built.issues.map((i) => ({ ...i, path: fromFile(i.path) }))) };
}

interface ConfigDocument {
  flagEntries: Record<string, unknown>;
  rules?: Record<string, unknown>;
  /** Adds the --config file's line and column to the issues about its keys. */
  locate: (issues: ConfigIssue[]) => ConfigIssue[];
}

const noFile = { flagEntries: {}, locate: (issues: ConfigIssue[]) => issues };

/**
 * Flag keys in the file are reported as `config.<key>`, rule keys under their own path
 * (`rules[0].name`), as the rules parser writes them; both name the same place in the document.
 */
function issuePathToDocPath(path: string): string | undefined {
  if (path.startsWith('config.')) return path.slice('config.'.length);
  return (ruleKeys as readonly string[]).some(
    (k) => path === k || (/^[.[]/.test(path.slice(k.length)) && path.startsWith(k)),
  )
    ? path
    : undefined;
}

function docPathToIssuePath(path: string): string {
  const top = /^[^.[]*/.exec(path)![0];
  return (ruleKeys as readonly string[]).includes(top) || path === '(document)'
    ? path
    : `config.${path}`;
}

function readConfigDocument(
  flags: readonly RawFlag[],
  readFile: ReadFile,
  issues: ConfigIssue[],
): ConfigDocument {
  const path = [...flags].reverse().find((f) => f.name === 'config')?.value;
  if (path === undefined) return noFile;
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    issues.push({ path: '--config', message: `cannot read ${path}: ${(err as Error).message}` });
    return noFile;
  }
  if (text.length > maxConfigBytes) {
    issues.push({ path: '--config', message: `${path} is larger than ${maxConfigBytes} bytes` });
    return noFile;
  }
  const located = parseLocated(text);
  if (located.syntaxIssues.length > 0) {
    for (const e of located.syntaxIssues)
      issues.push({ ...e, path: docPathToIssuePath(e.path), message: `${path}: ${e.message}` });
    return noFile;
  }
  const doc = documentBody(located);
  if ('issue' in doc) {
    issues.push({ path: 'config', message: `${path}: ${doc.issue.message}` });
    return noFile;
  }
  const body = doc.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.push({ path: 'config', message: `${path} must hold a YAML mapping` });
    return noFile;
  }
  return {
    ...splitDocument(body as Record<string, unknown>, issues),
    locate: (list) => locateIssues(list, located, issuePathToDocPath),
  };
}

/** Flag keys go to the flag resolver, rule keys to the rules parser, anything else is an error. */
function splitDocument(
  body: Record<string, unknown>,
  issues: ConfigIssue[],
): Omit<ConfigDocument, 'locate'> {
  const flagEntries: Record<string, unknown> = {};
  const rules: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((ruleKeys as readonly string[]).includes(key)) rules[key] = value;
    else if (key === 'config')
      issues.push({ path: 'config.config', message: 'a config file cannot name another' });
    else if (flagKeys.has(key)) flagEntries[key] = value;
    else issues.push({ path: `config.${key}`, message: 'unknown key' });
  }
  return { flagEntries, rules: Object.keys(rules).length > 0 ? rules : undefined };
}
