import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { notFound } from '../errors';
import { TRUCK_STATES } from './trucks.repo';

const truckId = (raw: unknown) => {
  const id = String(raw);
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`No truck ${id}.`);
  return id;
};
const ListQuery = z.object({ state: z.enum(TRUCK_STATES as unknown as ['reported']).optional() }).strict();

/** Coordinators: trucks, routes, the hand-over register. */
export function trucksRoutes(ctx: AppContext): Router {
  const r = Router();
  const coordinator = requireRole('coordinator');
  const svc = ctx.services.trucks;
  r.post('/api/routes', coordinator, async (req, res) => {
    res.json(await svc.route(req.body));
  });
  r.get('/api/trucks', coordinator, async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await svc.list(q.state));
  });
  r.post('/api/trucks', coordinator, async (req, res) => {
    res.status(201).json(await svc.report(req.body, req.user!.username));
  });
  r.get('/api/trucks/:id', coordinator, async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await svc.get(truckId(req.params.id)));
  });
  r.post('/api/trucks/:id/events', coordinator, async (req, res) => {
    res.status(201).json(await svc.advance(truckId(req.params.id), req.body, req.user!.username));
  });
  r.post('/api/trucks/:id/route', coordinator, async (req, res) => {
    res.json(await svc.replan(truckId(req.params.id), req.user!.username));
  });
  return r;
}
