import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';

/** Case reports for designators only: cases are health data and never public. */
export function casesRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.cases;
  const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(ctx.config.limits.maxFeaturesPerPage).default(ctx.config.limits.maxFeaturesPerPage) });
  r.post('/api/cases', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.record(req.body, req.user!.username));
  });
  r.get('/api/cases', requireRole('designator'), async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await svc.list(q.limit));
  });
  return r;
}
