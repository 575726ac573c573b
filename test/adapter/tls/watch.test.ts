import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { contentHash, watchFiles, type FileWatch } from '../../../adapter/tls/index.js';
import { realSleep, silentLogger } from '../../../src/observability/index.js';

const dir = mkdtempSync(join(tmpdir(), 'scaleplane-watch-'));
const watches: FileWatch[] = [];
afterEach(() => watches.splice(0).forEach((w) => w.close()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(
  files: string[],
  pollIntervalMs = 60_000,
  initial?: Buffer[],
): { seen: string[][]; watch: FileWatch } {
  const seen: string[][] = [];
  const watch = watchFiles({
    files,
    pollIntervalMs,
    sleep: realSleep,
    logger: silentLogger,
    ...(initial ? { initialHash: contentHash(initial) } : {}),
    onChange: (contents) => seen.push(contents.map((c) => c.toString())),
  });
  watches.push(watch);
  return { seen, watch };
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('watchFiles: should pass', () => {
  it('reports new content after a write, without an explicit check', async () => {
    const f = join(dir, 'a.pem');
    writeFileSync(f, 'one');
    const { seen } = start([f], 60_000, [Buffer.from('one')]);
    writeFileSync(f, 'two');
    await eventually(() => seen.length > 0);
    expect(seen).toEqual([['two']]);
  });

  it('polling alone notices a change', async () => {
    const sub = join(dir, 'poll');
    const f = join(sub, 'b.pem');
    const { seen } = start([f], 30);
    // The folder appears only after the watch started, so no directory watch can see it.
    await new Promise((r) => setTimeout(r, 50));
    mkdirSync(sub, { recursive: true });
    writeFileSync(f, 'late');
    await eventually(() => seen.length > 0);
    expect(seen).toEqual([['late']]);
  });

  it('rewriting identical content reports nothing', async () => {
    const f = join(dir, 'c.pem');
    writeFileSync(f, 'same');
    const { seen, watch } = start([f], 60_000, [Buffer.from('same')]);
    writeFileSync(f, 'same');
    await watch.check();
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
  });

  it('reports both files of a pair together', async () => {
    const cert = join(dir, 'd.crt');
    const key = join(dir, 'd.key');
    writeFileSync(cert, 'c1');
    writeFileSync(key, 'k1');
    const { seen, watch } = start([cert, key], 60_000, [Buffer.from('c1'), Buffer.from('k1')]);
    writeFileSync(cert, 'c2');
    writeFileSync(key, 'k2');
    await watch.check();
    await eventually(() => seen.at(-1)?.join() === 'c2,k2');
    expect(seen.at(-1)).toEqual(['c2', 'k2']);
  });
});

describe('watchFiles: should fail', () => {
  it('an unreadable file reports nothing until it is readable', async () => {
    const f = join(dir, 'missing.pem');
    const { seen, watch } = start([f]);
    await watch.check();
    expect(seen).toEqual([]);
  });

  it('after close nothing is reported', async () => {
    const f = join(dir, 'e.pem');
    writeFileSync(f, 'one');
    const { seen, watch } = start([f], 20, [Buffer.from('one')]);
    watch.close();
    writeFileSync(f, 'two');
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([]);
  });
});
