/**
 * The database backends the API suite runs against: always the embedded PGlite+PostGIS, and a real
 * PostgreSQL/PostGIS too when TEST_DATABASE_URL is set (CI sets it).
 */
export type Backend = 'pglite' | 'postgres';

export const TEST_PASSWORD = 'test-password-1';
export const TEST_USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'designer1', role: 'designator' },
  { username: 'designer2', role: 'designator' },
  { username: 'coord1', role: 'coordinator' },
] as const;

/**
 * Each test run keeps its databases apart from any other run on the machine: the global setup
 * picks a run id and every worker inherits it through the environment.
 */
export const RUN_ID = (process.env.RISK_TEST_RUN_ID ??= `${process.pid}${Date.now() % 100000}`);
export const RUN_DIR = `.data-test/run-${RUN_ID}`;
export const TEMPLATE_DIR = `${RUN_DIR}/template`;
export const TEMPLATE_DB = `risk_zones_test_${RUN_ID}_template`;
export const DB_PREFIX = `risk_zones_test_${RUN_ID}_`;

export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** The URL of another database on the same PostgreSQL server as TEST_DATABASE_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
