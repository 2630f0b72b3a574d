import { Router } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { dashboardService } from './dashboard.service';

/** GET /api/dashboard (designators). */
export function dashboardRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = dashboardService(ctx.db.knex);
  r.get('/api/dashboard', requireRole('designator'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await svc.summary());
  });
  return r;
}
