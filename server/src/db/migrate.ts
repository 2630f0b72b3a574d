import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Reads the TypeScript migrations in `migrations/` (named YYYYMMDDHHMM_verb_noun.ts) in order. */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations() {
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f))
      .sort();
  }
  getMigrationName(name: string) {
    return name;
  }
  async getMigration(name: string): Promise<Knex.Migration> {
    return import(pathToFileURL(path.join(MIGRATIONS_DIR, name)).href);
  }
}

/** Brings the schema up to date; safe to call from several processes at once (knex takes a lock). */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, names] = await knex.migrate.latest({ migrationSource: new DirectoryMigrationSource() });
  return names as string[];
}

/** Rolls every migration back (used by the migration round-trip test). */
export async function migrateRollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource: new DirectoryMigrationSource() }, true);
}
