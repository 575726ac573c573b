import { defineConfig } from 'vitest/config';

// End-to-end suite (`npm run test:e2e`): real control planes built from the Go module proxy
// (test/tools/build-tools.sh), started and stopped by the tests on loopback. One file at a time:
// a cluster takes most of the machine's two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 180_000,
    // beforeAll may build the pinned binaries on a cold machine; the npm script builds them first.
    hookTimeout: 60 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
  },
});
