import { Router, type RequestHandler } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { notFound } from '../errors';
import { notModifiedSinceRecord, parseInput } from '../http';
import { PublicationNumber, PublishBody } from '../../../contract/schemas';
import type { BulletinsService } from './bulletins.service';

/** A publication's number from the path; anything else names no publication (404, not 400). */
const publicationNumber = (raw: string) => {
  const n = PublicationNumber.safeParse(raw);
  if (!n.success) throw notFound(`No bulletin ${raw}.`);
  return n.data;
};

/** Bulletins: published ones are public; publishing is for designators. */
export function bulletinsRoutes(deps: { bulletins: BulletinsService }): Router {
  const r = Router();
  const svc = deps.bulletins;
  // The list changes only when the record grows (`notModifiedSinceRecord`); newest first.
  const list: RequestHandler = async (req, res) => {
    const publications = await svc.list();
    if (notModifiedSinceRecord(req, res, publications[0]?.number ?? 0)) return;
    res.json(publications);
  };
  r.get('/api/public/publications', list);
  r.get('/api/public/bulletins', list);
  r.get('/api/bulletins', requireRole('designator'), async (_req, res) => {
    res.json(await svc.list(500));
  });
  // A publication never changes once made.
  const one: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').json(await svc.get(publicationNumber(String(req.params.id))));
  };
  r.get('/api/public/publications/:id', one);
  r.get('/api/bulletins/:id', one);
  r.post('/api/bulletins/preview', requireRole('designator'), async (req, res) => {
    res.json(await svc.preview(parseInput(PublishBody, req.body)));
  });
  r.post('/api/bulletins', requireRole('designator'), async (req, res) => {
    res.status(201).json(await svc.publish(parseInput(PublishBody, req.body), req.user!.username));
  });
  return r;
}
