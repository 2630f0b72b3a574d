import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { notFound } from '../errors';
import { parsePoint, type GeometryLimits } from '../geo/geojson';
import { RouteBody, TruckBody, TruckEventBody, TruckId, TruckListQuery } from '../../../contract/schemas';
import type { LonLat } from '../routing/geometry';
import type { TrucksService } from './trucks.service';

/** A truck id from the path; anything but a UUID names no truck (404, not 400). */
const truckId = (raw: unknown) => {
  const id = String(raw);
  if (!TruckId.safeParse(id).success) throw notFound(`No truck ${id}.`);
  return id;
};

/** Coordinators: trucks, routes, the hand-over register. */
export function trucksRoutes(deps: { trucks: TrucksService; limits: GeometryLimits }): Router {
  const r = Router();
  const coordinator = requireRole('coordinator');
  const svc = deps.trucks;
  const lonLat = (point: unknown) => parsePoint(point, deps.limits).coordinates as LonLat;
  r.post('/api/routes', coordinator, async (req, res) => {
    const input = parseInput(RouteBody, req.body);
    const to = lonLat(input.to);
    res.json(await svc.route({ ...input, to, from: typeof input.from === 'string' ? input.from : lonLat(input.from) }));
  });
  r.get('/api/trucks', coordinator, async (req, res) => {
    const q = parseInput(TruckListQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await svc.list(q.state));
  });
  r.post('/api/trucks', coordinator, async (req, res) => {
    const input = parseInput(TruckBody, req.body);
    const destination = parsePoint(input.destination, deps.limits);
    res.status(201).json(await svc.report({ ...input, destination }, req.user!.username));
  });
  r.get('/api/trucks/:id', coordinator, async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await svc.get(truckId(req.params.id)));
  });
  r.post('/api/trucks/:id/events', coordinator, async (req, res) => {
    const id = truckId(req.params.id);
    res.status(201).json(await svc.advance(id, parseInput(TruckEventBody, req.body), req.user!.username));
  });
  r.post('/api/trucks/:id/route', coordinator, async (req, res) => {
    res.json(await svc.replan(truckId(req.params.id), req.user!.username));
  });
  return r;
}
