import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseFeatureInput, parseInput } from '../http';
import { parsePoint, type GeometryLimits } from '../geo/geojson';
import { CheckpointInputProps, CheckpointPatchBody } from '../../../contract/schemas';
import type { Checkpoint } from './checkpoints.repo';
import type { CheckpointsService } from './checkpoints.service';

const feature = (c: Checkpoint, withContacts: boolean) => ({
  type: 'Feature' as const,
  id: c.id,
  geometry: c.geometry,
  properties: {
    id: c.id,
    name: c.name,
    road: c.road,
    direction: c.direction,
    sample: c.sample,
    // Point leaders' names and phones are for coordinators only.
    ...(withContacts ? { pointLeader: c.pointLeader, phone: c.phone } : {}),
  },
});

/** GET /api/checkpoints (public), GET /api/coordinator/checkpoints, and writes for coordinators. */
export function checkpointsRoutes(deps: { checkpoints: CheckpointsService; limits: GeometryLimits }): Router {
  const r = Router();
  const svc = deps.checkpoints;
  r.get('/api/checkpoints', async (_req, res) => {
    const list = await svc.list();
    res.set('Cache-Control', 'public, max-age=60');
    res.json({ type: 'FeatureCollection', features: list.map((c) => feature(c, false)) });
  });
  r.get('/api/coordinator/checkpoints', requireRole('coordinator'), async (_req, res) => {
    const list = await svc.list();
    res.json({ type: 'FeatureCollection', features: list.map((c) => feature(c, true)) });
  });
  r.post('/api/checkpoints', requireRole('coordinator'), async (req, res) => {
    const { geometry, properties } = parseFeatureInput(req.body, parsePoint, deps.limits, CheckpointInputProps);
    res.status(201).json(feature(await svc.create({ ...properties, geometry }, req.user!.username), true));
  });
  r.patch('/api/checkpoints/:id', requireRole('coordinator'), async (req, res) => {
    const body = parseInput(CheckpointPatchBody, req.body ?? {});
    const geometry = body.geometry === undefined ? undefined : parsePoint(body.geometry, deps.limits);
    res.json(feature(await svc.update(String(req.params.id), { geometry, properties: body.properties ?? {} }, req.user!.username), true));
  });
  r.delete('/api/checkpoints/:id', requireRole('admin'), async (req, res) => {
    await svc.remove(String(req.params.id), req.user!.username);
    res.status(204).end();
  });
  return r;
}
