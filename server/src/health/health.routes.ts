import { Router } from 'express';
import type { HealthService } from './health.service';

/** GET /api/health and GET /api/config (public). */
export function healthRoutes(deps: { health: HealthService }): Router {
  const r = Router();
  r.get('/api/health', async (_req, res) => {
    const health = await deps.health.health();
    res.set('Cache-Control', 'no-store');
    res.json(health);
  });
  r.get('/api/config', (_req, res) => {
    res.json(deps.health.serviceConfig());
  });
  return r;
}
