import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    // Creates the run's skip-record folder and prints every suite that did not run, with why.
    globalSetup: ['test/support/skip-report.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration tests start real servers on loopback; two workers match the machines' two cores.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: 'forks',
  },
});
