/**
 * Suites that need something a bare machine may lack (a PostgreSQL server, Chromium, pgRouting)
 * declare it here, with the reason printed when they are skipped: the run's summary
 * (tests/helpers/skip-reporter.ts) names every skipped test and why, so nothing is skipped silently.
 */
import type { SuiteOptions } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why this suite is skipped on this machine (read by the skip reporter). */
    skipReason?: string;
  }
}

/** Options for `describe(name, options, fn)`: skipped, with its reason, unless `available`. */
export function requires(available: boolean, reason: string): SuiteOptions {
  return available ? {} : { skip: true, meta: { skipReason: reason } };
}

/** True when the CI environment variable says this is a CI run. */
export const inCi = Boolean(process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0');

/** Suites that run only against the real PostgreSQL (TEST_DATABASE_URL). */
export const needsPostgres = requires(
  Boolean(process.env.TEST_DATABASE_URL),
  'needs a real PostgreSQL with PostGIS: set TEST_DATABASE_URL=postgres://… (.ci/run does)',
);
