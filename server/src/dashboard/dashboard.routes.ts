import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import type { DashboardService } from './dashboard.service';

/** GET /api/dashboard (designators). */
export function dashboardRoutes(deps: { dashboard: DashboardService }): Router {
  const r = Router();
  r.get('/api/dashboard', requireRole('designator'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await deps.dashboard.summary());
  });
  return r;
}
