import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { zPastOrToday } from '../zones/zones.schemas';
import { todayInShanghai } from '../shared/dates';

const RunQuery = z.object({ asOf: zPastOrToday.optional() }).strict();

/** POST /api/admin/expiry/run?asOf=YYYY-MM-DD: evaluates every zone as of that date (admins). */
export function expiryRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/api/admin/expiry/run', requireRole('admin'), async (req, res) => {
    const q = parseInput(RunQuery, req.query);
    res.json(await ctx.services.expiry.run(q.asOf ?? todayInShanghai(), `admin:${req.user!.username}`));
  });
  return r;
}
