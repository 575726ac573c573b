/**
 * From an issue's key path (`rules[0].metricsQuery`) to the line and column of that key in the YAML
 * text, and from a syntax error's offset back to the nearest key path, so every config issue names
 * both (the yaml library's node ranges and LineCounter). Paths are written as rules-decode.ts
 * writes them: `a.b`, `a[0]`, and `a["x.y"]` for keys that are not plain identifiers.
 * @module
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import type { ConfigIssue } from './issues.js';

type Segment = string | number;

/** A YAML text parsed with positions: the document, its source map and its syntax errors as issues. */
export interface LocatedDocument {
  doc: Document;
  /** Syntax errors (and duplicate keys), each at the nearest key path with its line and column. */
  syntaxIssues: ConfigIssue[];
  /** Line and column of the node at `path`, or of the deepest part of it that exists. */
  locate(path: string, at?: 'key' | 'value'): { line: number; column: number } | undefined;
}

/** Parses `text` keeping positions; duplicate keys are errors (yaml.v2 UnmarshalStrict). */
export function parseLocated(text: string): LocatedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxIssues = doc.errors.map((e) => ({
    path: formatPath(nearestPath(doc, e.pos[0])) || '(document)',
    message: `YAML syntax: ${e.message.split('\n')[0]!}`,
    ...at(e.pos[0]),
  }));
  return {
    doc,
    syntaxIssues,
    locate: (path, prefer = 'value') => {
      const segments = parsePath(path);
      if (segments === undefined) return undefined;
      const offset = offsetOf(doc, segments, prefer);
      return offset === undefined ? undefined : at(offset);
    },
  };
}

/**
 * The document as plain values; an alias bomb (yaml's alias limit) becomes an issue instead of a
 * throw.
 */
export function documentBody(located: LocatedDocument): { body: unknown } | { issue: ConfigIssue } {
  try {
    return { body: located.doc.toJS({ maxAliasCount: 100 }) ?? {} };
  } catch (err) {
    return { issue: { path: '(document)', message: (err as Error).message } };
  }
}

/** Adds line and column to every issue whose path `toDocPath` maps into the document. */
export function locateIssues(
  issues: readonly ConfigIssue[],
  located: Pick<LocatedDocument, 'locate'>,
  toDocPath: (issuePath: string) => string | undefined = (p) => p,
): ConfigIssue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const docPath = toDocPath(issue.path);
    // An unknown key is wrong as a key: point at it, not at its value.
    const prefer = issue.message.startsWith('unknown key') ? 'key' : 'value';
    const pos = docPath === undefined ? undefined : located.locate(docPath, prefer);
    return pos ? { ...issue, ...pos } : issue;
  });
}

/** `a.b[0]["x.y"]` to its segments; undefined when it is not a path (a flag such as `--v`). */
export function parsePath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  const token = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let rest = path;
  while (rest !== '') {
    const m = token.exec(rest);
    if (!m || (m[1] !== undefined && segments.length === 0 && rest.startsWith('.')))
      return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]!) as string);
    rest = rest.slice(m[0].length);
  }
  return segments;
}

export function formatPath(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * Offset of the node at `segments`: a scalar value where it starts (the offending text), a mapping
 * key where the key starts (the line a reader looks for), a list item where it starts. When the
 * path leaves the document, the deepest part that exists.
 */
function offsetOf(
  doc: Document,
  segments: readonly Segment[],
  prefer: 'key' | 'value',
): number | undefined {
  let node = resolve(doc, doc.contents);
  let offset = (node as Node | null)?.range?.[0];
  for (const seg of segments) {
    if (typeof seg === 'string' && isMap(node)) {
      const pair = node.items.find((p) => keyText(p) === seg);
      if (!pair) return offset;
      const value = resolve(doc, pair.value) as Node | null;
      const keyStart = (pair.key as Node | null)?.range?.[0];
      const atValue = prefer === 'value' && isScalar(value) && value.range && value.value !== null;
      offset = atValue ? value.range![0] : keyStart;
      node = value;
    } else if (typeof seg === 'number' && isSeq(node)) {
      const item = resolve(doc, node.items[seg]) as Node | undefined;
      if (!item?.range) return offset;
      offset = item.range[0];
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** The key path whose entry holds `offset`, or the last entry before it. */
function nearestPath(doc: Document, offset: number): Segment[] {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const before = node.items.filter((p) => ((p.key as Node | null)?.range?.[0] ?? 0) <= offset);
      const pair = before[before.length - 1];
      const key = pair && keyText(pair);
      if (!pair || key === undefined) return path;
      path.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findLastIndex((item) => ((item as Node).range?.[0] ?? 0) <= offset);
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
    const range = (node as Node | null)?.range;
    if (!range || offset > range[2]) return path;
  }
}
