/**
 * `scaleplane serve` arguments and --config file to a validated {@link ServeConfig}, collecting
 * every issue. Pure apart from the injected `readFile`; load.ts supplies the real one.
 * @module
 */
import { parseDocument } from 'yaml';
import { configKeyOf, serveFlags } from './flag-spec.js';
import { resolveFlagValues, tokenizeArgs, type RawFlag } from './flag-values.js';
import type { ConfigIssue, Parsed } from './issues.js';
import { peerFlagSpecs, separatePeerFlags, stripPeerCommand } from './peer-flags.js';
import type { ServeConfig } from './serve-config.js';
import { buildServeConfig } from './serve-build.js';

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
  if (issues.length > 0) return { issues };
  const built = buildServeConfig(values, file.rules);
  if (built.issues.length > 0) return { issues: built.issues };
  built.config.ignoredPeerFlags = peer.ignored;
  if (peerArgv.command !== undefined) built.config.peerCommand = peerArgv.command;
  return { config: built.config, positional };
}

interface ConfigDocument {
  flagEntries: Record<string, unknown>;
  rules?: Record<string, unknown>;
}

function readConfigDocument(
  flags: readonly RawFlag[],
  readFile: ReadFile,
  issues: ConfigIssue[],
): ConfigDocument {
  const path = [...flags].reverse().find((f) => f.name === 'config')?.value;
  if (path === undefined) return { flagEntries: {} };
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    issues.push({ path: '--config', message: `cannot read ${path}: ${(err as Error).message}` });
    return { flagEntries: {} };
  }
  if (text.length > maxConfigBytes) {
    issues.push({ path: '--config', message: `${path} is larger than ${maxConfigBytes} bytes` });
    return { flagEntries: {} };
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      issues.push({ path: 'config', message: `${path}: ${e.message.split('\n')[0]}` });
    return { flagEntries: {} };
  }
  const body: unknown = doc.toJS() ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.push({ path: 'config', message: `${path} must hold a YAML mapping` });
    return { flagEntries: {} };
  }
  return splitDocument(body as Record<string, unknown>, issues);
}

/** Flag keys go to the flag resolver, rule keys to the rules parser, anything else is an error. */
function splitDocument(body: Record<string, unknown>, issues: ConfigIssue[]): ConfigDocument {
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
