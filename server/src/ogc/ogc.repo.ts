import type { Knex } from 'knex';
import type { LonLatBox } from '../geo/geojson';

/** A point layer served as an OGC collection: its table and the columns the public may read. */
export interface PointTable {
  table: string;
  /** Public columns only; anything not listed here never leaves the database through /ogc. */
  columns: readonly string[];
}

/**
 * Checkpoints without `point_leader` and `phone`: the point leaders' names and phones are for
 * coordinators only (the public sees no checkpoint staff).
 */
export const CHECKPOINTS_TABLE: PointTable = {
  table: 'checkpoints',
  columns: ['id', 'name', 'road', 'direction', 'sample'],
};

/** Facilities with the same columns as the public GET /api/facilities. */
export const FACILITIES_TABLE: PointTable = {
  table: 'facilities',
  columns: ['id', 'kind', 'name', 'address', 'phone', 'beds', 'rooms', 'approximate', 'placement', 'sample', 'note', 'source'],
};

/** One row of a point layer: the public columns and the geometry as a GeoJSON string. */
export type PointRow = Record<string, unknown> & { id: string; geometry: string };

/** SQL for the OGC API point collections (checkpoints, facilities), read from the replica when there is one. */
export function ogcRepo(knex: Knex) {
  const inBox = (q: Knex.QueryBuilder, bbox: LonLatBox | null) => {
    // `&&` compares bounding boxes, so the planner can answer it from the GiST index on geom; for
    // points the bounding box is the point itself, so the test is exact and needs no refinement.
    if (bbox) q.whereRaw('?? && ST_MakeEnvelope(?, ?, ?, ?, 4326)', ['geom', ...bbox]);
    return q;
  };
  const select = (layer: PointTable) =>
    knex(layer.table).select(...layer.columns, knex.raw('ST_AsGeoJSON(??) as geometry', ['geom']));

  return {
    /** One page of a point layer in id order (stable across pages), and how many rows match in all. */
    async page(layer: PointTable, bbox: LonLatBox | null, limit: number, offset: number): Promise<{ matched: number; rows: PointRow[] }> {
      const [count, rows] = await Promise.all([
        inBox(knex(layer.table).count({ n: '*' }), bbox).first(),
        inBox(select(layer), bbox).orderBy('id').limit(limit).offset(offset),
      ]);
      return { matched: Number((count as { n: number | string } | undefined)?.n ?? 0), rows: rows as PointRow[] };
    },

    /** Every row of a point layer (in the bbox), for filters and sort keys evaluated in memory. */
    async all(layer: PointTable, bbox: LonLatBox | null): Promise<PointRow[]> {
      return (await inBox(select(layer), bbox).orderBy('id')) as PointRow[];
    },

    /** The first day of the record of publications (Asia/Shanghai), or null before the first one. */
    async firstPublicationDay(): Promise<string | null> {
      const row = await knex('publications').first(knex.raw("to_char(min(??), 'YYYY-MM-DD') as day", ['published_on']));
      return (row as { day: string | null } | undefined)?.day ?? null;
    },

    /** The days in from..to (inclusive) on which something was published: the only days the map changes. */
    async publicationDays(from: string, to: string): Promise<string[]> {
      const rows = await knex('publications')
        .distinct(knex.raw("to_char(??, 'YYYY-MM-DD') as day", ['published_on']))
        .whereBetween('published_on', [from, to])
        .orderBy('day');
      return (rows as { day: string }[]).map((r) => r.day);
    },

    /** One row by id, or undefined. */
    async get(layer: PointTable, id: string): Promise<PointRow | undefined> {
      return (await select(layer).where('id', id).first()) as PointRow | undefined;
    },
  };
}
