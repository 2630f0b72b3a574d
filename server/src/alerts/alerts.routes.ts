import { Router, type Request, type Response } from 'express';
import { notFound } from '../errors';
import { notModifiedSinceRecord } from '../http';
import type { AlertsService } from './alerts.service';

const ATOM = 'application/atom+xml';
const CAP = 'application/cap+xml';

/** Alerts and feeds built from the public record (CAP 1.2, Atom). */
export function alertsRoutes(deps: { alerts: AlertsService }): Router {
  const r = Router();
  const svc = deps.alerts;

  /** A feed changes only when the record grows (`notModifiedSinceRecord`). */
  const sendFeed = async (req: Request, res: Response, build: () => Promise<string>) => {
    res.vary('Accept-Encoding');
    if (notModifiedSinceRecord(req, res, await svc.latestNumber())) return;
    res.type(ATOM).send(await build());
  };

  r.get('/cap/feed.atom', (req, res) => sendFeed(req, res, () => svc.capIndex()));
  r.get('/cap/:number.xml', async (req, res) => {
    const raw = String(req.params.number);
    if (!/^[1-9]\d{0,8}$/.test(raw)) throw notFound(`No alert ${raw}.`);
    const xml = await svc.capAlert(Number(raw));
    // An alert speaks for one publication, and publications never change.
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type(CAP).send(xml);
  });
  r.get('/feed.atom', (req, res) => sendFeed(req, res, () => svc.publicationsFeed()));
  r.get('/feed/:countyCode.atom', async (req, res) => {
    const county = await svc.county(String(req.params.countyCode));
    await sendFeed(req, res, () => svc.publicationsFeed(county));
  });
  return r;
}
