import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['contract/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts', 'geodata/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Each API test file starts its own server on its own copy of the database; two at a time
    // fits this machine's two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // expect.poll gives up after 1 s by default; a page under two busy test workers can take longer
    // to fetch and draw its first data, and a slow answer is measured by the bench, not here.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    hookTimeout: 180_000,
    // The second reporter ends the run with every skipped test and why it was skipped.
    reporters: ['default', './tests/helpers/skip-reporter.ts'],
  },
});
