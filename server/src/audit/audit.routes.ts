import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { auditRepo } from './audit.repo';

/** GET /api/admin/audit: the append-only change log (admins). */
export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  const repo = auditRepo(ctx.db.knex);
  const Query = z.object({
    entity: z.string().max(40).optional(),
    entityId: z.string().max(100).optional(),
    // A larger limit is served at the maximum (MAX_FEATURES_PER_PAGE).
    limit: z.coerce.number().int().min(1).default(100).transform((n) => Math.min(n, ctx.config.limits.maxFeaturesPerPage)),
    before: z.coerce.number().int().positive().optional(),
  }).strict();
  r.get('/api/admin/audit', requireRole('admin'), async (req, res) => {
    const q = parseInput(Query, req.query);
    res.json(await repo.list({ entity: q.entity, entityId: q.entityId, limit: q.limit, beforeId: q.before }));
  });
  return r;
}
