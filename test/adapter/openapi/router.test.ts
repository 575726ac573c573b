import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDoc, OpenApiV3DiscoveryDoc } from '../docs.js';
import { json, startApp, type Running } from '../serve.js';

let app: Running;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

/** Every `$ref` in `doc` resolves inside it. */
function danglingRefs(doc: unknown, prefix: string, table: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') {
          const name = String(x).slice(prefix.length);
          if (!String(x).startsWith(prefix) || !(name in table)) out.push(String(x));
        } else visit(x);
      }
    }
  };
  visit(doc);
  return out;
}

describe('OpenAPI v2: should pass', () => {
  it('is a Swagger 2.0 document with every served path and no dangling reference', async () => {
    const res = await app.get('/openapi/v2');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"[0-9A-F]{128}"$/);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.swagger).toBe('2.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/apis/metrics.k8s.io/v1beta1/nodes',
        '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}',
        '/apis/custom.metrics.k8s.io/v1beta1/namespaces/{namespace}/{resource}/{name}/{subresource}',
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/{namespace}/metrics/{name}',
        '/apis/external.metrics.k8s.io/v1beta1/namespaces/{namespace}/{resource}',
      ]),
    );
    expect(danglingRefs(doc, '#/definitions/', doc.definitions)).toEqual([]);
    const ids = Object.values(doc.paths).map((p) => p.get.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      doc.definitions?.['io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics']?.[
        'x-kubernetes-group-version-kind'
      ],
    ).toEqual([{ group: 'metrics.k8s.io', kind: 'NodeMetrics', version: 'v1beta1' }]);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await app.get('/openapi/v2')).headers.get('etag')!;
    const res = await app.get('/openapi/v2', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
  });
});

describe('OpenAPI v3: should pass', () => {
  it('the discovery document names one hashed URL per group version', async () => {
    const { code, body } = await json<OpenApiV3DiscoveryDoc>(await app.get('/openapi/v3'));
    expect(code).toBe(200);
    expect(Object.keys(body.paths).sort()).toEqual([
      'apis/custom.metrics.k8s.io/v1beta1',
      'apis/custom.metrics.k8s.io/v1beta2',
      'apis/external.metrics.k8s.io/v1beta1',
      'apis/metrics.k8s.io/v1beta1',
    ]);
    expect(body.paths['apis/metrics.k8s.io/v1beta1']?.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/metrics\.k8s\.io\/v1beta1\?hash=[0-9A-F]{128}$/,
    );
  });

  const gvs = [
    'apis/metrics.k8s.io/v1beta1',
    'apis/custom.metrics.k8s.io/v1beta1',
    'apis/custom.metrics.k8s.io/v1beta2',
    'apis/external.metrics.k8s.io/v1beta1',
  ];
  it.each(gvs)('%s: the hashed URL is immutable and self-contained', async (gv) => {
    const discovery = (await (await app.get('/openapi/v3')).json()) as OpenApiV3DiscoveryDoc;
    const res = await app.get(discovery.paths[gv]!.serverRelativeURL);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, immutable');
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.0.0');
    expect(Object.keys(doc.paths).every((p) => p.startsWith(`/${gv}/`))).toBe(true);
    expect(danglingRefs(doc, '#/components/schemas/', doc.components?.schemas)).toEqual([]);
  });
});

describe('OpenAPI: should fail', () => {
  it('a stale hash redirects to the current one', async () => {
    const res = await app.get('/openapi/v3/apis/metrics.k8s.io/v1beta1?hash=OLD', {
      redirect: 'manual',
    });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toMatch(
      /^\/openapi\/v3\/apis\/metrics\.k8s\.io\/v1beta1\?hash=[0-9A-F]{128}$/,
    );
  });

  it('an unknown group version is 404', async () => {
    const res = await app.get('/openapi/v3/apis/apps/v1');
    expect(res.status).toBe(404);
  });

  it('protobuf only is 406', async () => {
    const res = await app.get('/openapi/v2', {
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(res.status).toBe(406);
  });
});
