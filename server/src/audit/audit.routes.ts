import { Router } from 'express';
import { requireRole } from '../auth/auth.middleware';
import { parseInput } from '../http';
import { AuditQuery } from '../../../contract/schemas';
import type { AuditService } from './audit.service';

/** GET /api/admin/audit: the append-only change log (admins). */
export function auditRoutes(deps: { audit: AuditService }): Router {
  const r = Router();
  r.get('/api/admin/audit', requireRole('admin'), async (req, res) => {
    res.json(await deps.audit.list(parseInput(AuditQuery, req.query)));
  });
  return r;
}
