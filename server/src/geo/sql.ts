import type { Knex } from 'knex';

/** `ST_GeomFromGeoJSON(?)` with SRID 4326, as a knex raw fragment with the geometry as a bound value. */
export function geomFromGeoJSON(knex: Knex, geometry: unknown): Knex.Raw {
  return knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [JSON.stringify(geometry)]);
}

/** A FeatureCollection from rows that carry a `geometry` GeoJSON string and plain properties. */
export function featureCollection<T extends { geometry: string | object | null }>(
  rows: T[],
  toProps: (row: T) => Record<string, unknown>,
  idOf?: (row: T) => string | number,
) {
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((row) => ({
      type: 'Feature' as const,
      ...(idOf ? { id: idOf(row) } : {}),
      geometry: typeof row.geometry === 'string' ? JSON.parse(row.geometry) : row.geometry,
      properties: toProps(row),
    })),
  };
}
