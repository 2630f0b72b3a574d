import type { Knex } from 'knex';
// The expiry engine's lock: rule transitions, bulletins and lifts by hand publish one at a time.
import { EXPIRY_LOCK_KEY } from '../expiry/expiry.repo';
import type { PublicationKind, PublishedZoneState, ZoneChange } from './record';

/** One zone's entry in a publication, as stored. */
export interface PublicationZoneRow {
  publication: number;
  zone_id: string;
  in_force: boolean;
  change: ZoneChange;
  effective_on: string;
  state: PublishedZoneState;
  /** GeoJSON text; null when unchanged since the zone's previous entry. */
  geometry: string | null;
}

export interface PublicationRow {
  number: number;
  kind: PublicationKind;
  published_at: Date;
  published_on: string;
  author: string;
  title: string;
  text: string;
  corrects: number | null;
  bulletin_id: number | null;
}

/** A zone's latest entry up to some publication, with its latest geometry. */
export interface ZoneEntryRow extends PublicationZoneRow {
  geometry: string;
}

/**
 * Every zone's latest entry up to a publication (bindings: the bound and an optional list of zone
 * ids, each given three times as `bindingsOf` does): two DISTINCT ONs over (zone_id,
 * publication), both read off the publication_zones_zone index.
 */
const LATEST_ENTRIES = `
  SELECT s.publication, s.zone_id, s.in_force, s.change, s.effective_on::text AS effective_on, s.state, g.geometry
  FROM (
    SELECT DISTINCT ON (pz.zone_id) pz.publication, pz.zone_id, pz.in_force, pz.change, pz.effective_on, pz.state
    FROM publication_zones pz
    WHERE pz.publication <= ? AND (?::uuid[] IS NULL OR pz.zone_id = ANY(?::uuid[]))
    ORDER BY pz.zone_id, pz.publication DESC
  ) s
  JOIN (
    SELECT DISTINCT ON (pz.zone_id) pz.zone_id, pz.geometry
    FROM publication_zones pz
    WHERE pz.publication <= ? AND pz.geometry IS NOT NULL AND (?::uuid[] IS NULL OR pz.zone_id = ANY(?::uuid[]))
    ORDER BY pz.zone_id, pz.publication DESC
  ) g ON g.zone_id = s.zone_id`;

/** The bindings of {@link LATEST_ENTRIES}: up to `upTo` (all when null), only `zoneIds` when given. */
function bindingsOf(upTo: number | null, zoneIds: string[] | null): Knex.RawBinding[] {
  const bound = upTo ?? 2_147_483_647;
  return [bound, zoneIds, zoneIds, bound, zoneIds, zoneIds];
}

