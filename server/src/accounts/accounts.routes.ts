import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http';
import { requireRole } from '../auth/auth.middleware';
import type { AppContext } from '../context';

const Params = z.object({ username: z.string().min(1).max(100) });

/** POST /api/admin/accounts/:username/logout-all: an admin ends every session of an account. */
export function accountsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/api/admin/accounts/:username/logout-all', requireRole('admin'), async (req, res) => {
    const { username } = parseInput(Params, req.params);
    res.json(await ctx.services.accounts.endSessions(username, req.user!.username));
  });
  return r;
}
