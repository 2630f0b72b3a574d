import type { Knex } from 'knex';

/** SQL of the health check. */
export function healthRepo(knex: Knex) {
  return {
    /** PostGIS's version: asking for it proves the database answers and has PostGIS. */
    async postgisVersion(): Promise<string> {
      const row = (await knex.raw('select postgis_lib_version() as v')).rows[0] as { v: string };
      return row.v;
    },
  };
}
