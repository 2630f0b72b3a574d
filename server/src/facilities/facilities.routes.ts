import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseFeatureInput, parseInput } from '../http';
import { parseFeature, parsePoint, type GeometryLimits } from '../geo/geojson';
import { FacilityInputProps, FacilityListQuery } from '../../../contract/schemas';
import type { FacilitiesService } from './facilities.service';

/** GET /api/facilities (public); POST/PUT/DELETE for admins. */
export function facilitiesRoutes(deps: { facilities: FacilitiesService; limits: GeometryLimits }): Router {
  const r = Router();
  const svc = deps.facilities;
  r.get('/api/facilities', async (req, res) => {
    const q = parseInput(FacilityListQuery, req.query);
    const collection = await svc.list(q.kind);
    res.set('Cache-Control', 'public, max-age=60');
    res.json(collection);
  });
  r.get('/api/facilities/:id', async (req, res) => {
    res.json(await svc.get(String(req.params.id)));
  });
  r.post('/api/facilities', requireRole('admin'), async (req, res) => {
    const { geometry, properties } = parseFeatureInput(req.body, parsePoint, deps.limits, FacilityInputProps);
    res.status(201).json(await svc.create({ ...properties, geometry }, req.user!.username));
  });
  r.put('/api/facilities/:id', requireRole('admin'), async (req, res) => {
    // The path names the facility; an id in the body is overridden, never a second facility.
    const { geometry, properties } = parseFeature(req.body, parsePoint, deps.limits);
    const props = parseInput(FacilityInputProps, { ...properties, id: String(req.params.id) });
    res.json(await svc.replace({ ...props, geometry }, req.user!.username));
  });
  r.delete('/api/facilities/:id', requireRole('admin'), async (req, res) => {
    await svc.remove(String(req.params.id), req.user!.username);
    res.status(204).end();
  });
  return r;
}
