import { z } from 'zod';
import type { Knex } from 'knex';
import { facilitiesRepo, FACILITY_KINDS, type Facility } from './facilities.repo';
import { auditRepo } from '../audit/audit.repo';
import { parseFeature, parsePoint, type GeometryLimits } from '../geo/geojson';
import { parseInput } from '../http';
import { conflict, notFound } from '../errors';
import { REFERENCE_CHANGED } from '../public/lookup-reference';

const FacilityProps = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/, 'ids are 2–60 lowercase letters, digits or dashes'),
  kind: z.enum(FACILITY_KINDS),
  name: z.string().trim().min(1).max(200),
  address: z.string().max(300).nullable().default(null),
  phone: z.string().max(100).nullable().default(null),
  beds: z.number().int().min(0).max(100000).nullable().default(null),
  rooms: z.number().int().min(0).max(100000).nullable().default(null),
  approximate: z.boolean().default(false),
  placement: z.string().max(500).nullable().default(null),
  sample: z.boolean().default(false),
  note: z.string().max(1000).nullable().default(null),
  source: z.string().max(200).nullable().default(null),
});

/** Facilities: read by everyone, written by admins. */
export function facilitiesService(knex: Knex, limits: GeometryLimits, notify: (channel: string, payload: string) => Promise<void> = async () => undefined) {
  const repo = facilitiesRepo(knex);
  const audit = auditRepo(knex);
  const parse = (body: unknown, id?: string): Facility => {
    const { geometry, properties } = parseFeature(body, parsePoint, limits);
    const props = parseInput(FacilityProps, id ? { ...properties, id } : properties);
    return { ...props, geometry };
  };
  return {
    repo,
    async create(body: unknown, actor: string) {
      const f = parse(body);
      return knex.transaction(async (trx) => {
        if (await trx('facilities').where({ id: f.id }).first()) throw conflict(`Facility ${f.id} exists.`);
        await repo.insert(trx, f);
        await audit.record(trx, { actor, action: 'create', entity: 'facility', entityId: f.id, after: f });
        return f;
      }).finally(() => notify(REFERENCE_CHANGED, f.id));
    },
    async replace(id: string, body: unknown, actor: string) {
      const f = parse(body, id);
      return knex.transaction(async (trx) => {
        const before = await trx('facilities').where({ id }).first();
        if (!before) throw notFound(`No facility ${id}.`);
        await repo.update(trx, f);
        await audit.record(trx, { actor, action: 'update', entity: 'facility', entityId: id, before, after: f });
        return f;
      }).finally(() => notify(REFERENCE_CHANGED, id));
    },
    async remove(id: string, actor: string) {
      await knex.transaction(async (trx) => {
        const before = await trx('facilities').where({ id }).first();
        if (!before) throw notFound(`No facility ${id}.`);
        await repo.remove(trx, id);
        await audit.record(trx, { actor, action: 'delete', entity: 'facility', entityId: id, before });
      });
      await notify(REFERENCE_CHANGED, id);
    },
  };
}
