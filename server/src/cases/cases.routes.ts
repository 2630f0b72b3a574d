import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { parsePoint, type GeometryLimits } from '../geo/geojson';
import { CaseBody, CaseListQuery } from '../../../contract/schemas';
import type { CasesService } from './cases.service';

/** Case reports for designators only: cases are health data and never public. */
export function casesRoutes(deps: { cases: CasesService; limits: GeometryLimits; maxPageSize: number }): Router {
  const r = Router();
  const svc = deps.cases;
  r.post('/api/cases', requireRole('designator'), async (req, res) => {
    const input = parseInput(CaseBody, req.body);
    const location = parsePoint(input.location, deps.limits);
    res.status(201).json(await svc.record({ ...input, location }, req.user!.username));
  });
  r.get('/api/cases', requireRole('designator'), async (req, res) => {
    const q = parseInput(CaseListQuery, req.query);
    // A larger limit is served at the maximum (MAX_FEATURES_PER_PAGE), as the OGC items do.
    res.set('Cache-Control', 'no-store').json(await svc.list(Math.min(q.limit ?? deps.maxPageSize, deps.maxPageSize)));
  });
  return r;
}
