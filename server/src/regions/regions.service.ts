import type { Knex } from 'knex';
import { featureCollection } from '../geo/sql';
import { regionsRepo } from './regions.repo';

/** The county-level divisions of the city, for the offline base map and the lookup. */
export function regionsService(reader: Knex) {
  const repo = regionsRepo(reader);
  return {
    /** Every county-level division as GeoJSON, with its county seat. */
    async all() {
      const rows = await repo.all();
      return featureCollection(
        rows,
        (row) => ({
          code: row.code,
          name: row.name,
          nameEn: row.name_en,
          sourceName: row.source_name,
          source: row.source,
          seat: JSON.parse(row.seat).coordinates,
        }),
        (row) => row.code,
      );
    },
  };
}
export type RegionsService = ReturnType<typeof regionsService>;
