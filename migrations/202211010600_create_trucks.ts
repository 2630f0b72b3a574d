import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    // A truck reported before arrival (提前报备) and its planned route; the driver's name and phone
    // are personal data for coordinators only.
    `CREATE TABLE trucks (
      id uuid PRIMARY KEY,
      plate text NOT NULL,
      driver_name text NOT NULL,
      driver_phone text NOT NULL,
      origin_city text NOT NULL,
      from_high_risk_area boolean NOT NULL DEFAULT false,
      destination_address text NOT NULL DEFAULT '',
      expected_arrival timestamptz NOT NULL,
      checkpoint_id text REFERENCES checkpoints (id),
      checkpoint_chosen_by_service boolean NOT NULL DEFAULT false,
      height_m double precision,
      weight_t double precision,
      state text NOT NULL CHECK (state IN ('reported', 'arrived', 'en_route', 'handed_over')),
      route jsonb,
      route_geom geometry(LineString, 4326),
      route_planned_at timestamptz,
      route_flag jsonb,
      version integer NOT NULL DEFAULT 1,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      destination geometry(Point, 4326) NOT NULL
    )`,
    `CREATE INDEX trucks_destination_gist ON trucks USING gist (destination)`,
    `CREATE INDEX trucks_route_gist ON trucks USING gist (route_geom)`,
    `CREATE INDEX trucks_state ON trucks (state)`,
    // The hand-over register (交接登记): every step, when and by whom.
    `CREATE TABLE truck_events (
      id bigserial PRIMARY KEY,
      truck_id uuid NOT NULL REFERENCES trucks (id) ON DELETE CASCADE,
      state text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      by text NOT NULL,
      note text NOT NULL DEFAULT ''
    )`,
    `CREATE INDEX truck_events_truck ON truck_events (truck_id, id)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS truck_events');
  await knex.raw('DROP TABLE IF EXISTS trucks');
}
