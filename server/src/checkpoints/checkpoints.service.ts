import { z } from 'zod';
import type { Knex } from 'knex';
import { checkpointsRepo, toCheckpoint, type Checkpoint } from './checkpoints.repo';
import { auditRepo } from '../audit/audit.repo';
import { parseFeature, parsePoint, type GeometryLimits } from '../geo/geojson';
import { parseInput } from '../http';
import { conflict, notFound } from '../errors';

const CheckpointProps = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/, 'ids are 2–60 lowercase letters, digits or dashes'),
  name: z.string().trim().min(1).max(200),
  road: z.string().trim().min(1).max(100),
  direction: z.string().trim().min(1).max(200),
  pointLeader: z.string().trim().max(100).nullable().default(null),
  phone: z.string().trim().max(50).nullable().default(null),
  sample: z.boolean().default(false),
});

const CheckpointPatch = CheckpointProps.omit({ id: true }).partial();

/** Checkpoints: the public sees where they are; coordinators see and keep their leaders and phones. */
export function checkpointsService(knex: Knex, limits: GeometryLimits) {
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
    async create(body: unknown, actor: string): Promise<Checkpoint> {
      const { geometry, properties } = parseFeature(body, parsePoint, limits);
      const c: Checkpoint = { ...parseInput(CheckpointProps, properties), geometry };
      return knex.transaction(async (trx) => {
        if (await repo.get(c.id, trx)) throw conflict(`Checkpoint ${c.id} exists.`);
        await repo.insert(trx, c);
        await audit.record(trx, { actor, action: 'create', entity: 'checkpoint', entityId: c.id, after: c });
        return c;
      });
    },
    async update(id: string, body: unknown, actor: string): Promise<Checkpoint> {
      const input = (body ?? {}) as { geometry?: unknown; properties?: unknown };
      const geometry = input.geometry === undefined ? undefined : parsePoint(input.geometry, limits);
      const patch = parseInput(CheckpointPatch, input.properties ?? {});
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
