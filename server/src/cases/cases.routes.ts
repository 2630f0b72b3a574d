import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';

/** Case reports for designators only: cases are health data and never public. */
export function casesRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.cases;
  const max = ctx.config.limits.maxFeaturesPerPage;
  // A larger limit is served at the maximum (MAX_FEATURES_PER_PAGE), as the OGC items do.
  const ListQuery = z.object({ limit: z.coerce.number().int().min(1).default(max).transform((n) => Math.min(n, max)) });
  r.post('/api/cases', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.record(req.body, req.user!.username));
  });
  r.get('/api/cases', requireRole('designator'), async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await svc.list(q.limit));
  });
  return r;
}
