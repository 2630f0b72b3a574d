import { Router } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { notFound } from '../errors';

const bulletinId = (raw: string) => {
  if (!/^\d{1,9}$/.test(raw)) throw notFound(`No bulletin ${raw}.`);
  return Number(raw);
};

/** Bulletins: published ones are public; publishing is for designators. */
export function bulletinsRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.bulletins;
  r.get('/api/public/bulletins', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=30').json(await svc.list());
  });
  r.get('/api/bulletins', requireRole('designator'), async (_req, res) => {
    res.json(await svc.list(500));
  });
  r.get('/api/bulletins/:id', async (req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await svc.get(bulletinId(String(req.params.id))));
  });
  r.post('/api/bulletins/preview', requireRole('designator'), async (req, res) => {
    res.json(await svc.preview(req.body));
  });
  r.post('/api/bulletins', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.publish(req.body, req.user!.username));
  });
  return r;
}
