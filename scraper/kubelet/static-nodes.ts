/**
 * `--kubelet-static-nodes FILE`: a YAML or JSON map of node name to kubelet URL, for scraping
 * without a cluster (simulated kubelets, the embedded demo, a fixed fleet). Parsed purely with
 * every issue reported by field path (design habit 11); reading the file is a separate function.
 * @example
 * ```yaml
 * node-a: https://10.0.0.1:10250            # the source's path is appended
 * node-b: http://127.0.0.1:8080/nodes/node-b/metrics/resource
 * ```
 * @module
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ConfigIssue } from '../../src/config/index.js';
import { sourcePath } from './address.js';
import type { KubeletSourceKind } from './options.js';
import type { KubeletTarget, ScrapeTargets } from './targets.js';

export type StaticNodesResult =
  { targets: KubeletTarget[]; issues?: undefined } | { targets?: undefined; issues: ConfigIssue[] };

/** Node names are DNS-1123 subdomains (apimachinery validation.IsDNS1123Subdomain). */
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `node-a` stays as is; keys that are not plain words are quoted: `["ip-10-0-0-1.ec2.internal"]`. */
function keyPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
}

/** Parses the file's text; `source` picks the path appended to URLs that name none. */
export function parseStaticNodes(text: string, source: KubeletSourceKind): StaticNodesResult {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0)
    return { issues: doc.errors.map((e) => ({ path: '', message: e.message })) };
  const root: unknown = doc.toJS();
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { issues: [{ path: '', message: 'must be a map of node name to kubelet URL' }] };
  }
  const entries = Object.entries(root as Record<string, unknown>);
  if (entries.length === 0) return { issues: [{ path: '', message: 'names no node' }] };
  const issues: ConfigIssue[] = [];
  const targets: KubeletTarget[] = [];
  for (const [name, value] of entries) {
    const path = keyPath(name);
    if (name.length > 253 || !dns1123Subdomain.test(name)) {
      issues.push({
        path,
        message: 'node name must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", ".")',
      });
    }
    const url = parseNodeUrl(value, source, path, issues);
    if (url !== undefined) targets.push({ nodeName: name, url, ready: true });
  }
  return issues.length > 0 ? { issues } : { targets };
}

function parseNodeUrl(
  value: unknown,
  source: KubeletSourceKind,
  path: string,
  issues: ConfigIssue[],
): string | undefined {
  if (typeof value !== 'string') {
    issues.push({
      path,
      message: `must be a URL string, not ${value === null ? 'null' : typeof value}`,
    });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path, message: `${JSON.stringify(value)} is not a URL` });
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    issues.push({
      path,
      message: `scheme must be https or http, not ${url.protocol.replace(':', '')}`,
    });
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    // A URL is logged with every failure; credentials go in --kubelet-token-file instead.
    issues.push({ path, message: 'must not carry credentials; use --kubelet-token-file' });
    return undefined;
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = sourcePath(source);
  return url.toString();
}

/** Reads and parses the file; an unreadable file is one issue at the root. */
export async function readStaticNodesFile(
  path: string,
  source: KubeletSourceKind,
  readFile: (p: string) => Promise<Buffer> = fsReadFile,
): Promise<StaticNodesResult> {
  let text: string;
  try {
    text = (await readFile(path)).toString('utf8');
  } catch (err) {
    return {
      issues: [
        {
          path: '--kubelet-static-nodes',
          message: `cannot read ${path}: ${(err as Error).message}`,
        },
      ],
    };
  }
  return parseStaticNodes(text, source);
}

/** A fixed list of targets. */
export class StaticTargets implements ScrapeTargets {
  private readonly list: readonly KubeletTarget[];

  constructor(targets: readonly KubeletTarget[]) {
    this.list = [...targets];
  }

  targets(): readonly KubeletTarget[] {
    return this.list;
  }
}
