import type { Knex } from 'knex';
import type { PublicationKind } from '../publications/record';
import type { RecordRow } from './cap';
import type { PublicationZoneRow } from '../publications/publications.repo';

/** A publication as the alerts and feeds show it. */
export interface PublicationHead {
  number: number;
  kind: PublicationKind;
  published_at: Date;
  published_on: string;
  title: string;
  corrects: number | null;
}

export interface PublicationWithText extends PublicationHead {
  text: string;
}

/** One zone's entry in the record, newest first per zone (`nth` 1 is the latest up to the bound). */
export interface ZoneEntryRow extends Omit<PublicationZoneRow, 'geometry'> {
  nth: number;
}

const HEAD = ['p.number', 'p.kind', 'p.published_at', 'p.title', 'p.corrects'] as const;

/** Read-only SQL over the public record (and the regions the county feeds are named after). */
export function alertsRepo(knex: Knex) {
  const head = (db: Knex) => [...HEAD, db.raw('p.published_on::text AS published_on')];
  return {
    async latestNumber(): Promise<number> {
      const row = await knex('publications').max<{ n: number | null }>({ n: 'number' }).first();
      return Number(row?.n ?? 0);
    },

    async publication(number: number): Promise<PublicationHead | undefined> {
      return knex('publications as p').where('p.number', number).first(head(knex));
    },

    /** When each of some publications was sent (for the `references` of an alert). */
    async sentTimes(numbers: number[]): Promise<Map<number, Date>> {
      if (numbers.length === 0) return new Map();
      const rows: { number: number; published_at: Date }[] = await knex('publications').whereIn('number', numbers).select('number', 'published_at');
      return new Map(rows.map((r) => [Number(r.number), new Date(r.published_at)]));
    },

    /**
     * Which zones each publication after `after` and up to `through` touched, and whether it left them
     * in force: all the alert planner folds. Read in publication order off the primary key.
     */
    async recordRows(after: number, through: number): Promise<RecordRow[]> {
      const rows: { publication: number; zone_id: string; in_force: boolean }[] = await knex('publication_zones')
        .where('publication', '>', after)
        .andWhere('publication', '<=', through)
        .orderBy([{ column: 'publication' }, { column: 'zone_id' }])
        .select('publication', 'zone_id', 'in_force');
      return rows.map((r) => ({ publication: Number(r.publication), zoneId: r.zone_id, inForce: r.in_force }));
    },

    /** The latest two entries of each of some zones up to publication `through` (the state it left, and the one before). */
    async lastTwoEntries(zoneIds: string[], through: number): Promise<ZoneEntryRow[]> {
      if (zoneIds.length === 0) return [];
      // Read off the publication_zones_zone index (zone_id, publication).
      const res = await knex.raw(
        `SELECT publication, zone_id, in_force, change, effective_on, state, nth FROM (
           SELECT pz.publication, pz.zone_id, pz.in_force, pz.change, pz.effective_on::text AS effective_on, pz.state,
                  row_number() OVER (PARTITION BY pz.zone_id ORDER BY pz.publication DESC)::int AS nth
           FROM publication_zones pz
           WHERE pz.zone_id = ANY(?::uuid[]) AND pz.publication <= ?
         ) e
         WHERE nth <= 2
         ORDER BY zone_id, nth`,
        [zoneIds, through],
      );
      return res.rows.map((r: ZoneEntryRow) => ({ ...r, publication: Number(r.publication), nth: Number(r.nth) }));
    },

    /** Each zone's geometry as stored in the record by publication `through` (the latest one stored). */
    async geometries(zoneIds: string[], through: number): Promise<Map<string, string>> {
      if (zoneIds.length === 0) return new Map();
      const res = await knex.raw(
        `SELECT DISTINCT ON (pz.zone_id) pz.zone_id, pz.geometry
         FROM publication_zones pz
         WHERE pz.zone_id = ANY(?::uuid[]) AND pz.publication <= ? AND pz.geometry IS NOT NULL
         ORDER BY pz.zone_id, pz.publication DESC`,
        [zoneIds, through],
      );
      return new Map(res.rows.map((r: { zone_id: string; geometry: string }) => [r.zone_id, r.geometry]));
    },

    /** The latest publications, newest first, with their text. */
    async latest(limit: number): Promise<PublicationWithText[]> {
      return knex('publications as p').select([...head(knex), 'p.text']).orderBy('p.number', 'desc').limit(limit);
    },

    /**
     * The latest publications that touched a zone of a county, newest first. The county is the zone's
     * as the working table has it now (the record keeps no county).
     */
    async latestOfCounty(countyCode: string, limit: number): Promise<PublicationWithText[]> {
      return knex('publications as p')
        .select([...head(knex), 'p.text'])
        .whereExists(
          knex('publication_zones as pz')
            .join('zones as z', 'z.id', 'pz.zone_id')
            .whereRaw('pz.publication = p.number')
            .andWhere('z.county_code', countyCode)
            .select(knex.raw('1')),
        )
        .orderBy('p.number', 'desc')
        .limit(limit);
    },

    async county(code: string): Promise<{ code: string; name: string; name_en: string } | undefined> {
      return knex('regions').where({ code }).first('code', 'name', 'name_en');
    },
  };
}
export type AlertsRepo = ReturnType<typeof alertsRepo>;
