import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { ExpiryRunQuery } from '../../../contract/schemas';
import { todayInShanghai } from '../../../contract/dates';
import type { ExpiryService } from './expiry.service';

/** POST /api/admin/expiry/run?asOf=YYYY-MM-DD: evaluates every zone as of that date (admins). */
export function expiryRoutes(deps: { expiry: ExpiryService }): Router {
  const r = Router();
  r.post('/api/admin/expiry/run', requireRole('admin'), async (req, res) => {
    const q = parseInput(ExpiryRunQuery, req.query);
    res.json(await deps.expiry.run(q.asOf ?? todayInShanghai(), `admin:${req.user!.username}`));
  });
  return r;
}
