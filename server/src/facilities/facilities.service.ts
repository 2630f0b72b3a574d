import type { Knex } from 'knex';
import { facilitiesRepo, type Facility, type FacilityKind } from './facilities.repo';
import { auditRepo } from '../audit/audit.repo';
import { conflict, notFound } from '../errors';
import { featureCollection } from '../geo/sql';
import { REFERENCE_CHANGED } from '../public/lookup-reference';

/** A facility row as GeoJSON: the geometry apart, every other column a property. */
const toProps = (row: Record<string, unknown>) => {
  const { geometry: _g, ...props } = row;
  return props;
};

/** Facilities: read by everyone, written by admins. */
export function facilitiesService(knex: Knex, notify: (channel: string, payload: string) => Promise<void> = async () => undefined) {
  const repo = facilitiesRepo(knex);
  const audit = auditRepo(knex);
  return {
    repo,
    /** GET /api/facilities: every facility, or those of one kind. */
    async list(kind?: FacilityKind) {
      return featureCollection(await repo.list(kind), toProps, (row) => row.id);
    },
    async get(id: string) {
      const row = await repo.get(id);
      if (!row) throw notFound(`No facility ${id}.`);
      return featureCollection([row], toProps, (x) => x.id).features[0];
    },
    async create(f: Facility, actor: string) {
      return knex.transaction(async (trx) => {
        if (await repo.get(f.id, trx)) throw conflict(`Facility ${f.id} exists.`);
        await repo.insert(trx, f);
        await audit.record(trx, { actor, action: 'create', entity: 'facility', entityId: f.id, after: f });
        return f;
      }).finally(() => notify(REFERENCE_CHANGED, f.id));
    },
    /** Replaces facility `id` (the id comes from the path, whatever the body says). */
    async replace(f: Facility, actor: string) {
      const { id } = f;
      return knex.transaction(async (trx) => {
        const before = await repo.get(id, trx);
        if (!before) throw notFound(`No facility ${id}.`);
        await repo.update(trx, f);
        await audit.record(trx, { actor, action: 'update', entity: 'facility', entityId: id, before, after: f });
        return f;
      }).finally(() => notify(REFERENCE_CHANGED, id));
    },
    async remove(id: string, actor: string) {
      await knex.transaction(async (trx) => {
        const before = await repo.get(id, trx);
        if (!before) throw notFound(`No facility ${id}.`);
        await repo.remove(trx, id);
        await audit.record(trx, { actor, action: 'delete', entity: 'facility', entityId: id, before });
      });
      await notify(REFERENCE_CHANGED, id);
    },
  };
}
export type FacilitiesService = ReturnType<typeof facilitiesService>;
