import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE accounts (
          id bigserial PRIMARY KEY,
          username text NOT NULL,
          password_hash text NOT NULL,
          role text NOT NULL CHECK (role IN ('admin', 'designator', 'coordinator')),
          disabled boolean NOT NULL DEFAULT false,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
    `CREATE UNIQUE INDEX accounts_username_lower ON accounts (lower(username))`,
    `-- Sessions live in the database so that every server process sees the same logins.
        -- Only a SHA-256 of the token is stored: a leaked table does not leak usable cookies.
        CREATE TABLE sessions (
          token_hash text PRIMARY KEY,
          account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz NOT NULL
        )`,
    `CREATE INDEX sessions_expires ON sessions (expires_at)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS sessions, accounts');
}
