/**
 * The one memoised getter for the pinned upstream tools that test/tools/build-tools.sh builds from
 * the Go module proxy (helm, prometheus, the end-to-end control plane and peers).
 *
 * The first call per test process for a tool runs the script, which is a no-op taking milliseconds
 * once the binary is cached outside the repository and minutes on a cold machine; the script
 * serialises parallel callers (several vitest workers, a background CI build) with one flock per
 * tool, so a caller that arrives during a build waits for it instead of building again.
 * @module
 */
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './fixtures.js';

const execFileAsync = promisify(execFile);

/** The script that builds pinned upstream tools into ${SCALEPLANE_TOOLS_DIR:-~/.cache/scaleplane-tools}. */
export const buildToolsScript = join(repoRoot, 'test', 'tools', 'build-tools.sh');

/**
 * Budget for a cold build of one tool (download and compile on a busy 2-core machine; Prometheus,
 * the largest `npm test` needs, takes several minutes): use it in the timeout of the hook that
 * first asks for the tool.
 */
export const TOOL_BUILD_TIMEOUT_MS = 30 * 60_000;

const toolPaths = new Map<string, Promise<string[]>>();

/**
 * Builds (once per process) and returns the absolute path of a pinned tool's binary: `binary` of
 * the tool's binaries (prometheus also builds promtool), else the last path the script prints for
 * it (the tool's own binary for every single-binary tool).
 */
export async function buildTool(tool: string, binary?: string): Promise<string> {
  let paths = toolPaths.get(tool);
  if (!paths) {
    paths = execFileAsync(buildToolsScript, [tool], {
      timeout: TOOL_BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout }) => stdout.trim().split('\n').filter(Boolean),
      (err: Error & { stderr?: string }) => {
        // A failed build is not cached: the next caller tries again.
        toolPaths.delete(tool);
        throw new Error(
          `building the pinned ${tool} with ${buildToolsScript} failed (Go at /usr/local/go/bin or on PATH, and the Go module proxy, are needed once): ${err.message}\n${(err.stderr ?? '').slice(-3000)}`,
          { cause: err },
        );
      },
    );
    toolPaths.set(tool, paths);
  }
  const all = await paths;
  const path = binary ? all.find((p) => basename(p) === binary) : all.at(-1);
  if (!path) throw new Error(`build-tools.sh ${tool} printed no ${binary ?? 'binary'} path`);
  return path;
}
