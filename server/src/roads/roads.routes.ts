import { Router } from 'express';
import type { AppContext } from '../context';
import { featureCollection } from '../geo/sql';
import { roadsRepo } from './roads.repo';

/** GET /api/roads: the road network for the offline base map (public). */
export function roadsRoutes(ctx: AppContext): Router {
  const r = Router();
  const repo = roadsRepo(ctx.db.reader);
  r.get('/api/roads', async (_req, res) => {
    const rows = await repo.forBaseMap();
    res.set('Cache-Control', 'public, max-age=300');
    res.json(featureCollection(rows, (row) => ({ id: row.id, name: row.name, ref: row.ref, class: row.class, sample: row.sample }), (row) => row.id));
  });
  return r;
}
