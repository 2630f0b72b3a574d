import { Router, type Request } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseFeatureInput, parseInput } from '../http';
import { AppError, ErrorCode } from '../errors';
import { parseFeatureCollection, parseZoneGeometry, type GeometryLimits } from '../geo/geojson';
import { LiftBody, ScreeningBody, ZoneCreateProps, ZoneListQuery, ZonePatchBody } from '../../../contract/schemas';
import type { ZonesService } from './zones.service';

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

/**
 * An import, all or none: every feature's geometry (geometry parser) and properties (contract
 * schema) are checked before anything is written, and a refusal names every bad feature by index.
 */
function parseImport(body: unknown, limits: GeometryLimits) {
  const parsed = parseFeatureCollection(body, parseZoneGeometry, limits, 2000);
  const errors: { index: number; code: string; message: string }[] = [];
  const features = parsed.map((f, index) => {
    const r = ZoneCreateProps.safeParse(f.properties);
    if (!r.success) errors.push({ index, code: ErrorCode.validation, message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return { geometry: f.geometry, properties: r.success ? r.data : null };
  });
  if (errors.length) throw new AppError('feature_collection_invalid', 400, `${errors.length} feature(s) cannot be imported; nothing was imported.`, { errors });
  return features.map((f) => ({ geometry: f.geometry, properties: f.properties! }));
}

/** Designators' zone API: drafts, edits, lifts, screenings, history. */
export function zonesRoutes(deps: { zones: ZonesService; limits: GeometryLimits }): Router {
  const r = Router();
  const svc = deps.zones;
  const designator = requireRole('designator');

  r.get('/api/zones', designator, async (req, res) => {
    const q = parseInput(ZoneListQuery, req.query);
    res.json(await svc.list(q.status));
  });
  r.post('/api/zones', designator, async (req, res) => {
    const input = parseFeatureInput(req.body, parseZoneGeometry, deps.limits, ZoneCreateProps);
    const { feature, warnings } = await svc.create(input, req.user!.username);
    res.status(201).set('ETag', `"${feature.properties.version}"`).json({ ...feature, warnings });
  });
  r.post('/api/zones/import', designator, async (req, res) => {
    res.status(201).json(await svc.importCollection(parseImport(req.body, deps.limits), req.user!.username));
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
    const ifMatch = ifMatchVersion(req, true)!;
    const body = parseInput(ZonePatchBody, req.body ?? {});
    // A null geometry is no change, as an absent one is.
    const geometry = body.geometry === undefined || body.geometry === null ? undefined : parseZoneGeometry(body.geometry, deps.limits);
    const { feature, warnings } = await svc.patch(id, ifMatch, { geometry, properties: body.properties ?? {} }, req.user!.username);
    res.set('ETag', `"${feature.properties.version}"`).json({ ...feature, warnings });
  });
  r.delete('/api/zones/:id', designator, async (req, res) => {
    await svc.remove(zoneId(req), req.user!.username, ifMatchVersion(req, false));
    res.status(204).end();
  });
  r.post('/api/zones/:id/lift', designator, async (req, res) => {
    const id = zoneId(req);
    const ifMatch = ifMatchVersion(req, false);
    res.json(await svc.liftByHand(id, parseInput(LiftBody, req.body), req.user!.username, ifMatch));
  });
  r.post('/api/zones/:id/screenings', designator, async (req, res) => {
    const id = zoneId(req);
    res.status(201).json(await svc.addScreening(id, parseInput(ScreeningBody, req.body), req.user!.username));
  });
  return r;
}
