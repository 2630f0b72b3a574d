import type { Knex } from 'knex';
import { geomFromGeoJSON } from '../geo/sql';

export { FACILITY_KINDS, type FacilityKind } from '../../../contract/vocabulary';
import type { FacilityKind } from '../../../contract/vocabulary';

export interface Facility {
  id: string;
  kind: FacilityKind;
  name: string;
  address: string | null;
  phone: string | null;
  beds: number | null;
  rooms: number | null;
  approximate: boolean;
  placement: string | null;
  sample: boolean;
  note: string | null;
  source: string | null;
  geometry: GeoJSON.Point;
}

const COLUMNS = ['id', 'kind', 'name', 'address', 'phone', 'beds', 'rooms', 'approximate', 'placement', 'sample', 'note', 'source'];

/** SQL for hospitals, isolation sites and clinics. */
export function facilitiesRepo(knex: Knex) {
  const select = (db: Knex | Knex.Transaction = knex) => db('facilities').select(...COLUMNS, knex.raw('ST_AsGeoJSON(geom) as geometry'));
  const toRow = (f: Facility) => ({
    id: f.id,
    kind: f.kind,
    name: f.name,
    address: f.address,
    phone: f.phone,
    beds: f.beds,
    rooms: f.rooms,
    approximate: f.approximate,
    placement: f.placement,
    sample: f.sample,
    note: f.note,
    source: f.source,
    geom: geomFromGeoJSON(knex, f.geometry),
  });
  return {
    async list(kind?: FacilityKind): Promise<(Omit<Facility, 'geometry'> & { geometry: string })[]> {
      const q = select().orderBy(['kind', 'id']);
      if (kind) q.where({ kind });
      return q;
    },
    async get(id: string, db: Knex | Knex.Transaction = knex): Promise<(Omit<Facility, 'geometry'> & { geometry: string }) | undefined> {
      return select(db).where({ id }).first();
    },
    async insert(trx: Knex.Transaction, f: Facility): Promise<void> {
      await trx('facilities').insert(toRow(f));
    },
    async update(trx: Knex.Transaction, f: Facility): Promise<number> {
      const { id, ...rest } = toRow(f);
      return trx('facilities').where({ id }).update({ ...rest, updated_at: knex.fn.now() });
    },
    async remove(trx: Knex.Transaction, id: string): Promise<number> {
      return trx('facilities').where({ id }).delete();
    },
  };
}
