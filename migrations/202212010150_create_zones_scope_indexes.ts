import type { Knex } from 'knex';

/**
 * The evaluation of a few zones after a case or a bulletin selects them by id or by county (the
 * counties whose precaution zones wait for every zone there): with this index next to the primary
 * key, PostgreSQL answers that OR with two index scans instead of reading every zone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX zones_county ON zones (county_code)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS zones_county');
}
