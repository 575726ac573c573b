/**
 * What delegated auth costs per request. Micro: client-chain verification with and without the
 * per-connection memo. Macro: requests per second over TLS with keep-alive and a client
 * certificate, without the guard (baseline) and with it (x509 + cached SubjectAccessReview).
 */
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import express from 'express';
import {
  createDelegatingAuth,
  parseCABundle,
  verifyClientChain,
} from '../../adapter/auth/index.js';
import { verifyRequestChain } from '../../adapter/auth/verify.js';
import { createSecureServer } from '../../adapter/tls/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { fakeAuthRequest, FakeSubjectAccessReviewer } from '../support/auth.js';
import { createTestPki, type TestPki } from '../support/pki.js';

function perSecond(count: number, ms: number): string {
  return Math.round((count * 1000) / ms).toLocaleString('en-US');
}

function micro(pki: TestPki): Array<[string, number, number]> {
  const bundle = parseCABundle(pki.ca.certPem, 'ca');
  const chain = [new X509Certificate(pki.alice.certPem)];
  const n = 20_000;
  const now = Date.now();
  let t = performance.now();
  for (let i = 0; i < n; i++) verifyClientChain(chain, bundle, now);
  const uncachedMs = performance.now() - t;
  const req = fakeAuthRequest({ chain: [pki.alice.certPem], connection: {} });
  t = performance.now();
  for (let i = 0; i < n; i++) verifyRequestChain(req, bundle, now);
  const cachedMs = performance.now() - t;
  return [
    ['verify chain, every request', n, uncachedMs],
    ['verify chain, memo per connection', n, cachedMs],
  ];
}

async function load(
  url: string,
  pki: TestPki,
  total: number,
  concurrency: number,
): Promise<number> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: concurrency,
    ca: pki.ca.certPem,
    cert: pki.alice.certPem,
    key: pki.alice.keyPem,
  });
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      request(`${url}/apis/metrics.k8s.io/v1beta1/nodes`, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      })
        .on('error', reject)
        .end();
    });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < total) await one();
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t;
  agent.destroy();
  return ms;
}

async function macro(pki: TestPki, withGuard: boolean): Promise<number> {
  const auth = await createDelegatingAuth({
    clientCAFile: pki.ca.certFile,
    requestHeaderClientCAFile: pki.frontProxyCa.certFile,
    subjectAccessReviewer: new FakeSubjectAccessReviewer(),
    logger: silentLogger,
  });
  const app = express();
  if (withGuard) app.use(auth.guard);
  app.use((_req, res) => res.json({ kind: 'NodeMetricsList', items: [] }));
  const server = await createSecureServer(app, {
    certFile: pki.server.certFile,
    keyFile: pki.server.keyFile,
    clientCAs: auth.clientCAs,
    bindAddress: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  });
  await load(server.url(), pki, 500, 8);
  const ms = await load(server.url(), pki, 5_000, 8);
  auth.close();
  await server.close();
  return ms;
}

export default async function (): Promise<void> {
  const pki = await createTestPki();
  try {
    console.log('## auth: delegated authentication and authorization\n');
    console.log('| scenario | operations | total ms | per second | ratio |');
    console.log('|---|---:|---:|---:|---:|');
    const [uncached, cached] = micro(pki);
    for (const [name, n, ms] of [uncached!, cached!]) {
      console.log(
        `| ${name} | ${n} | ${ms.toFixed(1)} | ${perSecond(n, ms)} | ${(uncached![2] / ms).toFixed(1)}x |`,
      );
    }
    const baseMs = await macro(pki, false);
    const guardMs = await macro(pki, true);
    console.log(
      `| TLS keep-alive, no guard (baseline) | 5000 | ${baseMs.toFixed(0)} | ${perSecond(5000, baseMs)} | 1.00 |`,
    );
    console.log(
      `| TLS keep-alive, guard: x509 + cached SAR | 5000 | ${guardMs.toFixed(0)} | ${perSecond(5000, guardMs)} | ${(baseMs / guardMs).toFixed(2)} |`,
    );
    console.log('');
  } finally {
    pki.cleanup();
  }
}
