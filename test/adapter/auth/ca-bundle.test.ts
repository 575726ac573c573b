import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicCABundle, parseCABundle, watchCAFile } from '../../../adapter/auth/index.js';
import { createLogger, realSleep, silentLogger } from '../../../src/observability/index.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

describe('DynamicCABundle', () => {
  it('should pass: listeners hear about new content only', () => {
    const bundle = new DynamicCABundle('client-ca');
    let calls = 0;
    const off = bundle.onChange(() => calls++);
    bundle.set(parseCABundle(pki.ca.certPem, 'a'));
    bundle.set(parseCABundle(pki.ca.certPem, 'b'));
    expect(calls).toBe(1);
    bundle.set(undefined);
    expect([calls, bundle.currentPem()]).toEqual([2, '']);
    off();
    bundle.set(parseCABundle(pki.frontProxyCa.certPem, 'c'));
    expect(calls).toBe(2);
  });
});

describe('watchCAFile', () => {
  it('should pass: a rewritten file is picked up; an invalid rewrite keeps the previous bundle', async () => {
    const file = join(pki.dir, 'watched-ca.crt');
    copyFileSync(pki.ca.certFile, file);
    const lines: string[] = [];
    const logger = createLogger({ stream: { write: (l: string) => lines.push(l) > 0 } });
    const watched = await watchCAFile('client-ca', file, {
      pollIntervalMs: 50,
      sleep: realSleep,
      logger,
    });
    try {
      expect(watched.bundle.current()?.certs[0]?.subject).toBe('CN=scaleplane-test-ca');
      writeFileSync(file, pki.frontProxyCa.certPem);
      for (
        let i = 0;
        i < 100 && !watched.bundle.currentPem().includes(pki.frontProxyCa.certPem.trim());
        i++
      )
        await new Promise((r) => setTimeout(r, 20));
      expect(watched.bundle.current()?.certs[0]?.subject).toBe('CN=front-proxy-ca');
      writeFileSync(file, 'garbage');
      for (let i = 0; i < 100 && !lines.some((l) => l.includes('CA bundle reload failed')); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(lines.some((l) => l.includes('CA bundle reload failed'))).toBe(true);
      expect(watched.bundle.current()?.certs[0]?.subject).toBe('CN=front-proxy-ca');
    } finally {
      watched.close();
      rmSync(file, { force: true });
    }
  });

  const fail = [
    {
      name: 'a missing file',
      file: () => join(pki.dir, 'nope.crt'),
      message: /cannot read client-ca file .*nope\.crt/,
    },
    {
      name: 'a file without certificates',
      file: () => pki.ca.keyFile,
      message: /ca\.key: no PEM certificates found/,
    },
  ];
  it.each(fail)('should fail: $name', async ({ file, message }) => {
    await expect(
      watchCAFile('client-ca', file(), {
        pollIntervalMs: 1000,
        sleep: realSleep,
        logger: silentLogger,
      }),
    ).rejects.toThrow(message);
  });
});
