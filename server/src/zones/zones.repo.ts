import type { Knex } from 'knex';
import type { ZoneKind } from '../expiry/editions';
import type { HistoryAction, ZoneStatus } from '../../../contract/vocabulary';
import { geomFromGeoJSON } from '../geo/sql';

export type { ZoneStatus } from '../../../contract/vocabulary';

export interface ZoneRow {
  id: string;
  kind: ZoneKind;
  designated_kind: ZoneKind;
  status: ZoneStatus;
  name: string;
  reason: string;
  designated_on: string;
  rule_anchor_on: string | null;
  edition: string;
  version: number;
  county_code: string | null;
  published_at: Date | null;
  bulletin_id: number | null;
  lifted_on: string | null;
  lift_reason: string | null;
  lifted_by_hand: boolean;
  sample: boolean;
  extent: string | null;
  pending: PendingEdit | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  geometry: string;
  pending_geometry: string | null;
}

/** Unpublished edits of a published zone (the geometry is kept in its own column). */
export interface PendingEdit {
  kind?: ZoneKind;
  name?: string;
  reason?: string;
  designatedOn?: string;
  extent?: string | null;
  hasGeometry?: boolean;
}

export interface HistoryEntry {
  zoneId: string;
  version: number;
  by: string;
  action: HistoryAction;
  fromKind?: string | null;
  toKind?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  rule?: string | null;
  reason?: string | null;
  effectiveOn?: string | null;
  details?: unknown;
  snapshot?: unknown;
}

const ZONE_COLUMNS = [
  'id', 'kind', 'designated_kind', 'status', 'name', 'reason', 'designated_on', 'rule_anchor_on', 'edition', 'version',
  'county_code', 'published_at', 'bulletin_id', 'lifted_on', 'lift_reason', 'lifted_by_hand', 'sample', 'extent', 'pending', 'created_by',
  'created_at', 'updated_at',
];

/** The grid the public geometry is served on: 6 decimals of a degree, about 0.1 m. */
const SERVED_PRECISION_DEG = 1e-6;

