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

export interface RegionOutlineRow {
  code: string;
  name: string;
  name_en: string;
  seat: string | null;
  path: string;
}

/** SQL for the county-level divisions. */
export function regionsRepo(knex: Knex) {
  return {
    async all(): Promise<RegionRow[]> {
      return knex('regions')
        .select('code', 'name', 'name_en', 'source_name', 'source', knex.raw('ST_AsGeoJSON(seat) as seat'), knex.raw('ST_AsGeoJSON(geom, 6) as geometry'))
        .orderBy('code');
    },

    /**
     * Each division's outline as SVG path data in Web Mercator metres (y negated, relative moves,
     * whole metres), simplified to `toleranceMetres` without letting a ring collapse.
     */
    async outlines(toleranceMetres: number): Promise<RegionOutlineRow[]> {
      return knex('regions')
        .select(
          'code',
          'name',
          'name_en',
          knex.raw('ST_AsGeoJSON(seat) as seat'),
          knex.raw('ST_AsSVG(ST_SimplifyPreserveTopology(ST_Transform(geom, 3857), ?), 1, 0) as path', [toleranceMetres]),
        )
        .orderBy('code');
    },
  };
}
