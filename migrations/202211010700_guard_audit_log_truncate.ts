import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The row triggers stop UPDATE and DELETE; TRUNCATE bypasses row triggers, so it gets its own.
  await knex.raw(
    'CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log');
}
