import type { Knex } from 'knex';
import { geomFromGeoJSON } from '../geo/sql';

export interface Checkpoint {
  id: string;
  name: string;
  road: string;
  direction: string;
  pointLeader: string | null;
  phone: string | null;
  sample: boolean;
  geometry: GeoJSON.Point;
}

export interface CheckpointRow {
  id: string;
  name: string;
  road: string;
  direction: string;
  point_leader: string | null;
  phone: string | null;
  sample: boolean;
  geometry: string;
}

/** SQL for the city's entry checkpoints (入聊通道服务点). */
export function checkpointsRepo(knex: Knex) {
  const select = () =>
    knex('checkpoints').select('id', 'name', 'road', 'direction', 'point_leader', 'phone', 'sample', knex.raw('ST_AsGeoJSON(geom) as geometry'));
  const toRow = (c: Checkpoint) => ({
    id: c.id,
    name: c.name,
    road: c.road,
    direction: c.direction,
    point_leader: c.pointLeader,
    phone: c.phone,
    sample: c.sample,
    geom: geomFromGeoJSON(knex, c.geometry),
  });
  return {
    async list(): Promise<CheckpointRow[]> {
      return select().orderBy('id');
    },
    async get(id: string, trx: Knex = knex): Promise<CheckpointRow | undefined> {
      return trx('checkpoints')
        .select('id', 'name', 'road', 'direction', 'point_leader', 'phone', 'sample', knex.raw('ST_AsGeoJSON(geom) as geometry'))
        .where({ id })
        .first();
    },
    async insert(trx: Knex.Transaction, c: Checkpoint) {
      await trx('checkpoints').insert(toRow(c));
    },
    async update(trx: Knex.Transaction, c: Checkpoint) {
      const { id, ...rest } = toRow(c);
      await trx('checkpoints').where({ id }).update({ ...rest, updated_at: knex.fn.now() });
    },
    async remove(trx: Knex.Transaction, id: string) {
      return trx('checkpoints').where({ id }).delete();
    },
  };
}

/** Row → domain object. */
export function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    id: row.id,
    name: row.name,
    road: row.road,
    direction: row.direction,
    pointLeader: row.point_leader,
    phone: row.phone,
    sample: row.sample,
    geometry: JSON.parse(row.geometry),
  };
}
export type CheckpointsRepo = ReturnType<typeof checkpointsRepo>;
