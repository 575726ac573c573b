import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedSecretFile } from '../../../scraper/prometheus/credentials.js';
import { FakeTime } from '../../support/fake-time.js';

const dir = mkdtempSync(join(tmpdir(), 'scaleplane-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CachedSecretFile', () => {
  it('re-reads a rotated file only after the recheck interval', async () => {
    const time = new FakeTime();
    const path = join(dir, 'token-a');
    writeFileSync(path, 'one\n');
    const f = new CachedSecretFile(path, 'token', time, 1000);
    expect(await f.read()).toBe('one');
    writeFileSync(path, 'two-rotated');
    expect(await f.read()).toBe('one');
    await time.advance(1000);
    expect(await f.read()).toBe('two-rotated');
  });

  it('keeps the last good value through a rotation caught mid-write', async () => {
    const time = new FakeTime();
    const path = join(dir, 'token-b');
    writeFileSync(path, 'good');
    const f = new CachedSecretFile(path, 'token', time, 0);
    expect(await f.read()).toBe('good');
    rmSync(path);
    expect(await f.read()).toBe('good');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('fails with reason credentials when the file is %s', async (_name, content) => {
    const path = join(dir, `secret-${_name}`);
    if (content !== undefined) writeFileSync(path, content);
    await expect(
      new CachedSecretFile(path, '--prometheus-token-file', new FakeTime()).read(),
    ).rejects.toMatchObject({
      reason: 'credentials',
      message: expect.stringContaining('--prometheus-token-file'),
    });
  });
});
