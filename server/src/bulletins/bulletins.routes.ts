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
  // The list changes with every publication: a short cache only, revalidated after a bulletin.
  r.get(['/api/public/bulletins', '/api/public/publications'], async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=5').json(await svc.list());
  });
  r.get('/api/bulletins', requireRole('designator'), async (_req, res) => {
    res.json(await svc.list(500));
  });
  // A publication never changes once made.
  r.get(['/api/bulletins/:id', '/api/public/publications/:id'], async (req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').json(await svc.get(bulletinId(String(req.params.id))));
  });
  r.post('/api/bulletins/preview', requireRole('designator'), async (req, res) => {
    res.json(await svc.preview(req.body));
  });
  r.post('/api/bulletins', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.publish(req.body, req.user!.username));
  });
  return r;
}
