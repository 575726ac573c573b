import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run, type Command } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/cli/command.js';
import { fakeIo } from './fake-io.js';

/** A table of fake commands records what the dispatcher hands them. */
function table(calls: string[][]): Command[] {
  const command = (name: string, behaviour: (args: string[]) => number): Command => ({
    name,
    summary: `the ${name} command`,
    usage: `usage of ${name}\n`,
    run: (args) => {
      calls.push([name, ...args]);
      return Promise.resolve(behaviour(args));
    },
  });
  return [
    command('serve', () => 0),
    command('hpa evaluate', () => 0),
    command('hpa explain', () => 0),
    command('hpa fail', () => {
      throw new UsageError('bad input\nspanning lines');
    }),
    command('hpa crash', () => {
      throw new Error('boom');
    }),
  ];
}

describe('run (dispatcher)', () => {
  const cases = [
    {
      name: 'dispatches to a one-word command with its arguments',
      argv: ['serve', '--v', '2'],
      code: 0,
      call: ['serve', '--v', '2'],
    },
    {
      name: 'dispatches to a two-word command',
      argv: ['hpa', 'evaluate', 'x.json', '-o', 'text'],
      code: 0,
      call: ['hpa evaluate', 'x.json', '-o', 'text'],
    },
    {
      name: 'a usage error is one line on stderr and exit 2',
      argv: ['hpa', 'fail'],
      code: 2,
      err: 'error: hpa fail: bad input spanning lines\n',
    },
    {
      name: 'an unexpected error is exit 1',
      argv: ['hpa', 'crash'],
      code: 1,
      err: 'error: hpa crash: boom\n',
    },
    {
      name: 'no command',
      argv: [],
      code: 2,
      err: "error: no command given; run 'scaleplane --help'\n",
    },
    {
      name: 'an unknown command',
      argv: ['scale'],
      code: 2,
      err: "error: unknown command 'scale'; run 'scaleplane --help'\n",
    },
    {
      name: 'an unknown subcommand lists the group',
      argv: ['hpa', 'judge'],
      code: 2,
      err: "error: unknown command 'hpa judge'; try 'hpa evaluate', 'hpa explain', 'hpa fail', 'hpa crash'\n",
    },
    {
      name: 'an unknown option',
      argv: ['--frobnicate'],
      code: 2,
      err: "error: unknown option '--frobnicate'; run 'scaleplane --help'\n",
    },
  ];
  it.each(cases)('$name', async (c) => {
    const calls: string[][] = [];
    const io = fakeIo();
    expect(await run(c.argv, io, table(calls))).toBe(c.code);
    if (c.call !== undefined) expect(calls).toEqual([c.call]);
    expect(io.err).toBe(c.err ?? '');
  });

  it('--help lists every registered command', async () => {
    const io = fakeIo();
    expect(await run(['--help'], io, table([]))).toBe(0);
    expect(io.out).toContain('  hpa evaluate  the hpa evaluate command\n');
    expect(io.out).toContain('  serve         the serve command\n');
  });

  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const io = { ...fakeIo(), readFile: (p: string) => readFile(p, 'utf8') };
    let out = '';
    io.stdout = { write: (s: string) => (out += s) };
    expect(await run(['--version'], io)).toBe(0);
    expect(out).toBe(`${pkg.version}\n`);
  });

  it('registers hpa evaluate by default', async () => {
    const io = fakeIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out).toContain('hpa evaluate');
  });
});
