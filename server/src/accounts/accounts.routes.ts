import { Router } from 'express';
import { parseInput } from '../http';
import { requireRole } from '../auth/auth.middleware';
import { AccountParams } from '../../../contract/schemas';
import type { AccountsService } from './accounts.service';

/** POST /api/admin/accounts/:username/logout-all: an admin ends every session of an account. */
export function accountsRoutes(deps: { accounts: AccountsService }): Router {
  const r = Router();
  r.post('/api/admin/accounts/:username/logout-all', requireRole('admin'), async (req, res) => {
    const { username } = parseInput(AccountParams, req.params);
    res.json(await deps.accounts.endSessions(username, req.user!.username));
  });
  return r;
}
