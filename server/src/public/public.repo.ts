import type { Knex } from 'knex';

/** SQL for the public read side. */
export function publicRepo(knex: Knex) {
  return {
    /** Every zone that has been published (in force or lifted since), without its geometry. */
    async publishedZones() {
      return knex('zones')
        .select('id', 'name', 'kind', 'status', 'designated_on', 'published_at', 'edition', 'lifted_on', 'sample', 'version')
        .whereIn('status', ['published', 'lifted'])
        .orderBy('id');
    },
    /** The public geometries of some zones, as GeoJSON text (6 decimals: about 0.1 m). */
    async geometriesOf(ids: string[]): Promise<{ id: string; version: number; geometry: string }[]> {
      if (ids.length === 0) return [];
      return knex('zones').select('id', 'version', knex.raw('ST_AsGeoJSON(geom, 6) as geometry')).whereIn('id', ids);
    },
    /** The reference data the lookup keeps in memory: county outlines, designated hospitals, hotlines. */
    async lookupReference() {
      const [regions, hospitals, hotlines] = await Promise.all([
        knex('regions').select('code', 'name', knex.raw('ST_AsGeoJSON(geom) as geometry')).orderBy('code'),
        knex('facilities')
          .select('id', 'name', 'address', 'phone', 'approximate', knex.raw('ST_X(geom) as lon'), knex.raw('ST_Y(geom) as lat'))
          .where({ kind: 'designated_hospital' })
          .orderBy('id'),
        knex('hotlines').select('id', 'county', 'township', 'phones', 'approximate', knex.raw('ST_X(geom) as lon'), knex.raw('ST_Y(geom) as lat')).orderBy('id'),
      ]);
      return { regions, hospitals, hotlines };
    },
  };
}
