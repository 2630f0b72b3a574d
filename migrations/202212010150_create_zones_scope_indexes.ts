import type { Knex } from 'knex';

/**
 * The evaluation of a few zones after a case or a bulletin: which of their counties hold a zone
 * whose lift waits for the whole county (an edition and kind with a county cascade, looked up by
 * `zones_cascade`), then the zones by id or by county (the OR that `zones_county` beside the
 * primary key turns into two index scans). Without them each step read every zone.
 */
export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query.
  await knex.raw('CREATE INDEX zones_county ON zones (county_code)');
  await knex.raw('CREATE INDEX zones_cascade ON zones (edition, designated_kind, county_code)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS zones_cascade');
  await knex.raw('DROP INDEX IF EXISTS zones_county');
}
