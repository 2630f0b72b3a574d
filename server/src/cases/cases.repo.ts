import type { Knex } from 'knex';
import { geomFromGeoJSON } from '../geo/sql';
import type { EditionId, ZoneKind } from '../expiry/editions';

/** A zone a new case lies in, as linkToZones returns it. */
export interface LinkedZone {
  id: string;
  name: string;
  kind: ZoneKind;
  status: string;
  edition: EditionId;
  designated_on: string;
  version: number;
}

/** SQL for case reports (health data: never served to the public). */
export function casesRepo(knex: Knex) {
  return {
    async insert(trx: Knex.Transaction, c: { reportedOn: string; note: string; amongIsolated: boolean; createdBy: string; location: GeoJSON.Point }): Promise<number> {
      const [row] = await trx('cases')
        .insert({
          reported_on: c.reportedOn, note: c.note, among_isolated: c.amongIsolated, created_by: c.createdBy, geom: geomFromGeoJSON(trx, c.location),
          // The service's clock, like the record's: whether a report came late is judged against the
          // day the public record says it was, not another machine's clock.
          created_at: new Date(),
        })
        .returning('id');
      return Number(row.id);
    },
    /** The published (or lifted) zones containing a place. */
    async zonesContaining(db: Knex | Knex.Transaction, location: GeoJSON.Point): Promise<string[]> {
      const rows = await db('zones')
        .whereIn('status', ['published', 'lifted'])
        .andWhereRaw('geom && ST_GeomFromGeoJSON(?) AND ST_Intersects(geom, ST_GeomFromGeoJSON(?))', [JSON.stringify(location), JSON.stringify(location)])
        .select('id');
      return rows.map((r: { id: string }) => r.id);
    },
    /** Links a new case to every zone containing it; returns those zones. */
    async linkToZones(trx: Knex.Transaction, caseId: number): Promise<LinkedZone[]> {
      const res = await trx.raw(
        `INSERT INTO zone_cases (zone_id, case_id, reported_on, among_isolated)
         SELECT z.id, c.id, c.reported_on, c.among_isolated
         FROM cases c JOIN zones z ON z.geom && c.geom AND ST_Intersects(z.geom, c.geom)
         WHERE c.id = ?
         RETURNING zone_id`,
        [caseId],
      );
      const ids = res.rows.map((r: { zone_id: string }) => r.zone_id);
      if (ids.length === 0) return [];
      return trx('zones').select('id', 'name', 'kind', 'status', 'edition', 'designated_on', 'version').whereIn('id', ids);
    },
    async list(opts: { limit: number; since?: string }) {
      const q = knex('cases')
        .select('id', 'reported_on', 'note', 'among_isolated', 'created_by', 'created_at', knex.raw('ST_AsGeoJSON(geom) as geometry'))
        .orderBy([{ column: 'reported_on', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(opts.limit);
      if (opts.since) q.where('reported_on', '>=', opts.since);
      return q;
    },
    async perDay() {
      return knex('cases').select('reported_on as date').count<{ date: string; count: number }[]>({ count: '*' }).groupBy('reported_on').orderBy('reported_on');
    },
  };
}
