import { Router, type Request } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { AppError, ErrorCode } from '../errors';
import { ZoneListQuery } from './zones.schemas';

/** The zone version a client last saw, from `If-Match: 3` (quotes and W/ allowed). */
function ifMatchVersion(req: Request, required: boolean): number | undefined {
  const raw = req.get('if-match');
  if (!raw) {
    if (required) throw new AppError(ErrorCode.preconditionRequired, 428, 'Send If-Match with the zone version you edited.');
    return undefined;
  }
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw new AppError(ErrorCode.validation, 400, 'If-Match must be a zone version number.');
  return Number(m[1]);
}

const zoneId = (req: Request) => {
  const id = String(req.params.id);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError(ErrorCode.notFound, 404, `No zone ${id}.`);
  return id;
};

/** Designators' zone API: drafts, edits, lifts, screenings, history. */
export function zonesRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = ctx.services.zones;
  const designator = requireRole('designator');

  r.get('/api/zones', designator, async (req, res) => {
    const q = parseInput(ZoneListQuery, req.query);
    res.json(await svc.list(q.status));
  });
  r.post('/api/zones', designator, async (req, res) => {
    const { feature, warnings } = await svc.create(req.body, req.user!.username);
    res.status(201).set('ETag', `"${feature.properties.version}"`).json({ ...feature, warnings });
  });
  r.post('/api/zones/import', designator, async (req, res) => {
    res.status(201).json(await svc.importCollection(req.body, req.user!.username));
  });
  r.get('/api/zones/export', designator, async (req, res) => {
    const q = parseInput(ZoneListQuery, req.query);
    res.set('Content-Disposition', `attachment; filename="zones-${q.status ?? 'all'}.geojson"`);
    res.type('application/geo+json').send(JSON.stringify(await svc.exportCollection(q.status)));
  });
  r.get('/api/zones/:id', designator, async (req, res) => {
    const f = await svc.get(zoneId(req));
    res.set('ETag', `"${f.properties.version}"`).json(f);
  });
  r.get('/api/zones/:id/history', designator, async (req, res) => {
    res.json(await svc.history(zoneId(req)));
  });
  r.patch('/api/zones/:id', designator, async (req, res) => {
    const id = zoneId(req);
    const { feature, warnings } = await svc.patch(id, ifMatchVersion(req, true)!, req.body, req.user!.username);
    res.set('ETag', `"${feature.properties.version}"`).json({ ...feature, warnings });
  });
  r.delete('/api/zones/:id', designator, async (req, res) => {
    await svc.remove(zoneId(req), req.user!.username, ifMatchVersion(req, false));
    res.status(204).end();
  });
  r.post('/api/zones/:id/lift', designator, async (req, res) => {
    res.json(await svc.liftByHand(zoneId(req), req.body, req.user!.username, ifMatchVersion(req, false)));
  });
  r.post('/api/zones/:id/screenings', designator, async (req, res) => {
    res.status(201).json(await svc.addScreening(zoneId(req), req.body, req.user!.username));
  });
  return r;
}
