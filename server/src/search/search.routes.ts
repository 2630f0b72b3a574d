import { Router } from 'express';
import { SearchQuery } from '../../../contract/schemas/public';
import { parseInput } from '../http';
import type { SearchService } from './search.service';

/** The public search box: zones, counties, townships, hospitals, checkpoints and typed coordinates. */
export function searchRoutes(deps: { search: SearchService }): Router {
  const r = Router();
  const svc = deps.search;
  r.get('/api/public/search', async (req, res) => {
    const q = parseInput(SearchQuery, req.query);
    // The zones in force change with each publication: a short shared cache is enough.
    res.set('Cache-Control', 'public, max-age=30');
    res.json({ query: q.q, results: await svc.search(q.q) });
  });
  return r;
}
