import type { Knex } from 'knex';
import { auditRepo } from './audit.repo';

/** The append-only change log, read by admins (written by each feature inside its own transaction). */
export function auditService(knex: Knex, opts: { maxPageSize: number }) {
  const repo = auditRepo(knex);
  return {
    /**
     * Entries newest first, optionally of one entity, paging back from the id `before`.
     * A page larger than the maximum (MAX_FEATURES_PER_PAGE) is served at the maximum.
     */
    list(q: { entity?: string; entityId?: string; limit: number; before?: number }) {
      return repo.list({ entity: q.entity, entityId: q.entityId, limit: Math.min(q.limit, opts.maxPageSize), beforeId: q.before });
    },
  };
}
export type AuditService = ReturnType<typeof auditService>;
