import { mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTokenSource } from '../../../scraper/kubelet/token.js';
import { FakeTime } from '../../support/fake-time.js';

describe('FileTokenSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = (text: string): string => {
    const file = join(dir, `token-${n++}`);
    writeFileSync(file, text);
    return file;
  };

  it('reads the token, trimming the trailing newline', async () => {
    const source = new FileTokenSource(fresh('abc\n'), { clock: new FakeTime() });
    expect(await source.token()).toBe('abc');
  });

  it('picks up a rotated token once the recheck interval has passed', async () => {
    const time = new FakeTime();
    const file = fresh('token-1');
    const source = new FileTokenSource(file, { clock: time, recheckMs: 1_000 });
    expect(await source.token()).toBe('token-1');
    // The kubelet rotates projected tokens by swapping in a new file.
    writeFileSync(`${file}.new`, 'token-2-longer');
    renameSync(`${file}.new`, file);
    expect(await source.token()).toBe('token-1');
    await time.advance(1_000);
    expect(await source.token()).toBe('token-2-longer');
  });

  it('notices a same-size rewrite through the mtime', async () => {
    const time = new FakeTime();
    const file = fresh('aaaa');
    const source = new FileTokenSource(file, { clock: time, recheckMs: 10 });
    expect(await source.token()).toBe('aaaa');
    writeFileSync(file, 'bbbb');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    await time.advance(10);
    expect(await source.token()).toBe('bbbb');
  });

  it('keeps the last good token while the file is briefly missing', async () => {
    const time = new FakeTime();
    const file = fresh('good');
    const source = new FileTokenSource(file, { clock: time, recheckMs: 10 });
    expect(await source.token()).toBe('good');
    unlinkSync(file);
    await time.advance(10);
    expect(await source.token()).toBe('good');
  });

  const failing = [
    { name: 'missing file', make: () => join(dir, 'absent') },
    { name: 'empty file', make: () => fresh('  \n') },
  ];
  it.each(failing)('rejects when no token was ever readable: $name', async ({ make }) => {
    const path = make();
    await expect(new FileTokenSource(path, { clock: new FakeTime() }).token()).rejects.toThrow(
      `cannot read kubelet token file ${path}`,
    );
  });

  it('concurrent callers share one read', async () => {
    const source = new FileTokenSource(fresh('shared'), { clock: new FakeTime() });
    expect(await Promise.all([source.token(), source.token(), source.token()])).toEqual([
      'shared',
      'shared',
      'shared',
    ]);
  });
});
