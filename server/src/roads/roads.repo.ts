import type { Knex } from 'knex';

export interface RoadInsert {
  source: number;
  target: number;
  name: string | null;
  ref: string | null;
  class: string;
  speedKmh: number;
  oneway: boolean;
  maxHeightM: number | null;
  maxWeightT: number | null;
  noTrucks: boolean;
  sample: boolean;
  approximate: boolean;
  osmWayId?: number | null;
  coordinates: [number, number][];
}

export interface RoadEdgeRow {
  id: number;
  source: number;
  target: number;
  name: string | null;
  ref: string | null;
  class: string;
  speed_kmh: number;
  oneway: boolean;
  max_height_m: number | null;
  max_weight_t: number | null;
  no_trucks: boolean;
  length_m: number;
  geometry: string;
}

/** SQL for the road network. */
export function roadsRepo(knex: Knex) {
  return {
    /** Replaces the whole network inside the caller's transaction; lengths measured on the spheroid. */
    async replaceAll(trx: Knex.Transaction, roads: RoadInsert[], batchSize = 2000): Promise<void> {
      await trx.raw('DELETE FROM roads');
      for (let i = 0; i < roads.length; i += batchSize) {
        const batch = roads.slice(i, i + batchSize);
        // One INSERT … SELECT over a JSON array per batch: a single round trip, geometry built in SQL.
        await trx.raw(
          `INSERT INTO roads (source, target, name, ref, class, speed_kmh, oneway, max_height_m, max_weight_t, no_trucks, sample, approximate, osm_way_id, length_m, geom)
           SELECT r.source, r.target, r.name, r.ref, r.class, r.speed_kmh, r.oneway, r.max_height_m, r.max_weight_t, r.no_trucks, r.sample, r.approximate, r.osm_way_id,
                  ST_Length(g::geography), g
           FROM jsonb_to_recordset(?::jsonb) AS r(source bigint, target bigint, name text, ref text, class text, speed_kmh float8, oneway boolean,
                max_height_m float8, max_weight_t float8, no_trucks boolean, sample boolean, approximate boolean, osm_way_id bigint, geometry jsonb)
           CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326) AS g) AS geom`,
          [
            JSON.stringify(
              batch.map((r) => ({
                source: r.source,
                target: r.target,
                name: r.name,
                ref: r.ref,
                class: r.class,
                speed_kmh: r.speedKmh,
                oneway: r.oneway,
                max_height_m: r.maxHeightM,
                max_weight_t: r.maxWeightT,
                no_trucks: r.noTrucks,
                sample: r.sample,
                approximate: r.approximate,
                osm_way_id: r.osmWayId ?? null,
                geometry: { type: 'LineString', coordinates: r.coordinates },
              })),
            ),
          ],
        );
      }
    },
    /** Every edge, for building the in-process routing graph. */
    async allEdges(): Promise<RoadEdgeRow[]> {
      return knex('roads')
        .select('id', 'source', 'target', 'name', 'ref', 'class', 'speed_kmh', 'oneway', 'max_height_m', 'max_weight_t', 'no_trucks', 'length_m', knex.raw('ST_AsGeoJSON(geom, 7) as geometry'))
        .orderBy('id');
    },
    async count(): Promise<number> {
      const row = await knex('roads').count<{ n: number }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
    /** The base map's roads, simplified a little for drawing. */
    async forBaseMap() {
      return knex('roads')
        .select('id', 'name', 'ref', 'class', 'sample', knex.raw('ST_AsGeoJSON(geom, 5) as geometry'))
        .orderBy('id');
    },
  };
}
