import { Router } from 'express';
import type { AppContext } from '../context';
import { featureCollection } from '../geo/sql';
import { regionsRepo } from './regions.repo';

/** GET /api/regions: the county-level divisions of the city (public). */
export function regionsRoutes(ctx: AppContext): Router {
  const r = Router();
  const repo = regionsRepo(ctx.db.reader);
  r.get('/api/regions', async (_req, res) => {
    const rows = await repo.all();
    res.set('Cache-Control', 'public, max-age=300');
    res.json(
      featureCollection(rows, (row) => ({
        code: row.code,
        name: row.name,
        nameEn: row.name_en,
        sourceName: row.source_name,
        source: row.source,
        seat: JSON.parse(row.seat).coordinates,
      }), (row) => row.code),
    );
  });
  return r;
}
