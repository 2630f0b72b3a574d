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

/** Zones to evaluate: these, and every zone of these counties (null: zones without a county). */
export interface EvaluationScope {
  zoneIds: string[];
  counties: (string | null)[];
}

/** SQL the expiry engine reads and writes. */
export function expiryRepo(knex: Knex) {
  return {
    /**
     * The facts of every published or lifted zone: its designation, the cases inside it (from the
     * zone_cases links) and its screening rounds, up to `asOf` when given.
     */
    async loadFacts(db: Knex | Knex.Transaction = knex, asOf?: string, scope?: EvaluationScope | null): Promise<ZoneFactsRow[]> {
      const counties = scope?.counties ?? [];
      // Without asOf every case and screening counts: a null bound date lets all rows through, so
      // the statement text never changes with the input.
      const until = asOf ?? null;
      // The engine needs each zone's distinct case dates, not every case: grouping in SQL turns a
      // million case links into at most (zones × outbreak days) dates.
      // The zones first, then only their case days and rounds: aggregating every zone's cases
      // before the filter would cost a pass over all of zone_cases for one zone's change.
      const res = await db.raw(
        `WITH scoped AS (
           -- Only the columns used below: a zone's row also holds its geometries.
           SELECT z.id, z.name, z.kind, z.designated_kind, z.status, z.edition, z.designated_on, z.rule_anchor_on, z.county_code,
                  z.lifted_on, z.lifted_by_hand, z.version, z.sample, z.published_at
           FROM zones z
           WHERE z.status IN ('published', 'lifted')
             -- Limited to some zones and whole counties: see scopeOf.
             AND (?::boolean OR z.id = ANY(?::uuid[]) OR z.county_code = ANY(?::text[]) OR (?::boolean AND z.county_code IS NULL))
         )
         SELECT z.id, z.name, z.kind, z.designated_kind, z.status, z.edition, z.designated_on,
                coalesce(z.rule_anchor_on, z.designated_on) AS anchor_on, z.county_code, z.lifted_on, z.lifted_by_hand, z.version,
                z.sample, z.published_at,
                coalesce(c.dates, '{}') AS case_dates, coalesce(c.isolated_dates, '{}') AS isolated_case_dates,
                coalesce(s.rounds, '[]'::json) AS screenings
         FROM scoped z
         LEFT JOIN (
           SELECT day.zone_id,
                  array_agg(day.reported_on::text) FILTER (WHERE NOT day.among_isolated) AS dates,
                  array_agg(day.reported_on::text) FILTER (WHERE day.among_isolated) AS isolated_dates
           FROM (
             SELECT zc.zone_id, zc.among_isolated, zc.reported_on
             FROM zone_cases zc JOIN scoped ON scoped.id = zc.zone_id
             WHERE ?::date IS NULL OR zc.reported_on <= ?::date
             GROUP BY zc.zone_id, zc.among_isolated, zc.reported_on
           ) AS day
           GROUP BY day.zone_id
         ) c ON c.zone_id = z.id
         LEFT JOIN (
           SELECT sr.zone_id, json_agg(json_build_object('on', sr.screened_on, 'negative', sr.negative)) AS rounds
           FROM screenings sr JOIN scoped ON scoped.id = sr.zone_id
           WHERE ?::date IS NULL OR sr.screened_on <= ?::date
           GROUP BY sr.zone_id
         ) s ON s.zone_id = z.id
         ORDER BY z.id`,
        [!scope, scope?.zoneIds ?? [], counties.filter((c) => c !== null), counties.includes(null), until, until, until, until],
      );
      return res.rows;
    },
    /**
     * What must be evaluated when some zones' facts change: the zones themselves and, in a county
     * holding a zone whose lift waits for the other zones of its county (`cascadeKinds` of an
     * edition with a county cascade: protocol-8's precaution zones), the whole county, since those
     * zones' timelines depend on every zone there. Everything else depends on its own facts only.
     */
    async scopeOf(db: Knex | Knex.Transaction, zoneIds: string[], cascade: { editions: string[]; kinds: string[] }): Promise<EvaluationScope> {
      if (zoneIds.length === 0 || cascade.editions.length === 0) return { zoneIds, counties: [] };
      const res = await db.raw(
        `SELECT DISTINCT w.county_code FROM zones w
         WHERE w.status IN ('published', 'lifted') AND w.edition = ANY(?::text[]) AND w.designated_kind = ANY(?::text[])
           AND w.county_code IN (SELECT z.county_code FROM zones z WHERE z.id = ANY(?::uuid[]))`,
        [cascade.editions, cascade.kinds, zoneIds],
      );
      return { zoneIds, counties: res.rows.map((r: { county_code: string }) => r.county_code) };
    },
    /** The rule transitions already in the zones' history (zone|rule|effectiveOn), recorded once each. */
    async recordedTransitions(db: Knex | Knex.Transaction, zoneIds: string[] | null): Promise<Set<string>> {
      const res = await db.raw(
        `SELECT zone_id, rule, effective_on::text AS effective_on FROM zone_history
         WHERE action = 'rule_transition' AND (?::boolean OR zone_id = ANY(?::uuid[]))`,
        [zoneIds === null, zoneIds ?? []],
      );
      return new Set(res.rows.map((r: { zone_id: string; rule: string; effective_on: string }) => `${r.zone_id}|${r.rule}|${r.effective_on}`));
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
