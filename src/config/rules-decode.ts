/**
 * Structural decoding of a rules document into the {@link RulesConfig} model, in yaml.v2
 * UnmarshalStrict's terms: unknown keys and wrong shapes are issues at their path; null or
 * absent fields take Go's zero value; scalars are accepted for string fields as yaml.v2 accepts
 * them. Semantic checks (regexes, templates) are in rules-validate.ts.
 * @module
 */
import type { ConfigIssue } from './issues.js';
import type {
  DiscoveryRule,
  LabelValueReplacement,
  RegexFilter,
  ResourceMapping,
  ResourceRef,
  ResourceRule,
  ResourceRules,
  RulesConfig,
} from './rules.js';
import { parsePrometheusDuration } from './rules-duration.js';

type Obj = Record<string, unknown>;

/** Path of a mapping key: `a.b`, or `a["x.y"]` when the key is not a plain identifier. */
function keyPath(base: string, key: string): string {
  const sep = base === '' ? '' : '.';
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
    ? `${base}${sep}${key}`
    : `${base}[${JSON.stringify(key)}]`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/** A mapping with only `allowed` keys; undefined (and an issue unless absent/null) otherwise. */
function mapping(
  v: unknown,
  path: string,
  allowed: readonly string[] | 'any',
  issues: ConfigIssue[],
): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    issues.push({ path, message: `must be a mapping, not ${typeName(v)}` });
    return undefined;
  }
  if (allowed === 'any') return v as Obj;
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key))
      issues.push({
        path: keyPath(path, key),
        message: `unknown key (known: ${allowed.join(', ')})`,
      });
  }
  return v as Obj;
}

function str(v: unknown, path: string, issues: ConfigIssue[]): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  issues.push({ path, message: `must be a string, not ${typeName(v)}` });
  return '';
}

function list(v: unknown, path: string, issues: ConfigIssue[]): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  issues.push({ path, message: `must be a list, not ${typeName(v)}` });
  return [];
}

/** yaml.v2 reads YAML 1.1 booleans, so `yes`/`off` are booleans there; accept them here too. */
function bool(v: unknown, path: string, issues: ConfigIssue[]): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(v)) return true;
    if (/^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(v)) return false;
  }
  issues.push({ path, message: `must be a boolean, not ${JSON.stringify(v)}` });
  return undefined;
}

export function decodeRulesDocument(v: unknown, issues: ConfigIssue[]): RulesConfig {
  const top = mapping(v, '', ['rules', 'externalRules', 'resourceRules'], issues) ?? {};
  const config: RulesConfig = {
    rules: list(top.rules, 'rules', issues).map((r, i) => decodeRule(r, `rules[${i}]`, issues)),
    externalRules: list(top.externalRules, 'externalRules', issues).map((r, i) =>
      decodeRule(r, `externalRules[${i}]`, issues),
    ),
  };
  const resourceRules = decodeResourceRules(top.resourceRules, issues);
  if (resourceRules) config.resourceRules = resourceRules;
  return config;
}

const ruleKeys = [
  'seriesQuery',
  'seriesFilters',
  'resources',
  'name',
  'metricsQuery',
  'labelValueReplacements',
];

function decodeRule(v: unknown, path: string, issues: ConfigIssue[]): DiscoveryRule {
  const o = mapping(v, path, ruleKeys, issues) ?? {};
  const name = mapping(o.name, `${path}.name`, ['matches', 'as'], issues) ?? {};
  return {
    seriesQuery: str(o.seriesQuery, `${path}.seriesQuery`, issues),
    seriesFilters: list(o.seriesFilters, `${path}.seriesFilters`, issues).flatMap((f, i) =>
      decodeFilter(f, `${path}.seriesFilters[${i}]`, issues),
    ),
    resources: decodeMapping(o.resources, `${path}.resources`, issues),
    name: {
      matches: str(name.matches, `${path}.name.matches`, issues),
      as: str(name.as, `${path}.name.as`, issues),
    },
    metricsQuery: str(o.metricsQuery, `${path}.metricsQuery`, issues),
    labelValueReplacements: list(
      o.labelValueReplacements,
      `${path}.labelValueReplacements`,
      issues,
    ).map((r, i) => decodeReplacement(r, `${path}.labelValueReplacements[${i}]`, issues)),
  };
}

