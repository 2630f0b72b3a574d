import type { Knex } from 'knex';

export type Role = 'admin' | 'designator' | 'coordinator';
export const ROLES: readonly Role[] = ['admin', 'designator', 'coordinator'];

export interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
}

/** SQL for accounts and their sessions. */
export function accountsRepo(knex: Knex) {
  return {
    async findByUsername(username: string): Promise<AccountRow | undefined> {
      return knex('accounts').whereRaw('lower(username) = lower(?)', [username]).first();
    },
    async countByRole(role: Role): Promise<number> {
      const row = await knex('accounts').where({ role }).count<{ n: number }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
    async insert(trx: Knex | Knex.Transaction, a: { username: string; passwordHash: string; role: Role }): Promise<AccountRow> {
      const [row] = await trx('accounts')
        .insert({ username: a.username, password_hash: a.passwordHash, role: a.role })
        .returning(['id', 'username', 'role', 'disabled', 'password_hash']);
      return row;
    },
    async setPassword(id: number, passwordHash: string): Promise<void> {
      await knex('accounts').where({ id }).update({ password_hash: passwordHash });
    },
    async list(): Promise<Omit<AccountRow, 'password_hash'>[]> {
      return knex('accounts').select('id', 'username', 'role', 'disabled').orderBy('id');
    },
    async insertSession(tokenHash: string, accountId: number, ttlHours: number): Promise<void> {
      await knex('sessions').insert({
        token_hash: tokenHash,
        account_id: accountId,
        expires_at: knex.raw(`now() + make_interval(hours => ?)`, [ttlHours]),
      });
    },
    async findSession(tokenHash: string): Promise<(Pick<AccountRow, 'id' | 'username' | 'role'> & { expires_at: Date }) | undefined> {
      return knex('sessions as s')
        .join('accounts as a', 'a.id', 's.account_id')
        .where('s.token_hash', tokenHash)
        .andWhere('a.disabled', false)
        .andWhereRaw('s.expires_at > now()')
        .first('a.id', 'a.username', 'a.role', 's.expires_at');
    },
    async deleteSession(tokenHash: string): Promise<void> {
      await knex('sessions').where({ token_hash: tokenHash }).delete();
    },
    /** Ends every session of one account; returns how many there were. */
    async deleteSessionsOf(trx: Knex | Knex.Transaction, accountId: number): Promise<number> {
      // Counted from the returned rows: the embedded store's driver does not report a row count.
      const rows = await trx('sessions').where({ account_id: accountId }).delete().returning('token_hash');
      return rows.length;
    },
    async deleteExpiredSessions(): Promise<number> {
      return knex('sessions').whereRaw('expires_at <= now()').delete();
    },
  };
}
export type AccountsRepo = ReturnType<typeof accountsRepo>;
