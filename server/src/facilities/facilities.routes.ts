import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { featureCollection } from '../geo/sql';
import { parseInput } from '../http';
import { FACILITY_KINDS } from './facilities.repo';
import { notFound } from '../errors';

const ListQuery = z.object({ kind: z.enum(FACILITY_KINDS).optional() });

/** GET /api/facilities (public); POST/PUT/DELETE for admins. */
export function facilitiesRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.facilities;
  const toProps = (row: Record<string, unknown>) => {
    const { geometry: _g, ...props } = row;
    return props;
  };
  r.get('/api/facilities', async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    const rows = await svc.repo.list(q.kind);
    res.set('Cache-Control', 'public, max-age=60');
    res.json(featureCollection(rows, toProps, (row) => row.id));
  });
  r.get('/api/facilities/:id', async (req, res) => {
    const row = await svc.repo.get(String(req.params.id));
    if (!row) throw notFound(`No facility ${String(req.params.id)}.`);
    res.json(featureCollection([row], toProps, (x) => x.id).features[0]);
  });
  r.post('/api/facilities', requireRole('admin'), async (req, res) => {
    res.status(201).json(await svc.create(req.body, req.user!.username));
  });
  r.put('/api/facilities/:id', requireRole('admin'), async (req, res) => {
    res.json(await svc.replace(String(req.params.id), req.body, req.user!.username));
  });
  r.delete('/api/facilities/:id', requireRole('admin'), async (req, res) => {
    await svc.remove(String(req.params.id), req.user!.username);
    res.status(204).end();
  });
  return r;
}