/** SQL for zones and their history. */
export function zonesRepo(knex: Knex) {
  const select = (db: Knex | Knex.Transaction = knex) =>
    db('zones').select(
      ...ZONE_COLUMNS.map((c) => `zones.${c}`),
      db.raw('ST_AsGeoJSON(zones.geom, 7) as geometry'),
      db.raw('ST_AsGeoJSON(zones.pending_geom, 7) as pending_geometry'),
    );
  return {
    /**
     * PostGIS's own verdict on a zone geometry as the public will be served it: snapped to the
     * served precision (6 decimals, about 0.1 m) first, so a shape whose vertices coincide at that
     * precision is judged as the ring of identical points it would become. Returns the reason it is
     * invalid (null when valid; e.g. "Self-intersection[116 36]") and its area on the spheroid.
     */
    async validity(geometry: GeoJSON.Geometry, db: Knex | Knex.Transaction = knex): Promise<{ reason: string | null; areaM2: number }> {
      const row = (
        await db.raw(
          `SELECT ST_IsEmpty(s) AS empty, ST_IsValid(s) AS valid, ST_IsValidReason(s) AS reason, coalesce(ST_Area(s::geography), 0) AS area
           FROM (SELECT ST_SnapToGrid(ST_GeomFromGeoJSON(?), ?) AS s) x`,
          [JSON.stringify(geometry), SERVED_PRECISION_DEG],
        )
      ).rows[0];
      if (row.empty || row.empty === null) return { reason: 'nothing is left of the shape at the served precision (6 decimals)', areaM2: 0 };
      return { reason: row.valid ? null : String(row.reason), areaM2: Number(row.area) };
    },
    /** The county holding most of a zone: the one containing a point guaranteed on its surface. */
    async countyOf(geometry: GeoJSON.Geometry, db: Knex | Knex.Transaction = knex): Promise<string | null> {
      const row = await db('regions')
        .select('code')
        .whereRaw('ST_Intersects(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))', [JSON.stringify(geometry)])
        .first();
      return row?.code ?? null;
    },
    /**
     * Whether a sealed zone lies inside a controlled or precaution zone that is published or
     * being drafted (docs/rules.md: a sealed zone normally lies inside a controlled zone).
     */
    async isCoveredByOuterZone(geometry: GeoJSON.Geometry, exceptId: string | null, db: Knex | Knex.Transaction = knex): Promise<boolean> {
      const q = db('zones')
        .whereIn('kind', ['controlled', 'precaution'])
        .whereIn('status', ['draft', 'published'])
        .whereRaw('geom && ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [JSON.stringify(geometry)])
        .whereRaw('ST_CoveredBy(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), geom)', [JSON.stringify(geometry)])
        .first('id');
      if (exceptId) q.whereNot('id', exceptId);
      return Boolean(await q);
    },
    async insert(trx: Knex.Transaction, z: {
      id: string; kind: ZoneKind; name: string; reason: string; designatedOn: string; edition: string; countyCode: string | null;
      createdBy: string; geometry: GeoJSON.MultiPolygon; sample: boolean; extent?: string | null;
    }): Promise<void> {
      await trx('zones').insert({
        id: z.id,
        kind: z.kind,
        designated_kind: z.kind,
        status: 'draft',
        name: z.name,
        reason: z.reason,
        designated_on: z.designatedOn,
        edition: z.edition,
        county_code: z.countyCode,
        created_by: z.createdBy,
        sample: z.sample,
        extent: z.extent ?? null,
        geom: geomFromGeoJSON(trx, z.geometry),
      });
    },
    async get(id: string, db: Knex | Knex.Transaction = knex, forUpdate = false): Promise<ZoneRow | undefined> {
      const q = select(db).where('zones.id', id).first();
      if (forUpdate) q.forUpdate();
      return q;
    },
    async getMany(ids: string[], trx: Knex.Transaction): Promise<ZoneRow[]> {
      return select(trx).whereIn('zones.id', ids).orderBy('zones.id').forUpdate();
    },
    /** Several zones as they stand in this transaction (no lock: callers hold one already). */
    async listByIds(ids: string[], db: Knex | Knex.Transaction): Promise<ZoneRow[]> {
      if (ids.length === 0) return [];
      return select(db).whereIn('zones.id', ids);
    },
    async list(status?: ZoneStatus): Promise<ZoneRow[]> {
      const q = select().orderBy([{ column: 'zones.created_at', order: 'desc' }, 'zones.id']);
      if (status) q.where('zones.status', status);
      return q;
    },
    /**
     * Writes a change only if the stored version is still `expectedVersion` (optimistic
     * concurrency): returns false when someone else changed the zone first.
     */
    async updateIfVersion(trx: Knex.Transaction, id: string, expectedVersion: number, fields: {
      kind?: ZoneKind; designatedKind?: ZoneKind; name?: string; reason?: string; designatedOn?: string; ruleAnchorOn?: string | null;
      countyCode?: string | null; geometry?: GeoJSON.MultiPolygon; pending?: PendingEdit | null; pendingGeometry?: GeoJSON.MultiPolygon | null;
      status?: ZoneStatus; publishedAt?: Knex.Raw | Date; bulletinId?: number; liftedOn?: string | null; liftReason?: string | null; liftedByHand?: boolean;
      edition?: string; extent?: string | null;
    }): Promise<boolean> {
      const update: Record<string, unknown> = { version: trx.raw('version + 1'), updated_at: trx.fn.now() };
      if (fields.kind !== undefined) update.kind = fields.kind;
      if (fields.designatedKind !== undefined) update.designated_kind = fields.designatedKind;
      if (fields.name !== undefined) update.name = fields.name;
      if (fields.reason !== undefined) update.reason = fields.reason;
      if (fields.designatedOn !== undefined) update.designated_on = fields.designatedOn;
      if (fields.ruleAnchorOn !== undefined) update.rule_anchor_on = fields.ruleAnchorOn;
      if (fields.countyCode !== undefined) update.county_code = fields.countyCode;
      if (fields.edition !== undefined) update.edition = fields.edition;
      if (fields.extent !== undefined) update.extent = fields.extent;
      if (fields.geometry !== undefined) update.geom = geomFromGeoJSON(trx, fields.geometry);
      if (fields.pending !== undefined) update.pending = fields.pending === null ? null : JSON.stringify(fields.pending);
      if (fields.pendingGeometry !== undefined) update.pending_geom = fields.pendingGeometry === null ? null : geomFromGeoJSON(trx, fields.pendingGeometry);
      if (fields.status !== undefined) update.status = fields.status;
      if (fields.publishedAt !== undefined) update.published_at = fields.publishedAt;
      if (fields.bulletinId !== undefined) update.bulletin_id = fields.bulletinId;
      if (fields.liftedOn !== undefined) update.lifted_on = fields.liftedOn;
      if (fields.liftReason !== undefined) update.lift_reason = fields.liftReason;
      if (fields.liftedByHand !== undefined) update.lifted_by_hand = fields.liftedByHand;
      const n = await trx('zones').where({ id, version: expectedVersion }).update(update);
      return n === 1;
    },
    /**
     * Publishes drafts in one statement, each only if its stored version is still the one given:
     * returns how many were published (a bulletin of fifty zones is one round trip, not fifty).
     */
    async publishDrafts(trx: Knex.Transaction, zones: { id: string; version: number }[]): Promise<number> {
      if (zones.length === 0) return 0;
      const res = await trx.raw(
        `UPDATE zones z SET status = 'published', published_at = now(), updated_at = now(), version = z.version + 1, pending = NULL, pending_geom = NULL
         FROM unnest(?::uuid[], ?::int[]) AS v(id, version)
         WHERE z.id = v.id AND z.version = v.version AND z.status = 'draft'`,
        [zones.map((z) => z.id), zones.map((z) => z.version)],
      );
      return res.rowCount ?? 0;
    },
    /** How many zones there are, of any status. */
    async count(): Promise<number> {
      const row = await knex('zones').count<{ n: number }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
    /** Names the bulletin that published the zone (its version is the one the bulletin published). */
    async updateBulletin(trx: Knex.Transaction, ids: string[], bulletinId: number): Promise<void> {
      if (ids.length) await trx('zones').whereIn('id', ids).update({ bulletin_id: bulletinId });
    },
    async deleteDraft(trx: Knex.Transaction, id: string, expectedVersion?: number): Promise<number> {
      const q = trx('zones').where({ id, status: 'draft' });
      if (expectedVersion !== undefined) q.andWhere({ version: expectedVersion });
      return q.delete();
    },
    async addHistory(trx: Knex.Transaction, e: HistoryEntry): Promise<boolean> {
      return (await addHistories(trx, [e])) === 1;
    },
    /** Appends several history entries in one statement; returns how many were new. */
    addHistories,
    async history(id: string) {
      return knex('zone_history').where({ zone_id: id }).orderBy('id').select('*');
    },
    async screeningsOf(id: string) {
      return knex('screenings').where({ zone_id: id }).orderBy('screened_on').select('screened_on as on', 'negative', 'created_by', 'created_at');
    },
    async addScreening(trx: Knex.Transaction, zoneId: string, on: string, negative: boolean, by: string) {
      // Recorded on the service's clock, like the record (see casesRepo.insert).
      await trx('screenings').insert({ zone_id: zoneId, screened_on: on, negative, created_by: by, created_at: new Date() });
    },
  };
}
export type ZonesRepo = ReturnType<typeof zonesRepo>;

/** Keeps the zone_cases links of one zone in step with its geometry. */
export async function relinkZoneCases(trx: Knex.Transaction, zoneId: string): Promise<void> {
  await trx('zone_cases').where({ zone_id: zoneId }).delete();
  await trx.raw(
    `INSERT INTO zone_cases (zone_id, case_id, reported_on, among_isolated)
     SELECT z.id, c.id, c.reported_on, c.among_isolated
     FROM zones z JOIN cases c ON c.geom && z.geom AND ST_Intersects(z.geom, c.geom)
     WHERE z.id = ?`,
    [zoneId],
  );
}

/** Appends several history entries in one statement; returns how many were new. */
async function addHistories(trx: Knex.Transaction, entries: HistoryEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => ({
    zone_id: e.zoneId,
    version: e.version,
    by: e.by,
    action: e.action,
    from_kind: e.fromKind ?? null,
    to_kind: e.toKind ?? null,
    from_status: e.fromStatus ?? null,
    to_status: e.toStatus ?? null,
    rule: e.rule ?? null,
    reason: e.reason ?? null,
    effective_on: e.effectiveOn ?? null,
    details: e.details === undefined ? null : JSON.stringify(e.details),
    snapshot: e.snapshot === undefined ? null : JSON.stringify(e.snapshot),
  }));
  // Rule transitions are recorded once: the partial unique index turns a repeat into a no-op.
  const inserted = await trx('zone_history')
    .insert(rows)
    .onConflict(trx.raw("(zone_id, rule, effective_on) WHERE action = 'rule_transition'"))
    .ignore()
    .returning('id');
  return inserted.length;
}
