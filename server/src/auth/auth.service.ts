import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { hash, verify } from '@node-rs/argon2';
import { accountsRepo } from '../accounts/accounts.repo';
import { auditRepo } from '../audit/audit.repo';
import { AppError, ErrorCode } from '../errors';
import { hashToken, type SessionUser } from './auth.middleware';

/** Login and logout. */
export function authService(knex: Knex, sessionTtlHours: number) {
  const repo = accountsRepo(knex);
  const audit = auditRepo(knex);
  // Verifying against a throwaway hash when the name is unknown keeps the answer time the same,
  // so response timing does not tell whether an account exists.
  const dummyHash = hash(crypto.randomBytes(16).toString('hex'));
  return {
    async login(username: string, password: string): Promise<{ token: string; user: SessionUser }> {
      const account = await repo.findByUsername(username);
      const ok = account && !account.disabled
        ? await verify(account.password_hash, password).catch(() => false)
        : (await verify(await dummyHash, password).catch(() => false), false);
      if (!account || !ok) throw new AppError(ErrorCode.invalidCredentials, 401, 'Wrong username or password.');
      const token = crypto.randomBytes(32).toString('base64url');
      await repo.insertSession(hashToken(token), account.id, sessionTtlHours);
      return { token, user: { id: Number(account.id), username: account.username, role: account.role } };
    },
    async logout(tokenHash: string): Promise<void> {
      await repo.deleteSession(tokenHash);
    },
    /** Ends every session of `user`, this one included ("log out everywhere"); returns how many. */
    async logoutEverywhere(user: SessionUser): Promise<number> {
      return knex.transaction(async (trx) => {
        const sessionsEnded = await repo.deleteSessionsOf(trx, user.id);
        await audit.record(trx, { actor: user.username, action: 'logout_all', entity: 'account', entityId: String(user.id), after: { sessionsEnded } });
        return sessionsEnded;
      });
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
