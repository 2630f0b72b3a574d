import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { DB_PREFIX, RUN_DIR } from './backends';

/**
 * Prepares one migrated database with the Liaocheng geodata and the test accounts per backend; every
 * test file then starts from a copy of it (a copied data directory for PGlite, CREATE DATABASE …
 * TEMPLATE for PostgreSQL), so files share nothing and migrations run once.
 */
export async function setup() {
  execFileSync(process.execPath, ['--import', 'tsx', 'tests/helpers/prepare-template.ts'], { stdio: 'inherit' });
}

export async function teardown() {
  if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const old = await admin.query(`select datname from pg_database where starts_with(datname, $1)`, [DB_PREFIX]);
    for (const row of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(row.datname)} WITH (FORCE)`);
    await admin.end();
  }
  fs.rmSync(path.resolve(RUN_DIR), { recursive: true, force: true });
}