/** SQL of the public record. Nothing here updates or deletes: the tables refuse it anyway. */
export function publicationsRepo(knex: Knex) {
  return {
    /**
     * Serialises everything that publishes, across every process on this database: numbers are
     * handed out in order and each reconciliation sees the record as the one before left it.
     */
    async lock(trx: Knex.Transaction): Promise<void> {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [EXPIRY_LOCK_KEY]);
    },
    /**
     * The next number; callers hold the lock. Bulletins numbered before the record existed keep
     * their numbers, so the sequence continues after the larger of the two.
     */
    async nextNumber(trx: Knex.Transaction): Promise<number> {
      const row = (await trx.raw('SELECT greatest((SELECT max(number) FROM publications), (SELECT max(number) FROM bulletins)) AS n')).rows[0];
      return Number(row?.n ?? 0) + 1;
    },
    async latestNumber(db: Knex | Knex.Transaction = knex): Promise<number> {
      const row = await db('publications').max<{ n: number | null }>({ n: 'number' }).first();
      return Number(row?.n ?? 0);
    },
    /** The last publication that the public saw on `day` or before (0 when none). */
    async lastNumberOn(day: string, db: Knex | Knex.Transaction = knex): Promise<number> {
      const row = await db('publications').where('published_on', '<=', day).max<{ n: number | null }>({ n: 'number' }).first();
      return Number(row?.n ?? 0);
    },
    async insert(trx: Knex.Transaction, p: Omit<PublicationRow, 'published_at'> & { published_at: Date }, zones: Omit<PublicationZoneRow, 'publication'>[]): Promise<void> {
      await trx('publications').insert(p);
      for (let i = 0; i < zones.length; i += 200) {
        await trx('publication_zones').insert(
          zones.slice(i, i + 200).map((z) => ({ ...z, publication: p.number, state: JSON.stringify(z.state) })),
        );
      }
    },
    /**
     * Each zone's latest entry up to publication `upTo` (every zone ever published when null), with
     * the latest geometry it had by then. Only the zones in `zoneIds` when given.
     */
    async entriesAt(upTo: number | null, db: Knex | Knex.Transaction = knex, zoneIds?: string[]): Promise<ZoneEntryRow[]> {
      if (zoneIds && zoneIds.length === 0) return [];
      const res = await db.raw('SELECT * FROM (?) e ORDER BY e.zone_id', [db.raw(LATEST_ENTRIES, bindingsOf(upTo, zoneIds ?? null))]);
      return res.rows;
    },
    /**
     * The same entries as {@link entriesAt} (every zone's latest up to `upTo`), as one JSON text
     * of `{ publication, inForce, state, geometry }` in zone order, for a worker thread to parse:
     * thousands of rows of outlines decoded row by row by the driver held the event loop for
     * hundreds of ms when a bulletin night asked for many past days at once; one text is one copy.
     */
    async entriesJsonAt(upTo: number): Promise<string> {
      const res = await knex.raw(
        `SELECT coalesce(json_agg(json_build_object('publication', e.publication, 'inForce', e.in_force, 'state', e.state, 'geometry', e.geometry) ORDER BY e.zone_id), '[]')::text AS entries
         FROM (?) e`,
        [knex.raw(LATEST_ENTRIES, bindingsOf(upTo, null))],
      );
      return res.rows[0].entries as string;
    },
    /** Every zone entry after publication `after`, in order (what a process has not applied yet). */
    async entriesAfter(after: number, db: Knex | Knex.Transaction = knex): Promise<PublicationZoneRow[]> {
      const res = await db.raw(
        `SELECT pz.publication, pz.zone_id, pz.in_force, pz.change, pz.effective_on::text AS effective_on, pz.state, pz.geometry
         FROM publication_zones pz WHERE pz.publication > ? ORDER BY pz.publication, pz.zone_id`,
        [after],
      );
      return res.rows;
    },
    async get(number: number): Promise<(PublicationRow & { zones: PublicationZoneRow[] }) | undefined> {
      const p = await knex('publications').where({ number }).first('number', 'kind', 'published_at', knex.raw('published_on::text AS published_on'), 'author', 'title', 'text', 'corrects', 'bulletin_id');
      if (!p) return undefined;
      const zones = await knex('publication_zones')
        .where({ publication: number })
        .orderBy('zone_id')
        .select('publication', 'zone_id', 'in_force', 'change', knex.raw('effective_on::text AS effective_on'), 'state');
      return { ...p, zones };
    },
    async list(limit: number, kinds?: readonly PublicationKind[]) {
      const q = knex('publications as p')
        .select(
          'p.number', 'p.kind', 'p.published_at', knex.raw('p.published_on::text AS published_on'), 'p.title', 'p.corrects',
          knex.raw('(SELECT count(*)::int FROM publication_zones pz WHERE pz.publication = p.number) AS zone_count'),
        )
        .orderBy('p.number', 'desc')
        .limit(limit);
      if (kinds) q.whereIn('p.kind', kinds as PublicationKind[]);
      return q;
    },
    async exists(number: number, trx: Knex.Transaction): Promise<{ number: number; title: string } | undefined> {
      return trx('publications').where({ number }).first('number', 'title');
    },
    /** Area in km² of each zone (on the spheroid), for the extent line of a notice. */
    async areasKm2(trx: Knex | Knex.Transaction, zoneIds: string[]): Promise<Map<string, number>> {
      if (zoneIds.length === 0) return new Map();
      const rows = await trx('zones').whereIn('id', zoneIds).select('id', trx.raw('ST_Area(geom::geography) / 1e6 AS km2'));
      return new Map(rows.map((r: { id: string; km2: number }) => [r.id, Number(r.km2)]));
    },
    /** The public geometry of some zones as GeoJSON text (6 decimals: about 0.1 m). */
    async geometriesOf(trx: Knex | Knex.Transaction, zoneIds: string[]): Promise<Map<string, string>> {
      if (zoneIds.length === 0) return new Map();
      const rows = await trx('zones').whereIn('id', zoneIds).select('id', trx.raw('ST_AsGeoJSON(geom, 6) AS geometry'));
      return new Map(rows.map((r: { id: string; geometry: string }) => [r.id, r.geometry]));
    },
    /**
     * Why the state of `day` as now known may differ from what was published: cases reported for
     * that day or earlier but recorded after it ended, and screening rounds recorded late.
     */
    async lateFactsFor(day: string, dayEnd: Date, db: Knex | Knex.Transaction = knex) {
      const cases = await db('zone_cases as zc')
        .join('cases as c', 'c.id', 'zc.case_id')
        .where('zc.reported_on', '<=', day)
        .andWhere('c.created_at', '>=', dayEnd)
        .distinct('zc.zone_id');
      const screenings = await db('screenings').where('screened_on', '<=', day).andWhere('created_at', '>=', dayEnd).distinct('zone_id');
      return {
        lateCases: new Set<string>(cases.map((r: { zone_id: string }) => r.zone_id)),
        lateScreenings: new Set<string>(screenings.map((r: { zone_id: string }) => r.zone_id)),
      };
    },
  };
}
