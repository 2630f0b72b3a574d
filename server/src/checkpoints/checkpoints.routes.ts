import { Router } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import type { Checkpoint } from './checkpoints.repo';

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
export function checkpointsRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.checkpoints;
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
    res.status(201).json(feature(await svc.create(req.body, req.user!.username), true));
  });
  r.patch('/api/checkpoints/:id', requireRole('coordinator'), async (req, res) => {
    res.json(feature(await svc.update(String(req.params.id), req.body, req.user!.username), true));
  });
  r.delete('/api/checkpoints/:id', requireRole('admin'), async (req, res) => {
    await svc.remove(String(req.params.id), req.user!.username);
    res.status(204).end();
  });
  return r;
}
