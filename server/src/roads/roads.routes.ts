import { Router } from 'express';
import type { RoadsService } from './roads.service';

/** GET /api/roads: the road network for the offline base map (public). */
export function roadsRoutes(deps: { roads: RoadsService }): Router {
  const r = Router();
  r.get('/api/roads', async (_req, res) => {
    const collection = await deps.roads.forBaseMap();
    res.set('Cache-Control', 'public, max-age=300');
    res.json(collection);
  });
  return r;
}
