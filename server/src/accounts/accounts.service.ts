import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Knex } from 'knex';
import { accountsRepo, type Role, ROLES } from './accounts.repo';
import { AppError, type ErrorCode } from '../errors';
import { auditRepo } from '../audit/audit.repo';

const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

/** Stable error codes of account management. */
export const AccountErrorCode = {
  accountNotFound: 'account_not_found',
} as const satisfies Record<string, ErrorCode>;

/** Account management: creation, the first admin, and the embedded demo accounts. */
export function accountsService(knex: Knex) {
  const repo = accountsRepo(knex);
  const audit = auditRepo(knex);
  return {
    repo,
    /** Creates an account; refuses a taken name or a weak password. */
    async create(username: string, password: string, role: Role, actor = 'system') {
      if (!USERNAME.test(username)) throw new AppError('username_invalid', 400, 'Usernames are 3–40 letters, digits, dot, dash or underscore.');
      if (!ROLES.includes(role)) throw new AppError('role_invalid', 400, `Role must be one of ${ROLES.join(', ')}.`);
      if (password.length < 8) throw new AppError('password_too_short', 400, 'Passwords need at least 8 characters.');
      if (await repo.findByUsername(username)) throw new AppError('username_taken', 409, 'That username is taken.');
      const passwordHash = await hash(password);
      return knex.transaction(async (trx) => {
        const row = await repo.insert(trx, { username, passwordHash, role });
        await audit.record(trx, { actor, action: 'create', entity: 'account', entityId: String(row.id), after: { username, role } });
        return { id: row.id, username: row.username, role: row.role };
      });
    },
    /**
     * Ends every session of the account `username` (an admin's "log out everywhere" for a lost
     * device or a leaving employee); 404 `account_not_found` for an unknown name.
     */
    async endSessions(username: string, actor: string): Promise<{ username: string; sessionsEnded: number }> {
      const account = await repo.findByUsername(username);
      if (!account) throw new AppError(AccountErrorCode.accountNotFound, 404, `No account ${JSON.stringify(username)}.`);
      return knex.transaction(async (trx) => {
        const sessionsEnded = await repo.deleteSessionsOf(trx, account.id);
        await audit.record(trx, { actor, action: 'logout_all', entity: 'account', entityId: String(account.id), after: { username: account.username, sessionsEnded } });
        return { username: account.username, sessionsEnded };
      });
    },
    /** On start: create `admin` with ADMIN_PASSWORD when no admin account exists yet. */
    async ensureAdmin(password: string | null): Promise<boolean> {
      if (!password) return false;
      if ((await repo.countByRole('admin')) > 0) return false;
      await this.create('admin', password, 'admin');
      return true;
    },
    /**
     * Embedded demo only: (re)creates `designator` and `coordinator` with fresh random passwords,
     * returned once so that start-up can print them. Never called with DATABASE_URL.
     */
    async resetDemoAccounts(): Promise<{ username: string; role: Role; password: string }[]> {
      const out: { username: string; role: Role; password: string }[] = [];
      for (const role of ['designator', 'coordinator'] as const) {
        const password = crypto.randomBytes(9).toString('base64url');
        const existing = await repo.findByUsername(role);
        if (existing) {
          const passwordHash = await hash(password);
          await knex.transaction(async (trx) => {
            await accountsRepo(trx).setPassword(existing.id, passwordHash);
            await audit.record(trx, { actor: 'system', action: 'reset_password', entity: 'account', entityId: String(existing.id), after: { username: existing.username } });
          });
        } else await this.create(role, password, role);
        out.push({ username: role, role, password });
      }
      return out;
    },
  };
}

export { hash as hashPassword, verify as verifyPassword };
export type AccountsService = ReturnType<typeof accountsService>;
