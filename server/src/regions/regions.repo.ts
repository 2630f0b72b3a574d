import type { Knex } from 'knex';

export interface RegionRow {
  code: string;
  name: string;
  name_en: string;
  source_name: string | null;
  source: string;
  seat: string;
  geometry: string;
}

/** SQL for the county-level divisions. */
export function regionsRepo(knex: Knex) {
  return {
    async all(): Promise<RegionRow[]> {
      return knex('regions')
        .select('code', 'name', 'name_en', 'source_name', 'source', knex.raw('ST_AsGeoJSON(seat) as seat'), knex.raw('ST_AsGeoJSON(geom, 6) as geometry'))
        .orderBy('code');
    },
  };
}
