import type { Knex } from 'knex';
import type { RoadEdge } from './graph';

/** A row of the roads table as the driver returns it (numerics may come back as strings). */
interface RoadRow {
  id: string | number;
  source: string | number;
  target: string | number;
  name: RoadEdge['name'];
  ref: RoadEdge['ref'];
  class: RoadEdge['cls'];
  speed_kmh: string | number;
  oneway: boolean;
  max_height_m: string | number | null;
  max_weight_t: string | number | null;
  no_trucks: boolean;
  length_m: string | number;
  geometry: string;
}

/** SQL the router reads: the road network as edges. */
export function routingRepo(knex: Knex) {
  return {
    /** Every road edge, in id order (the order the graph is built in). */
    async roadEdges(): Promise<RoadEdge[]> {
      const rows = await knex('roads')
        .select('id', 'source', 'target', 'name', 'ref', 'class', 'speed_kmh', 'oneway', 'max_height_m', 'max_weight_t', 'no_trucks', 'length_m', knex.raw('ST_AsGeoJSON(geom, 7) as geometry'))
        .orderBy('id');
      return rows.map((r: RoadRow) => ({
        id: Number(r.id),
        source: Number(r.source),
        target: Number(r.target),
        geometry: JSON.parse(r.geometry).coordinates,
        lengthM: Number(r.length_m),
        speedKmh: Number(r.speed_kmh),
        oneway: r.oneway,
        name: r.name,
        ref: r.ref,
        cls: r.class,
        maxHeightM: r.max_height_m === null ? null : Number(r.max_height_m),
        maxWeightT: r.max_weight_t === null ? null : Number(r.max_weight_t),
        noTrucks: r.no_trucks,
      }));
    },
    /** A cheap fingerprint of the network: the graph is rebuilt when it changes. */
    async roadsVersion(): Promise<string> {
      const row = (await knex.raw('SELECT count(*)::int AS n, coalesce(max(id), 0)::bigint AS m FROM roads')).rows[0];
      return `${row.n}:${row.m}`;
    },
  };
}
