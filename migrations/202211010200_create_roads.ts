import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // source/target are junction ids shared by touching edges: the same columns pgRouting's
  // pgr_dijkstra reads, so the in-process router and pgRouting see one network.
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE roads (
          id bigserial PRIMARY KEY,
          source bigint NOT NULL,
          target bigint NOT NULL,
          name text,
          ref text,
          class text NOT NULL CHECK (class IN ('motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'residential', 'service', 'unclassified')),
          speed_kmh double precision NOT NULL CHECK (speed_kmh > 0),
          oneway boolean NOT NULL DEFAULT false,
          max_height_m double precision,
          max_weight_t double precision,
          no_trucks boolean NOT NULL DEFAULT false,
          length_m double precision NOT NULL CHECK (length_m >= 0),
          sample boolean NOT NULL DEFAULT false,
          approximate boolean NOT NULL DEFAULT false,
          osm_way_id bigint,
          geom geometry(LineString, 4326) NOT NULL
        )`,
    `CREATE INDEX roads_geom_gist ON roads USING gist (geom)`,
    `CREATE INDEX roads_source ON roads (source)`,
    `CREATE INDEX roads_target ON roads (target)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS roads');
}
