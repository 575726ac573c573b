/**
 * Chart metadata and documentation stay in step with the code: versions, the README's value table,
 * the schema's coverage of values.yaml, and the post-install NOTES.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import {
  chartDir,
  ensureHelm,
  getObject,
  helmTemplate,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  description?: string;
}

const read = (file: string) => readFileSync(join(chartDir, file), 'utf8');
const schema = JSON.parse(read('values.schema.json')) as SchemaNode;
const values = parse(read('values.yaml')) as Record<string, unknown>;

/** Dotted paths of documented values: objects the schema describes field by field are walked. */
function leafPaths(node: Record<string, unknown>, nodeSchema: SchemaNode, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const child = nodeSchema.properties?.[key] ?? {};
    const isWalked =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0 &&
      child.properties;
    return isWalked
      ? leafPaths(value as Record<string, unknown>, child, `${prefix}${key}.`)
      : [`${prefix}${key}`];
  });
}

describe('Chart.yaml', () => {
  it('versions follow package.json', () => {
    const chart = parse(read('Chart.yaml')) as {
      apiVersion: string;
      version: string;
      appVersion: string;
    };
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(chart).toMatchObject({
      apiVersion: 'v2',
      version: pkg.version,
      appVersion: pkg.version,
    });
  });
});

describe('values documentation', () => {
  it("the schema declares exactly the keys of values.yaml (plus global and the peer charts' keys)", () => {
    // Keys only the prometheus-adapter or metrics-server chart has are accepted and mapped
    // (templates/_peer-values.tpl); their schema description names the chart they come from.
    const peerOnly = (k: string): boolean =>
      /^(prometheus-adapter|metrics-server) chart: /.test(schema.properties![k]?.description ?? '');
    expect(
      Object.keys(schema.properties!)
        .filter((k) => k !== 'global' && !peerOnly(k))
        .sort(),
    ).toEqual(Object.keys(values).sort());
  });

  it('the README table has one row per value, in values.yaml order', () => {
    const valuesSection = read('README.md').split('\n## Values\n')[1] ?? '';
    const rows = [...valuesSection.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]);
    expect(rows).toEqual(leafPaths(values, schema));
  });
});

describe('NOTES.txt', () => {
  // helm renders NOTES only on install/upgrade, which needs a cluster; a probe template in a copy of
  // the chart includes it by name so `helm template` can render it.
  let probeChart = '';
  beforeAll(async () => {
    await ensureHelm();
    probeChart = mkdtempSync(join(tmpdir(), 'scaleplane-notes-'));
    cpSync(chartDir, probeChart, { recursive: true });
    writeFileSync(
      join(probeChart, 'templates', 'zz-notes-probe.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-probe\ndata:\n  notes: {{ include "scaleplane/templates/NOTES.txt" . | quote }}\n',
    );
  }, TOOL_BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(probeChart, { recursive: true, force: true }));

  const notes = async (valuesFiles: string[]) => {
    const objects = await helmTemplate({
      chart: probeChart,
      valuesFiles: valuesFiles.map((f) => join(chartDir, f)),
      extraArgs: ['--show-only', 'templates/zz-notes-probe.yaml'],
    });
    return getObject<{ data: { notes: string } }>(objects, 'ConfigMap', 'notes-probe').data.notes;
  };

  const cases = [
    {
      name: 'all APIs',
      files: ['ci/all-apis.yaml'],
      present: [
        'kubectl get apiservices v1beta1.metrics.k8s.io v1beta1.custom.metrics.k8s.io v1beta2.custom.metrics.k8s.io v1beta1.external.metrics.k8s.io',
        'kubectl top nodes',
        'kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes',
        'kubectl get --raw /apis/custom.metrics.k8s.io/v1beta2',
        'kubectl get --raw /apis/external.metrics.k8s.io/v1beta1',
        "curl -sk 'https://127.0.0.1:8443/readyz?verbose'",
      ],
      absent: ['prometheus.url is empty', 'skip certificate verification'],
    },
    {
      name: 'self-signed without Prometheus',
      files: ['ci/insecure.yaml'],
      present: ['prometheus.url is empty', 'skip certificate verification', 'kubectl top nodes'],
      absent: [],
    },
    {
      name: 'custom and external only',
      files: ['ci/custom-external-only.yaml'],
      present: [
        'kubectl get apiservices v1beta1.custom.metrics.k8s.io v1beta2.custom.metrics.k8s.io v1beta1.external.metrics.k8s.io\n',
      ],
      absent: ['kubectl top', 'metrics.k8s.io/v1beta1/nodes'],
    },
  ];

  it.each(cases)('$name', async ({ files, present, absent }) => {
    const text = await notes(files);
    for (const line of present) expect(text).toContain(line);
    for (const line of absent) expect(text).not.toContain(line);
  });
});