/** NewReMatcher: exactly one of `is` and `isNot`. */
function decodeFilter(v: unknown, path: string, issues: ConfigIssue[]): RegexFilter[] {
  const o = mapping(v, path, ['is', 'isNot'], issues) ?? {};
  const is = str(o.is, `${path}.is`, issues);
  const isNot = str(o.isNot, `${path}.isNot`, issues);
  if (is !== '' && isNot !== '') {
    issues.push({
      path,
      message: 'cannot have both an `is` and an `isNot` expression in a single filter',
    });
    return [];
  }
  if (is === '' && isNot === '') {
    issues.push({ path, message: 'must have either an `is` or an `isNot` expression' });
    return [];
  }
  return [is !== '' ? { is } : { isNot }];
}

/** config.go shares ResourceMapping between all rule kinds, so `namespaced` is accepted everywhere. */
function decodeMapping(v: unknown, path: string, issues: ConfigIssue[]): ResourceMapping {
  const o = mapping(v, path, ['template', 'overrides', 'namespaced'], issues) ?? {};
  const overrides: Record<string, ResourceRef> = {};
  for (const [label, ref] of Object.entries(
    mapping(o.overrides, `${path}.overrides`, 'any', issues) ?? {},
  )) {
    const p = keyPath(`${path}.overrides`, label);
    const r = mapping(ref, p, ['group', 'resource'], issues) ?? {};
    overrides[label] = {
      group: str(r.group, `${p}.group`, issues),
      resource: str(r.resource, `${p}.resource`, issues),
    };
  }
  const out: ResourceMapping = { template: str(o.template, `${path}.template`, issues), overrides };
  const namespaced = bool(o.namespaced, `${path}.namespaced`, issues);
  if (namespaced !== undefined) out.namespaced = namespaced;
  return out;
}

function decodeReplacement(v: unknown, path: string, issues: ConfigIssue[]): LabelValueReplacement {
  const o = mapping(v, path, ['find', 'replace'], issues) ?? {};
  return {
    find: str(o.find, `${path}.find`, issues),
    replace: str(o.replace, `${path}.replace`, issues),
  };
}

function decodeResourceRules(v: unknown, issues: ConfigIssue[]): ResourceRules | undefined {
  const o = mapping(v, 'resourceRules', ['cpu', 'memory', 'window'], issues);
  if (!o) return undefined;
  let windowMs = 0;
  const window = str(o.window, 'resourceRules.window', issues);
  if (o.window !== undefined && o.window !== null) {
    const d = parsePrometheusDuration(window);
    if ('error' in d) issues.push({ path: 'resourceRules.window', message: d.error });
    else windowMs = d.ms;
  }
  return {
    cpu: decodeResourceRule(o.cpu, 'resourceRules.cpu', issues),
    memory: decodeResourceRule(o.memory, 'resourceRules.memory', issues),
    windowMs,
  };
}

function decodeResourceRule(v: unknown, path: string, issues: ConfigIssue[]): ResourceRule {
  const o =
    mapping(v, path, ['containerQuery', 'nodeQuery', 'resources', 'containerLabel'], issues) ?? {};
  return {
    containerQuery: str(o.containerQuery, `${path}.containerQuery`, issues),
    nodeQuery: str(o.nodeQuery, `${path}.nodeQuery`, issues),
    resources: decodeMapping(o.resources, `${path}.resources`, issues),
    containerLabel: str(o.containerLabel, `${path}.containerLabel`, issues),
  };
}
