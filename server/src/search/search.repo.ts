import type { Knex } from 'knex';

/** SQL for the public search: the places it names besides zones and townships. */
export function searchRepo(knex: Knex) {
  return {
    /** Counties with their extent (the camera fits it) and a point inside (for a lookup). */
    async counties(): Promise<{ code: string; name: string; minx: number; miny: number; maxx: number; maxy: number; lon: number; lat: number }[]> {
      return knex('regions')
        .select(
          'code',
          'name',
          knex.raw('ST_XMin(geom) as minx'),
          knex.raw('ST_YMin(geom) as miny'),
          knex.raw('ST_XMax(geom) as maxx'),
          knex.raw('ST_YMax(geom) as maxy'),
          // ST_PointOnSurface: a centroid can fall outside a concave county.
          knex.raw('ST_X(ST_PointOnSurface(geom)) as lon'),
          knex.raw('ST_Y(ST_PointOnSurface(geom)) as lat'),
        )
        .orderBy('code');
    },
    /** Hospitals and clinics the public looks for (not isolation sites), with their points. */
    async hospitals(): Promise<{ id: string; kind: string; name: string; address: string | null; approximate: boolean; sample: boolean; lon: number; lat: number }[]> {
      return knex('facilities')
        .select('id', 'kind', 'name', 'address', 'approximate', 'sample', knex.raw('ST_X(geom) as lon'), knex.raw('ST_Y(geom) as lat'))
        .whereIn('kind', ['designated_hospital', 'yellow_code_hospital', 'fever_clinic'])
        .orderBy('id');
    },
    /** Entry checkpoints, without point leaders or phones (the public view). */
    async checkpoints(): Promise<{ id: string; name: string; road: string | null; sample: boolean; lon: number; lat: number }[]> {
      return knex('checkpoints').select('id', 'name', 'road', 'sample', knex.raw('ST_X(geom) as lon'), knex.raw('ST_Y(geom) as lat')).orderBy('id');
    },
  };
}
