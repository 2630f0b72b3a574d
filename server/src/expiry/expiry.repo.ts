import type { Knex } from 'knex';
import type { ZoneKind } from './editions';

export interface ZoneFactsRow {
  id: string;
  name: string;
  kind: ZoneKind;
  designated_kind: ZoneKind;
  status: 'published' | 'lifted';
  edition: string;
  designated_on: string;
  anchor_on: string;
  county_code: string | null;
  lifted_on: string | null;
  lifted_by_hand: boolean;
  version: number;
  sample: boolean;
  published_at: Date | null;
  /** Distinct report dates of the counting cases inside the zone. */
  case_dates: string[];
  /** Distinct report dates of cases among people already isolated at home. */
  isolated_case_dates: string[];
  screenings: { on: string; negative: boolean }[];
}

/** SQL the expiry engine reads and writes. */
export function expiryRepo(knex: Knex) {
  return {
    /**
     * The facts of every published or lifted zone: its designation, the cases inside it (from the
     * zone_cases links) and its screening rounds, up to `asOf` when given.
     */
    async loadFacts(db: Knex | Knex.Transaction = knex, asOf?: string, counties?: (string | null)[] | null): Promise<ZoneFactsRow[]> {
      // Without asOf every case and screening counts: a null bound date lets all rows through, so
      // the statement text never changes with the input.
      const until = asOf ?? null;
      // The engine needs each zone's distinct case dates, not every case: grouping in SQL turns a
      // million case links into at most (zones × outbreak days) dates.
      const res = await db.raw(
        `SELECT z.id, z.name, z.kind, z.designated_kind, z.status, z.edition, z.designated_on,
                coalesce(z.rule_anchor_on, z.designated_on) AS anchor_on, z.county_code, z.lifted_on, z.lifted_by_hand, z.version,
                z.sample, z.published_at,
                coalesce(c.dates, '{}') AS case_dates, coalesce(c.isolated_dates, '{}') AS isolated_case_dates,
                coalesce(s.rounds, '[]'::json) AS screenings
         FROM zones z
         LEFT JOIN (
           SELECT day.zone_id,
                  array_agg(day.reported_on::text) FILTER (WHERE NOT day.among_isolated) AS dates,
                  array_agg(day.reported_on::text) FILTER (WHERE day.among_isolated) AS isolated_dates
           FROM (
             SELECT zc.zone_id, zc.among_isolated, zc.reported_on
             FROM zone_cases zc
             WHERE ?::date IS NULL OR zc.reported_on <= ?::date
             GROUP BY zc.zone_id, zc.among_isolated, zc.reported_on
           ) AS day
           GROUP BY day.zone_id
         ) c ON c.zone_id = z.id
         LEFT JOIN (
           SELECT sr.zone_id, json_agg(json_build_object('on', sr.screened_on, 'negative', sr.negative)) AS rounds
           FROM screenings sr
           WHERE ?::date IS NULL OR sr.screened_on <= ?::date
           GROUP BY sr.zone_id
         ) s ON s.zone_id = z.id
         WHERE z.status IN ('published', 'lifted')
           -- Limited to some counties: a zone's state depends on the zones of its county only
           -- (the protocol-8 cascade), so a change is re-evaluated county by county.
           AND (?::boolean OR z.county_code = ANY(?::text[]) OR (?::boolean AND z.county_code IS NULL))
         ORDER BY z.id`,
        [until, until, until, until, !counties, (counties ?? []).filter((c) => c !== null), Boolean(counties?.includes(null))],
      );
      return res.rows;
    },
    /** The counties (null: none) of some zones. */
    async countiesOf(db: Knex | Knex.Transaction, zoneIds: string[]): Promise<(string | null)[]> {
      if (zoneIds.length === 0) return [];
      const rows = await db('zones').whereIn('id', zoneIds).distinct('county_code');
      return rows.map((r: { county_code: string | null }) => r.county_code);
    },
    async tryLockDailyRun(trx: Knex.Transaction, day: string): Promise<boolean> {
      // The daily run happens once per day across all processes: whoever records the day first runs it.
      const res = await trx.raw(
        `INSERT INTO app_state (key, value) VALUES ('expiry_daily_run', ?::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
         WHERE app_state.value->>'day' IS DISTINCT FROM ?
         RETURNING key`,
        [JSON.stringify({ day }), day],
      );
      return res.rows.length === 1;
    },
  };
}

/**
 * An arbitrary constant naming, among PostgreSQL advisory locks, the lock everything that
 * publishes takes (expiry runs, bulletins, lifts by hand): see publicationsRepo.lock.
 */
export const EXPIRY_LOCK_KEY = 4_202_211;
