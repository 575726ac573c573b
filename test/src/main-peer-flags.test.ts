/**
 * A peer Deployment's args start `scaleplane serve` (embedded cluster, loopback only): the start
 * log carries exactly one warning naming the ignored flags, and --shutdown-delay-duration makes
 * /readyz fail while the server still answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssues, parseServeConfig } from '../../src/config/index.js';
import { startServe } from '../../src/main.js';

const dir = mkdtempSync(join(tmpdir(), 'scaleplane-peer-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end();
  });
}

const deployments = [
  {
    name: 'prometheus-adapter chart args',
    args: [
      '/adapter',
      '--secure-port=6443',
      '--cert-dir=/tmp/cert',
      '--logtostderr=true',
      '--metrics-relist-interval=1m',
      '--v=4',
    ],
    ignored: ['--logtostderr'],
  },
  {
    name: 'metrics-server args with klog and apiserver flags',
    args: [
      '--cert-dir=/tmp',
      '--secure-port=10250',
      '--kubelet-use-node-status-port',
      '--metric-resolution=15s',
      '--profiling=false',
      '--vmodule=*=2',
      '--permit-port-sharing',
    ],
    ignored: ['--profiling', '--vmodule', '--permit-port-sharing'],
  },
];

describe('serve with peer Deployment args', () => {
  it.each(deployments)(
    '$name: starts, one warning naming the ignored flags',
    async (d) => {
      // The ports and cert dir of the manifest are replaced (later flags win) to stay on loopback.
      const argv = [
        ...d.args,
        '--embedded',
        '--secure-port=0',
        '--bind-address=127.0.0.1',
        `--cert-dir=${join(dir, d.name.length.toString())}`,
        '--shutdown-delay-duration=1s',
      ];
      const parsed = parseServeConfig(argv, () => '');
      if (parsed.issues) throw new Error(formatIssues(parsed.issues));
      let log = '';
      const running = await startServe(parsed.config, {
        env: {},
        stdout: { write: () => true },
        logStream: { write: (s: string) => ((log += s), true) },
      });
      try {
        const lines = log
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { level: string; msg: string; flags?: string[] });
        const warnings = lines.filter((l) => l.msg.includes('accepted without effect'));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({ level: 'warn', flags: d.ignored });
        expect(await status(`${running.url}/livez`)).toBe(200);
        const readyBy = Date.now() + 15_000;
        while ((await status(`${running.url}/readyz`)) !== 200 && Date.now() < readyBy)
          await new Promise((r) => setTimeout(r, 200));
        expect(await status(`${running.url}/readyz`)).toBe(200);
        const delay = running.beginShutdown();
        expect(await status(`${running.url}/readyz`)).toBe(500);
        expect(await status(`${running.url}/livez`)).toBe(200);
        await delay;
      } finally {
        await running.stop();
      }
    },
    30_000,
  );
});
