import { Router } from 'express';
import { SearchQuery } from '../../../contract/schemas/public';
import type { AppContext } from '../context';
import { parseInput } from '../http';
import { searchService } from './search.service';

/** The public search box: zones, counties, townships, hospitals, checkpoints and typed coordinates. */
export function searchRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = searchService(ctx.db, { zones: () => ctx.services.public.zones() });
  r.get('/api/public/search', async (req, res) => {
    const q = parseInput(SearchQuery, req.query);
    // The zones in force change with each publication: a short shared cache is enough.
    res.set('Cache-Control', 'public, max-age=30');
    res.json({ query: q.q, results: await svc.search(q.q) });
  });
  return r;
}
