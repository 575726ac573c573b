import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  StaticTargets,
  parseStaticNodes,
  readStaticNodesFile,
} from '../../../scraper/kubelet/static-nodes.js';

describe('parseStaticNodes: should pass', () => {
  const cases = [
    {
      name: 'YAML map; the source path is appended to a bare URL',
      text: 'node-a: https://127.0.0.1:10250\nnode-b: http://127.0.0.1:8080/nodes/node-b/metrics/resource\n',
      source: 'resource' as const,
      urls: {
        'node-a': 'https://127.0.0.1:10250/metrics/resource',
        'node-b': 'http://127.0.0.1:8080/nodes/node-b/metrics/resource',
      },
    },
    {
      name: 'JSON map with the summary source',
      text: '{"node-a": "https://127.0.0.1:10250/", "ip-10-0-0-1.ec2.internal": "https://127.0.0.1:10251"}',
      source: 'summary' as const,
      urls: {
        'node-a': 'https://127.0.0.1:10250/stats/summary',
        'ip-10-0-0-1.ec2.internal': 'https://127.0.0.1:10251/stats/summary',
      },
    },
    {
      name: 'query string kept',
      text: 'n: http://127.0.0.1:1/m?x=1',
      source: 'resource' as const,
      urls: { n: 'http://127.0.0.1:1/m?x=1' },
    },
  ];
  it.each(cases)('$name', ({ text, source, urls }) => {
    const parsed = parseStaticNodes(text, source);
    expect(parsed.issues).toBeUndefined();
    expect(Object.fromEntries(parsed.targets!.map((t) => [t.nodeName, t.url]))).toEqual(urls);
    expect(parsed.targets!.every((t) => t.ready)).toBe(true);
  });
});

describe('parseStaticNodes: should fail', () => {
  const cases = [
    {
      name: 'a list, not a map',
      text: '- https://127.0.0.1:1\n',
      issues: [{ path: '', message: 'must be a map of node name to kubelet URL' }],
    },
    {
      name: 'empty file',
      text: '',
      issues: [{ path: '', message: 'must be a map of node name to kubelet URL' }],
    },
    { name: 'empty map', text: '{}', issues: [{ path: '', message: 'names no node' }] },
    {
      name: 'value not a string',
      text: 'node-a: 42\n',
      issues: [{ path: 'node-a', message: 'must be a URL string, not number' }],
    },
    {
      name: 'null value',
      text: 'node-a:\n',
      issues: [{ path: 'node-a', message: 'must be a URL string, not null' }],
    },
    {
      name: 'not a URL',
      text: 'node-a: nowhere\n',
      issues: [{ path: 'node-a', message: '"nowhere" is not a URL' }],
    },
    {
      name: 'wrong scheme',
      text: 'node-a: ftp://127.0.0.1/\n',
      issues: [{ path: 'node-a', message: 'scheme must be https or http, not ftp' }],
    },
    {
      name: 'credentials in the URL',
      text: 'node-a: https://u:p@127.0.0.1/\n',
      issues: [{ path: 'node-a', message: 'must not carry credentials; use --kubelet-token-file' }],
    },
    {
      name: 'bad node name, quoted path',
      text: '"Node_A.x": https://127.0.0.1:1\n',
      issues: [
        {
          path: '["Node_A.x"]',
          message: 'node name must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", ".")',
        },
      ],
    },
    {
      name: 'every bad entry reported',
      text: 'a: 1\nb: https://127.0.0.1:1\nc: ftp://x/\n',
      issues: [
        { path: 'a', message: 'must be a URL string, not number' },
        { path: 'c', message: 'scheme must be https or http, not ftp' },
      ],
    },
  ];
  it.each(cases)('$name', ({ text, issues }) => {
    expect(parseStaticNodes(text, 'resource')).toEqual({ issues });
  });

  it('duplicate keys are a YAML error', () => {
    const parsed = parseStaticNodes('a: http://127.0.0.1:1\na: http://127.0.0.1:2\n', 'resource');
    expect(parsed.issues?.[0]?.message).toMatch(/unique/i);
  });
  it('malformed YAML is an error, not a partial list', () => {
    const parsed = parseStaticNodes('a: [unclosed\n', 'resource');
    expect(parsed.targets).toBeUndefined();
    expect(parsed.issues!.length).toBeGreaterThan(0);
  });
});

describe('readStaticNodesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-static-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and parses a file', async () => {
    const file = join(dir, 'nodes.yaml');
    writeFileSync(file, 'n1: http://127.0.0.1:9/\n');
    const parsed = await readStaticNodesFile(file, 'resource');
    expect(new StaticTargets(parsed.targets!).targets()).toEqual([
      { nodeName: 'n1', url: 'http://127.0.0.1:9/metrics/resource', ready: true },
    ]);
  });
  it('a missing file is one issue naming the flag', async () => {
    const parsed = await readStaticNodesFile(join(dir, 'absent.yaml'), 'resource');
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues![0]!.path).toBe('--kubelet-static-nodes');
    expect(parsed.issues![0]!.message).toContain('absent.yaml');
  });
});
