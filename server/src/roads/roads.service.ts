import type { Knex } from 'knex';
import { featureCollection } from '../geo/sql';
import { roadsRepo } from './roads.repo';

/** The road network as the offline base map draws it. */
export function roadsService(reader: Knex) {
  const repo = roadsRepo(reader);
  return {
    async forBaseMap() {
      const rows = await repo.forBaseMap();
      return featureCollection(rows, (row) => ({ id: row.id, name: row.name, ref: row.ref, class: row.class, sample: row.sample }), (row) => row.id);
    },
  };
}
export type RoadsService = ReturnType<typeof roadsService>;
