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

export const TEMPLATE_DIR = '.data-test/template';
export const TEMPLATE_DB = 'risk_zones_test_template';

export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** The URL of another database on the same PostgreSQL server as TEST_DATABASE_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
