import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE bulletins (
          id bigserial PRIMARY KEY,
          number integer NOT NULL UNIQUE,
          title text NOT NULL,
          text text NOT NULL,
          published_at timestamptz NOT NULL DEFAULT now(),
          published_by text NOT NULL
        )`,
    `-- A zone row holds the live (public) state; unpublished edits of a published zone wait in
        -- pending/pending_geom until a bulletin publishes them.
        CREATE TABLE zones (
          id uuid PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('sealed', 'controlled', 'precaution')),
          designated_kind text NOT NULL CHECK (designated_kind IN ('sealed', 'controlled', 'precaution')),
          status text NOT NULL CHECK (status IN ('draft', 'published', 'lifted')),
          name text NOT NULL,
          reason text NOT NULL DEFAULT '',
          designated_on date NOT NULL,
          -- The day the expiry rules count from when a designator re-published the zone with a new
          -- kind (null: the designation date).
          rule_anchor_on date,
          edition text NOT NULL,
          version integer NOT NULL DEFAULT 1,
          county_code text,
          published_at timestamptz,
          bulletin_id bigint REFERENCES bulletins (id),
          lifted_on date,
          lift_reason text,
          lifted_by_hand boolean NOT NULL DEFAULT false,
          -- Sample (demo or training) zones are marked so in the data and in every view of them.
          sample boolean NOT NULL DEFAULT false,
          pending jsonb,
          pending_geom geometry(MultiPolygon, 4326),
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          geom geometry(MultiPolygon, 4326) NOT NULL
        )`,
    `CREATE INDEX zones_geom_gist ON zones USING gist (geom)`,
    `CREATE INDEX zones_pending_geom_gist ON zones USING gist (pending_geom)`,
    `CREATE INDEX zones_status ON zones (status)`,
    `CREATE TABLE zone_history (
          id bigserial PRIMARY KEY,
          zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
          version integer NOT NULL,
          at timestamptz NOT NULL DEFAULT now(),
          by text NOT NULL,
          action text NOT NULL,
          from_kind text,
          to_kind text,
          from_status text,
          to_status text,
          rule text,
          reason text,
          effective_on date,
          details jsonb,
          snapshot jsonb
        )`,
    `CREATE INDEX zone_history_zone ON zone_history (zone_id, id)`,
    `-- One automatic transition per zone, rule and effective date: a second expiry run (or a
        -- second process) cannot record the same transition twice.
        CREATE UNIQUE INDEX zone_history_rule_once ON zone_history (zone_id, rule, effective_on) WHERE action = 'rule_transition'`,
    `CREATE TABLE bulletin_zones (
          bulletin_id bigint NOT NULL REFERENCES bulletins (id),
          zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
          version integer NOT NULL,
          kind text NOT NULL,
          name text NOT NULL,
          PRIMARY KEY (bulletin_id, zone_id)
        )`,
    `CREATE TABLE cases (
          id bigserial PRIMARY KEY,
          reported_on date NOT NULL,
          note text NOT NULL DEFAULT '',
          among_isolated boolean NOT NULL DEFAULT false,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          geom geometry(Point, 4326) NOT NULL
        )`,
    `CREATE INDEX cases_geom_gist ON cases USING gist (geom)`,
    `CREATE INDEX cases_reported_on ON cases (reported_on)`,
    `-- Which cases lie in which zone, kept up to date when a case is recorded or a zone's geometry
        -- changes: the daily expiry then reads plain rows instead of a spatial join over every case.
        CREATE TABLE zone_cases (
          zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
          case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
          reported_on date NOT NULL,
          among_isolated boolean NOT NULL,
          PRIMARY KEY (zone_id, case_id)
        )`,
    `CREATE INDEX zone_cases_case ON zone_cases (case_id)`,
    `CREATE TABLE screenings (
          id bigserial PRIMARY KEY,
          zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
          screened_on date NOT NULL,
          negative boolean NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
    `CREATE INDEX screenings_zone ON screenings (zone_id)`,
    `CREATE TABLE app_state (
          key text PRIMARY KEY,
          value jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS app_state, screenings, zone_cases, cases, bulletin_zones, zone_history, zones, bulletins');
}
