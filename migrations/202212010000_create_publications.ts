import type { Knex } from 'knex';

/**
 * The public record: every change the public can see is a numbered publication (a designator's
 * bulletin or correction, a rule transition, a lift by hand, a reopening after a late case, an
 * update of a zone's dates), stored with the public state of each zone it changed. The public map
 * of any day is read back from it, so nothing here is ever updated or deleted: triggers refuse it.
 */
export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE publications (
          number integer PRIMARY KEY CHECK (number > 0),
          kind text NOT NULL CHECK (kind IN ('bulletin', 'correction', 'rule_transition', 'hand_lift', 'reopening', 'update')),
          published_at timestamptz NOT NULL,
          -- The Asia/Shanghai calendar day of published_at: the first day whose map shows it.
          published_on date NOT NULL,
          author text NOT NULL,
          title text NOT NULL,
          text text NOT NULL,
          corrects integer REFERENCES publications (number),
          bulletin_id bigint REFERENCES bulletins (id)
        )`,
    `CREATE INDEX publications_day ON publications (published_on, number)`,
    `-- The public state of one zone as a publication left it. No foreign key to zones: the record
        -- outlives anything that happens to the working tables.
        CREATE TABLE publication_zones (
          publication integer NOT NULL REFERENCES publications (number),
          zone_id uuid NOT NULL,
          in_force boolean NOT NULL,
          -- What changed for this zone: designated, changed, kind_changed, lifted, reopened, dates.
          change text NOT NULL,
          effective_on date NOT NULL,
          state jsonb NOT NULL,
          -- The geometry exactly as served (GeoJSON text); null when unchanged since the zone's
          -- previous entry.
          geometry text,
          PRIMARY KEY (publication, zone_id)
        )`,
    `CREATE INDEX publication_zones_zone ON publication_zones (zone_id, publication)`,
    `CREATE FUNCTION publication_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the publication record is append-only: publish a correction instead';
        END $$`,
    `CREATE TRIGGER publications_no_change BEFORE UPDATE OR DELETE ON publications
          FOR EACH ROW EXECUTE FUNCTION publication_append_only()`,
    `CREATE TRIGGER publications_no_truncate BEFORE TRUNCATE ON publications
          FOR EACH STATEMENT EXECUTE FUNCTION publication_append_only()`,
    `CREATE TRIGGER publication_zones_no_change BEFORE UPDATE OR DELETE ON publication_zones
          FOR EACH ROW EXECUTE FUNCTION publication_append_only()`,
    `CREATE TRIGGER publication_zones_no_truncate BEFORE TRUNCATE ON publication_zones
          FOR EACH STATEMENT EXECUTE FUNCTION publication_append_only()`,
    `-- Zones may carry the 四至 (boundary description) a designator wrote for the bulletin.
        ALTER TABLE zones ADD COLUMN extent text`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE zones DROP COLUMN IF EXISTS extent');
  await knex.raw('DROP TABLE IF EXISTS publication_zones, publications');
  await knex.raw('DROP FUNCTION IF EXISTS publication_append_only()');
}
