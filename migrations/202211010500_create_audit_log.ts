import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Append-only: a trigger refuses UPDATE and DELETE, so not even a bug in the service can
  // rewrite who changed what.
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE audit_log (
          id bigserial PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          actor text NOT NULL,
          action text NOT NULL,
          entity text NOT NULL,
          entity_id text,
          before jsonb,
          after jsonb
        )`,
    `CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)`,
    `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only';
        END $$`,
    `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS audit_log');
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only()');
}
