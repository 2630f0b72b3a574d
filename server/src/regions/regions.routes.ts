import { Router } from 'express';
import type { RegionsService } from './regions.service';

/** GET /api/regions: the county-level divisions of the city; GET /api/regions/outlines: the same drawn for the overview (public). */
export function regionsRoutes(deps: { regions: RegionsService }): Router {
  const r = Router();
  r.get('/api/regions', async (_req, res) => {
    const collection = await deps.regions.all();
    res.set('Cache-Control', 'public, max-age=300');
    res.json(collection);
  });
  r.get('/api/regions/outlines', async (_req, res) => {
    const outlines = await deps.regions.outlines();
    res.set('Cache-Control', 'public, max-age=300');
    res.json(outlines);
  });
  return r;
}
