import type { Knex } from 'knex';
import type { AuditAction } from '../../../contract/vocabulary';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The append-only audit log (the table refuses UPDATE and DELETE). */
export function auditRepo(knex: Knex) {
  return {
    /** Records one change inside the caller's transaction, so the log and the change commit together. */
    async record(trx: Knex | Knex.Transaction, e: AuditEntry): Promise<void> {
      await trx('audit_log').insert({
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId ?? null,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
      });
    },
    async list(opts: { entity?: string; entityId?: string; limit: number; beforeId?: number }) {
      const q = knex('audit_log').select('*').orderBy('id', 'desc').limit(opts.limit);
      if (opts.entity) q.where('entity', opts.entity);
      if (opts.entityId) q.where('entity_id', opts.entityId);
      if (opts.beforeId) q.where('id', '<', opts.beforeId);
      return q;
    },
  };
}
