import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The expiry reads each zone's distinct case dates; this index lets PostgreSQL group them with
  // an index-only scan instead of sorting a million case links.
  await knex.raw('CREATE INDEX zone_cases_zone_day ON zone_cases (zone_id, among_isolated, reported_on)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS zone_cases_zone_day');
}
