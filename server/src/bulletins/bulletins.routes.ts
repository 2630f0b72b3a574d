import { Router, type RequestHandler } from 'express';
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
  const list: RequestHandler = async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=5').json(await svc.list());
  };
  r.get('/api/public/publications', list);
  r.get('/api/public/bulletins', list);
  r.get('/api/bulletins', requireRole('designator'), async (_req, res) => {
    res.json(await svc.list(500));
  });
  // A publication never changes once made.
  const one: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').json(await svc.get(bulletinId(String(req.params.id))));
  };
  r.get('/api/public/publications/:id', one);
  r.get('/api/bulletins/:id', one);
  r.post('/api/bulletins/preview', requireRole('designator'), async (req, res) => {
    res.json(await svc.preview(req.body));
  });
  r.post('/api/bulletins', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.publish(req.body, req.user!.username));
  });
  return r;
}
