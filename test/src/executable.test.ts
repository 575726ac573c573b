/**
 * The built executable, as users and CI run it: `node dist/src/main.js hpa evaluate <file>`
 * over every shared scenario, plus the exit-2 contract. `npm test` builds first (pretest).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hpaScenarioDir, repoRoot } from '../support/fixtures.js';

const bin = join(repoRoot, 'dist', 'src', 'main.js');

/**
 * Runs the CLI as a child process without blocking the worker (no spawnSync): a vitest fork whose
 * event loop is blocked cannot read the main process's answers to its RPC calls, which vitest 3
 * fails after 60 s ("Timeout calling onTaskUpdate") on a saturated machine.
 */
function cli(
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

interface Expectation {
  desiredReplicas: number;
  conditions?: Record<string, string>;
}

const scenarios = readdirSync(hpaScenarioDir())
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    expect: (
      JSON.parse(readFileSync(join(hpaScenarioDir(), file), 'utf8')) as { expect: Expectation }
    ).expect,
  }));

describe('scaleplane (built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(bin))
      throw new Error(`${bin} is missing: run \`npm run build\` (npm test does it in pretest)`);
  });

  it('finds the shared scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
  });

  it.each(scenarios)('hpa evaluate $file', async ({ file, expect: expected }) => {
    const r = await cli(['hpa', 'evaluate', join(hpaScenarioDir(), file)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const decision = JSON.parse(r.stdout) as {
      desiredReplicas: number;
      conditions: { type: string; reason: string }[];
    };
    expect(decision.desiredReplicas).toBe(expected.desiredReplicas);
    for (const [type, reason] of Object.entries(expected.conditions ?? {})) {
      expect(decision.conditions.find((c) => c.type === type)?.reason, type).toBe(reason);
    }
  });

  it('reads the scenario from standard input with -', async () => {
    const text = readFileSync(join(hpaScenarioDir(), scenarios[0]!.file), 'utf8');
    const r = await cli(['hpa', 'evaluate', '-o', 'text', '-'], text);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^desired replicas: \d+ /);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  describe('malformed input: exit 2, one line on stderr naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scaleplane-cli-'));
    const valid = JSON.parse(readFileSync(join(hpaScenarioDir(), scenarios[0]!.file), 'utf8')) as {
      hpa: { spec: Record<string, unknown> };
      scale: Record<string, unknown>;
    };
    const write = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const cases = [
      {
        name: 'maxReplicas 0',
        args: () => [
          write(
            'max.json',
            JSON.stringify({
              ...valid,
              hpa: { ...valid.hpa, spec: { ...valid.hpa.spec, maxReplicas: 0 } },
            }),
          ),
        ],
        line: /hpa\.spec\.maxReplicas: must be >= 1$/,
      },
      {
        name: 'scale without a selector',
        args: () => [
          write(
            'sel.json',
            JSON.stringify({ ...valid, scale: { specReplicas: 1, statusReplicas: 1 } }),
          ),
        ],
        line: /scale\.selector: is required$/,
      },
      { name: 'bad JSON', args: () => [write('bad.json', '{')], line: /bad\.json: invalid JSON: / },
      {
        name: 'missing file',
        args: () => [join(dir, 'absent.json')],
        line: /absent\.json: cannot read: /,
      },
      { name: 'unknown flag', args: () => ['--wat', 'x.json'], line: /Unknown option '--wat'$/ },
    ];
    it.each(cases)('$name', async (c) => {
      const r = await cli(['hpa', 'evaluate', ...c.args()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(c.line);
    });
  });
});
