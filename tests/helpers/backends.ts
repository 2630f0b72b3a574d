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

/**
 * The embedded PGlite always, PostgreSQL too when TEST_DATABASE_URL is set; `TEST_BACKENDS`
 * (`pglite`, `postgres`, or both, comma-separated) narrows that, so that CI can run each backend
 * in the pass where it counts (.ci/run: PostgreSQL at the real time, PGlite in the late-UTC pass).
 */
export function backends(): Backend[] {
  const available: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  const asked = process.env.TEST_BACKENDS?.split(',').map((b) => b.trim()).filter(Boolean);
  if (!asked?.length) return available;
  const unknown = asked.filter((b) => !available.includes(b as Backend));
  if (unknown.length) throw new Error(`TEST_BACKENDS names ${unknown.join(', ')}, not among the backends available here (${available.join(', ')}; postgres needs TEST_DATABASE_URL).`);
  return available.filter((b) => asked.includes(b));
}

/** The URL of another database on the same PostgreSQL server as TEST_DATABASE_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
