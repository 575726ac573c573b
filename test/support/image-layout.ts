/**
 * The runtime image's file system without a container engine: a fake root whose WORKDIR holds
 * exactly what the Dockerfile's runtime stage copies (the built tree and the production
 * node_modules of this checkout, hard-linked), plus the chart's mounts; and an audit of every
 * file the process opens there, from strace. Paths are classified as shipped (under WORKDIR),
 * mounted (a Deployment volume), system (what any Node base image has) or foreign.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** `COPY --from=build <src> <dst>` lines of the runtime stage, and its WORKDIR. */
export interface RuntimeStage {
  workdir: string;
  copies: Array<{ src: string; dst: string }>;
}

export function runtimeStage(lines: readonly string[]): RuntimeStage {
  const workdir = lines.find((l) => l.startsWith('WORKDIR '))?.split(/\s+/)[1] ?? '/';
  const copies = lines
    .filter((l) => l.startsWith('COPY --from=build '))
    .map((l) => {
      const [, , src, dst] = l.split(/\s+/);
      return { src: src!, dst: resolve(workdir, dst!) };
    });
  return { workdir, copies };
}

/** Top-level packages of the production tree (`npm prune --omit=dev`), from the lock file. */
export function productionPackages(repoRoot: string): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev)
    .map(([path]) => path.slice('node_modules/'.length))
    .filter((name) => !name.includes('/node_modules/'));
}

function linkTree(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  // Hard links: the layout costs no space and opened paths stay inside the fake root.
  execFileSync('cp', ['-al', from, to]);
}

/**
 * Fills `root` as the runtime stage would: each build-stage path `/app/X` comes from this
 * checkout's `X` (built by `npm run build`), node_modules from its production packages only.
 */
export function buildLayout(root: string, stage: RuntimeStage, repoRoot: string): void {
  for (const { src, dst } of stage.copies) {
    const rel = src.replace(/^\/app\/?/, '');
    const target = join(root, dst);
    if (rel === 'node_modules') {
      mkdirSync(target, { recursive: true });
      for (const name of productionPackages(repoRoot))
        linkTree(join(repoRoot, 'node_modules', name), join(target, name));
    } else {
      linkTree(join(repoRoot, rel), target);
    }
  }
}

/** One file system call from strace. */
export interface FileAccess {
  call: string;
  path: string;
  write: boolean;
  ok: boolean;
}

const callPattern =
  /^(openat|mkdirat|open|creat|mkdir)\((?:(?:AT_FDCWD|-?\d+(?:<[^>]*>)?), )?"((?:[^"\\]|\\.)*)"(?:, ([A-Z_|0-9]+))?.*\) = (-?\d+)/;

/** Parses strace `-ff -o prefix` files (one per thread) into absolute-path accesses. */
export function readStrace(dir: string, prefix: string, cwd: string): FileAccess[] {
  const out: FileAccess[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`${prefix}.`))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const m = callPattern.exec(line);
      if (!m) continue;
      const [, call, raw, flags = '', result] = m;
      const path = isAbsolute(raw!) ? raw! : resolve(cwd, raw!);
      const write =
        call === 'creat' || call!.startsWith('mkdir') || /O_WRONLY|O_RDWR|O_CREAT/.test(flags);
      out.push({ call: call!, path, write, ok: Number(result) >= 0 });
    }
  }
  return out;
}
