import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE regions (
          code text PRIMARY KEY,
          name text NOT NULL,
          name_en text NOT NULL,
          source_name text,
          source text NOT NULL,
          seat geometry(Point, 4326) NOT NULL,
          geom geometry(MultiPolygon, 4326) NOT NULL
        )`,
    `CREATE INDEX regions_geom_gist ON regions USING gist (geom)`,
    `CREATE TABLE facilities (
          id text PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('designated_hospital', 'yellow_code_hospital', 'fangcang', 'isolation_site', 'fever_clinic')),
          name text NOT NULL,
          address text,
          phone text,
          beds integer CHECK (beds >= 0),
          rooms integer CHECK (rooms >= 0),
          approximate boolean NOT NULL DEFAULT false,
          placement text,
          sample boolean NOT NULL DEFAULT false,
          note text,
          source text,
          geom geometry(Point, 4326) NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
    `CREATE INDEX facilities_geom_gist ON facilities USING gist (geom)`,
    `CREATE INDEX facilities_kind ON facilities (kind)`,
    `CREATE TABLE hotlines (
          id serial PRIMARY KEY,
          county text NOT NULL,
          township text NOT NULL,
          phones text[] NOT NULL,
          approximate boolean NOT NULL DEFAULT true,
          placement text,
          source text NOT NULL,
          geom geometry(Point, 4326) NOT NULL
        )`,
    `CREATE INDEX hotlines_geom_gist ON hotlines USING gist (geom)`,
    `CREATE TABLE checkpoints (
          id text PRIMARY KEY,
          name text NOT NULL,
          road text NOT NULL,
          direction text NOT NULL,
          point_leader text,
          phone text,
          sample boolean NOT NULL DEFAULT false,
          geom geometry(Point, 4326) NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
    `CREATE INDEX checkpoints_geom_gist ON checkpoints USING gist (geom)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS checkpoints, hotlines, facilities, regions');
}
