/**
 * Prepares the template databases the API tests copy: run as its own Node process by the global
 * setup (PGlite's WebAssembly start-up does not survive vitest's module runner in the main process).
 */
import fs from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/database';
import { migrateLatest } from '../../server/src/db/migrate';
import { loadConfig } from '../../server/src/config';
import { createContext } from '../../server/src/context';
import { RUN_DIR, TEMPLATE_DB, TEMPLATE_DIR, TEST_PASSWORD, TEST_USERS, databaseUrl } from './backends';
import type { Role } from '../../server/src/accounts/accounts.repo';

async function prepare(db: Database) {
  try {
    await migrateLatest(db.knex);
    const ctx = createContext(loadConfig({}), db);
    await ctx.services.geodata.ensureLoaded();
    for (const u of TEST_USERS) await ctx.services.accounts.create(u.username, TEST_PASSWORD, u.role as Role);
  } finally {
    await db.close();
  }
}

fs.rmSync(RUN_DIR, { recursive: true, force: true });
fs.mkdirSync(RUN_DIR, { recursive: true });
await prepare(await openDatabase({ databaseUrl: null, dataDir: TEMPLATE_DIR }));

if (process.env.TEST_DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(TEMPLATE_DB)}`);
  await admin.end();
  await prepare(await openDatabase({ databaseUrl: databaseUrl(TEMPLATE_DB), dataDir: '' }));
}
