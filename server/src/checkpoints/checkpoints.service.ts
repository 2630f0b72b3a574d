import type { z } from 'zod';
import type { Knex } from 'knex';
import { checkpointsRepo, toCheckpoint, type Checkpoint } from './checkpoints.repo';
import { auditRepo } from '../audit/audit.repo';
import { conflict, notFound } from '../errors';
import type { CheckpointPatchProps } from '../../../contract/schemas';

/** An edit of a checkpoint: a new point, changed properties, or both. */
export interface CheckpointEdit {
  geometry?: GeoJSON.Point;
  properties: z.output<typeof CheckpointPatchProps>;
}

/** Checkpoints: the public sees where they are; coordinators see and keep their leaders and phones. */
export function checkpointsService(knex: Knex) {
  const repo = checkpointsRepo(knex);
  const audit = auditRepo(knex);
  return {
    repo,
    async list(): Promise<Checkpoint[]> {
      return (await repo.list()).map(toCheckpoint);
    },
    async get(id: string): Promise<Checkpoint> {
      const row = await repo.get(id);
      if (!row) throw notFound(`No checkpoint ${id}.`);
      return toCheckpoint(row);
    },
    async create(c: Checkpoint, actor: string): Promise<Checkpoint> {
      return knex.transaction(async (trx) => {
        if (await repo.get(c.id, trx)) throw conflict(`Checkpoint ${c.id} exists.`);
        await repo.insert(trx, c);
        await audit.record(trx, { actor, action: 'create', entity: 'checkpoint', entityId: c.id, after: c });
        return c;
      });
    },
    async update(id: string, edit: CheckpointEdit, actor: string): Promise<Checkpoint> {
      const { geometry, properties: patch } = edit;
      return knex.transaction(async (trx) => {
        const row = await repo.get(id, trx);
        if (!row) throw notFound(`No checkpoint ${id}.`);
        const before = toCheckpoint(row);
        const after: Checkpoint = { ...before, ...patch, ...(geometry ? { geometry } : {}) };
        await repo.update(trx, after);
        await audit.record(trx, { actor, action: 'update', entity: 'checkpoint', entityId: id, before, after });
        return after;
      });
    },
    async remove(id: string, actor: string): Promise<void> {
      await knex.transaction(async (trx) => {
        const row = await repo.get(id, trx);
        if (!row) throw notFound(`No checkpoint ${id}.`);
        await repo.remove(trx, id);
        await audit.record(trx, { actor, action: 'delete', entity: 'checkpoint', entityId: id, before: toCheckpoint(row) });
      });
    },
  };
}
export type CheckpointsService = ReturnType<typeof checkpointsService>;
