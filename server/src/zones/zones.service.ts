import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { zonesRepo, relinkZoneCases, type ZoneRow, type PendingEdit } from './zones.repo';
import type { z } from 'zod';
import type { LiftBody, ScreeningBody, ZoneCreateProps, ZonePatchProps } from '../../../contract/schemas';
import { AppError, ErrorCode, notFound } from '../errors';
import type { WarningCode } from '../../../contract/errors';
import { getEdition, type EditionId, type ZoneKind } from '../expiry/editions';
import { MEASURES } from '../expiry/measures';
import type { ExpiryService } from '../expiry/expiry.service';
import type { Published } from '../publications/publications.service';
import type { ZoneStatusAsOf } from '../expiry/engine';
import { auditRepo } from '../audit/audit.repo';
import { todayInShanghai } from '../../../contract/dates';

export const ZoneErrors = {
  geometryInvalid: 'geometry_invalid',
  kindNotInEdition: 'kind_not_in_edition',
  zoneLifted: 'zone_lifted',
  sealedNotNested: 'sealed_not_nested',
  geometryTooSmall: 'geometry_too_small',
  liftDatePast: 'lift_date_past',
  liftDateFuture: 'lift_date_future',
} as const satisfies Record<string, ErrorCode | WarningCode>;

export interface ZoneWarning {
  code: string;
  message: string;
}

/** A zone as the designators' API shows it, with its count from the expiry engine. */
export function zoneFeature(row: ZoneRow, st?: ZoneStatusAsOf | null) {
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry: JSON.parse(row.geometry) as GeoJSON.MultiPolygon,
    properties: {
      id: row.id,
      kind: row.kind,
      name: row.name,
      reason: row.reason,
      status: row.status,
      designatedOn: row.designated_on,
      edition: row.edition,
      version: row.version,
      countyCode: row.county_code,
      publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
      bulletinId: row.bulletin_id,
      liftedOn: row.lifted_on,
      liftReason: row.lift_reason,
      liftedByHand: row.lifted_by_hand,
      sample: row.sample,
      extent: row.extent,
      measures: MEASURES[row.kind],
      pending: row.pending
        ? { ...row.pending, geometry: row.pending_geometry ? JSON.parse(row.pending_geometry) : null }
        : null,
      lastCaseOn: st?.lastCaseOn ?? null,
      caseFreeDays: st && row.status === 'published' ? st.caseFreeDays : null,
      nextChangeOn: st?.nextChangeOn ?? null,
      nextKind: st?.nextKind ?? null,
      liftsNext: st?.liftsNext ?? false,
      waitingFor: st?.waitingFor ?? null,
      createdBy: row.created_by,
      updatedAt: new Date(row.updated_at).toISOString(),
    },
  };
}

/** Zones: designation, drafts, edits with optimistic concurrency, lifts by hand, screenings. */
export function zonesService(
  knex: Knex,
  deps: { minAreaM2: number; defaultEdition: EditionId; expiry: ExpiryService; afterPublish: (published: Published[]) => Promise<void> },
) {
  const repo = zonesRepo(knex);
  const audit = auditRepo(knex);

  const checkKindInEdition = (kind: ZoneKind, edition: EditionId) => {
    const e = getEdition(edition);
    if (!e.zoneKinds.includes(kind)) {
      throw new AppError(ZoneErrors.kindNotInEdition, 400, `The ${edition} edition has no ${kind} zones (it knows ${e.zoneKinds.join(', ')}).`, { edition, kind });
    }
  };
  // PostGIS decides validity, on the geometry as it will be served; a shape below the smallest
  // area (a setting) is refused too: it would be served as a point the designer cannot save back.
  const checkValid = async (geometry: GeoJSON.MultiPolygon, db: Knex | Knex.Transaction) => {
    const { reason, areaM2 } = await repo.validity(geometry, db);
    if (reason) throw new AppError(ZoneErrors.geometryInvalid, 400, `PostGIS finds the geometry invalid at the served precision: ${reason}.`, { reason });
    if (areaM2 < deps.minAreaM2) {
      throw new AppError(ZoneErrors.geometryTooSmall, 400, `The zone covers ${areaM2.toFixed(2)} m², less than the smallest zone (${deps.minAreaM2} m²): draw the building or compound it stands for.`, {
        areaM2,
        minAreaM2: deps.minAreaM2,
      });
    }
  };
  const nestingWarnings = async (kind: ZoneKind, geometry: GeoJSON.MultiPolygon, id: string | null, db: Knex | Knex.Transaction): Promise<ZoneWarning[]> => {
    if (kind !== 'sealed') return [];
    if (await repo.isCoveredByOuterZone(geometry, id, db)) return [];
    return [{ code: ZoneErrors.sealedNotNested, message: 'This sealed zone is not inside a controlled or precaution zone; such zones normally lie inside one.' }];
  };
  const statusToday = async (ids?: string[]) => {
    // One zone's state needs its own facts (and, for a cascading zone, its county's), not every zone's.
    const { statuses } = ids ? await deps.expiry.evaluateFor(todayInShanghai(), knex, ids) : await deps.expiry.evaluate(todayInShanghai());
    return ids ? new Map(ids.map((id) => [id, statuses.get(id) ?? null])) : statuses;
  };
  const load = async (id: string, db: Knex | Knex.Transaction = knex, forUpdate = false) => {
    const row = await repo.get(id, db, forUpdate);
    if (!row) throw notFound(`No zone ${id}.`);
    return row;
  };
  const versionConflict = async (id: string) => {
    const current = await load(id);
    return new AppError(ErrorCode.versionConflict, 409, 'Someone else changed this zone; reload it or apply your change to the current version.', {
      current: zoneFeature(current, (await statusToday([id])).get(id)),
    });
  };

  const insertDraft = async (trx: Knex.Transaction, geometry: GeoJSON.MultiPolygon, props: NewZone['properties'], actor: string) => {
    const edition = props.edition ?? deps.defaultEdition;
    checkKindInEdition(props.kind, edition);
    const id = crypto.randomUUID();
    await checkValid(geometry, trx);
    const countyCode = await repo.countyOf(geometry, trx);
    await repo.insert(trx, {
      id, kind: props.kind, name: props.name, reason: props.reason, designatedOn: props.designatedOn ?? todayInShanghai(),
      edition, countyCode, createdBy: actor, geometry, sample: props.sample, extent: props.extent ?? null,
    });
    await relinkZoneCases(trx, id);
    const row = (await repo.get(id, trx))!;
    await repo.addHistory(trx, { zoneId: id, version: 1, by: actor, action: 'created', toKind: row.kind, toStatus: 'draft', reason: row.reason, snapshot: snapshot(row) });
    await audit.record(trx, { actor, action: 'create', entity: 'zone', entityId: id, after: snapshot(row) });
    const warnings = await nestingWarnings(props.kind, geometry, id, trx);
    return { feature: zoneFeature(row, null), warnings };
  };

  return {
    repo,
    async list(status?: 'draft' | 'published' | 'lifted') {
      const [rows, statuses] = await Promise.all([repo.list(status), statusToday()]);
      return { type: 'FeatureCollection' as const, features: rows.map((r) => zoneFeature(r, statuses.get(r.id))) };
    },
    async get(id: string) {
      const row = await load(id);
      return zoneFeature(row, (await statusToday([id])).get(id));
    },
    async history(id: string) {
      await load(id);
      const [rows, screenings, statuses] = await Promise.all([repo.history(id), repo.screeningsOf(id), statusToday([id])]);
      // A rule transition recorded before a late case report moved it is kept (history is never
      // rewritten) but marked superseded: it is no longer on the zone's timeline.
      const onTimeline = new Set((statuses.get(id)?.transitions ?? []).map((t) => `${t.rule}|${t.effectiveOn}`));
      return {
        zoneId: id,
        entries: rows.map((h) => ({
          at: new Date(h.at).toISOString(),
          by: h.by,
          action: h.action,
          version: h.version,
          fromKind: h.from_kind,
          toKind: h.to_kind,
          fromStatus: h.from_status,
          toStatus: h.to_status,
          rule: h.rule,
          reason: h.reason,
          effectiveOn: h.effective_on,
          details: h.details,
          snapshot: h.snapshot,
          superseded: h.action === 'rule_transition' && !onTimeline.has(`${h.rule}|${h.effective_on}`),
        })),
        screenings,
      };
    },

    /** Creates a draft; warns when a sealed zone is not nested. */
    async create(input: NewZone, actor: string) {
      return knex.transaction((trx) => insertDraft(trx, input.geometry, input.properties, actor));
    },

    /**
     * Imports zones as drafts, all or none: a feature PostGIS or the rules refuse refuses the whole
     * import (the HTTP layer has checked every feature's geometry and properties already).
     */
    async importCollection(inputs: NewZone[], actor: string) {
      const created = await knex.transaction(async (trx) => {
        const out: { id: string; warnings: ZoneWarning[] }[] = [];
        for (const [index, f] of inputs.entries()) {
          try {
            const { feature, warnings } = await insertDraft(trx, f.geometry, f.properties, actor);
            out.push({ id: feature.id, warnings });
          } catch (err) {
            if (err instanceof AppError) throw new AppError(err.code, err.status, `Feature ${index}: ${err.message} Nothing was imported.`, { index, ...err.details });
            throw err;
          }
        }
        return out;
      });
      return { created: created.map((c) => c.id), warnings: created.flatMap((c) => c.warnings.map((w) => ({ ...w, zoneId: c.id }))) };
    },

    /** Every zone (or those of one status) as a FeatureCollection to download. */
    async exportCollection(status?: 'draft' | 'published' | 'lifted') {
      const rows = await repo.list(status);
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((r) => ({
          type: 'Feature' as const,
          id: r.id,
          geometry: JSON.parse(r.geometry),
          properties: { kind: r.kind, name: r.name, reason: r.reason, designatedOn: r.designated_on, edition: r.edition, status: r.status, sample: r.sample },
        })),
      };
    },

    /**
     * Edits a zone at the version the client last saw. A draft changes in place; a published zone
     * keeps its public state and collects the edit as pending until a bulletin publishes it.
     */
    async patch(id: string, ifMatch: number, input: ZoneEdit, actor: string) {
      const { geometry, properties: props } = input;
      if (!geometry && Object.keys(props).length === 0) throw new AppError(ErrorCode.validation, 400, 'Nothing to change: send geometry and/or properties.');
      const result = await knex.transaction(async (trx) => {
        const row = await load(id, trx, true);
        if (row.version !== ifMatch) return null;
        if (row.status === 'lifted') throw new AppError(ZoneErrors.zoneLifted, 409, 'A lifted zone cannot be edited; designate a new zone instead.');
        const kind = props.kind ?? row.pending?.kind ?? row.kind;
        const edition = (props.edition ?? row.edition) as EditionId;
        if (props.edition && row.status !== 'draft') throw new AppError(ErrorCode.validation, 400, 'A published zone keeps the edition it was designated under.');
        checkKindInEdition(kind, edition);
        if (geometry) await checkValid(geometry, trx);
        let ok: boolean;
        if (row.status === 'draft') {
          ok = await repo.updateIfVersion(trx, id, ifMatch, {
            ...props,
            designatedKind: props.kind,
            ...(geometry ? { geometry, countyCode: await repo.countyOf(geometry, trx) } : {}),
          });
          if (geometry) await relinkZoneCases(trx, id);
        } else {
          const pending: PendingEdit = { ...(row.pending ?? {}), ...props, ...(geometry ? { hasGeometry: true } : {}) };
          ok = await repo.updateIfVersion(trx, id, ifMatch, { pending, ...(geometry ? { pendingGeometry: geometry } : {}) });
        }
        if (!ok) return null;
        const after = (await repo.get(id, trx))!;
        await repo.addHistory(trx, {
          zoneId: id, version: after.version, by: actor, action: row.status === 'draft' ? 'edited' : 'edited_pending',
          fromKind: row.kind, toKind: props.kind ?? row.kind, reason: props.reason ?? null, details: { changed: [...Object.keys(props), ...(geometry ? ['geometry'] : [])] },
          snapshot: snapshot(after),
        });
        await audit.record(trx, { actor, action: 'update', entity: 'zone', entityId: id, before: snapshot(row), after: snapshot(after) });
        const warnings = await nestingWarnings(kind, geometry ?? JSON.parse(after.pending_geometry ?? after.geometry), id, trx);
        return { feature: zoneFeature(after, null), warnings };
      });
      if (!result) throw await versionConflict(id);
      return result;
    },

    /** Deletes a draft (published zones are lifted, never deleted). */
    async remove(id: string, actor: string, ifMatch?: number) {
      await knex.transaction(async (trx) => {
        const row = await load(id, trx, true);
        if (row.status !== 'draft') throw new AppError(ErrorCode.zoneNotDraft, 409, 'Only drafts can be deleted; lift a published zone instead.');
        if (ifMatch !== undefined && row.version !== ifMatch) throw await versionConflict(id);
        await repo.deleteDraft(trx, id);
        await audit.record(trx, { actor, action: 'delete', entity: 'zone', entityId: id, before: snapshot(row) });
      });
    },

    /**
     * Lifts a published zone by hand, with a reason, from today: the lift is a numbered notice in
     * the public record, and the public was told the zone was in force on every earlier day, so a
     * past date is refused. A lift announced for a later day is published on that day.
     */
    async liftByHand(id: string, input: z.output<typeof LiftBody>, actor: string, ifMatch?: number) {
      const today = todayInShanghai();
      const on = input.on ?? today;
      if (on < today) {
        throw new AppError(ZoneErrors.liftDatePast, 400, `A lift takes effect when it is published: the public was told this zone was in force until today, so it cannot be lifted from ${on}. Lift it from today (${today}).`, { on, today });
      }
      if (on > today) {
        throw new AppError(ZoneErrors.liftDateFuture, 400, `A lift by hand takes effect on the day it is published; publish it on ${on}.`, { on, today });
      }
      const out = await knex.transaction(async (trx) => {
        await deps.expiry.lock(trx);
        const row = await load(id, trx, true);
        if (row.status !== 'published') throw new AppError('zone_not_published', 409, 'Only a zone in force can be lifted.');
        if (ifMatch !== undefined && row.version !== ifMatch) return null;
        const ok = await repo.updateIfVersion(trx, id, row.version, { status: 'lifted', liftedOn: on, liftReason: input.reason, liftedByHand: true, pending: null, pendingGeometry: null });
        if (!ok) return null;
        const after = (await repo.get(id, trx))!;
        await repo.addHistory(trx, {
          zoneId: id, version: after.version, by: actor, action: 'lifted_by_hand', fromKind: row.kind, toKind: null, fromStatus: 'published', toStatus: 'lifted',
          rule: 'manual/lifted-by-hand', reason: input.reason, effectiveOn: on, snapshot: snapshot(after),
        });
        await audit.record(trx, { actor, action: 'lift', entity: 'zone', entityId: id, before: snapshot(row), after: snapshot(after) });
        const run = await deps.expiry.applyIn(trx, today, actor, { zoneIds: [id] }, { kind: 'hand_lift', zoneIds: [id], reason: input.reason });
        return { after, published: run.published };
      });
      if (!out) throw await versionConflict(id);
      await deps.afterPublish(out.published);
      return { ...zoneFeature(out.after, null), publications: out.published };
    },

    /** Records a screening round of everyone in a published zone and publishes what it changes. */
    async addScreening(id: string, input: z.output<typeof ScreeningBody>, actor: string) {
      const today = todayInShanghai();
      const run = await knex.transaction(async (trx) => {
        await deps.expiry.lock(trx);
        const row = await load(id, trx);
        if (row.status === 'draft') throw new AppError('zone_not_published', 409, 'Screening rounds are recorded for zones in force.');
        if (input.on < row.designated_on) throw new AppError(ErrorCode.validation, 400, 'The screening round is dated before the zone was designated.');
        await repo.addScreening(trx, id, input.on, input.negative, actor);
        await repo.addHistory(trx, { zoneId: id, version: row.version, by: actor, action: 'screening_recorded', reason: input.negative ? 'negative screening round' : 'screening round with positives', effectiveOn: input.on, details: input });
        await audit.record(trx, { actor, action: 'create', entity: 'screening', entityId: id, after: input });
        return deps.expiry.applyIn(trx, today, 'expiry', { zoneIds: [id] });
      });
      await deps.afterPublish(run.published);
      return { zone: await this.get(id), transitions: run.transitions.filter((t) => t.zoneId === id), publications: run.published };
    },
  };
}
export type ZonesService = ReturnType<typeof zonesService>;

/** A new zone: its geometry as the geometry parser normalised it, its properties as the contract parsed them. */
export interface NewZone {
  geometry: GeoJSON.MultiPolygon;
  properties: z.output<typeof ZoneCreateProps>;
}

/** An edit of a zone: a new geometry, changed properties, or both. */
export interface ZoneEdit {
  geometry?: GeoJSON.MultiPolygon;
  properties: z.output<typeof ZonePatchProps>;
}

/** What the history and the audit log keep of a zone at one version. */
export function snapshot(row: ZoneRow) {
  return {
    kind: row.kind,
    status: row.status,
    name: row.name,
    reason: row.reason,
    designatedOn: row.designated_on,
    edition: row.edition,
    sample: row.sample,
    version: row.version,
    liftedOn: row.lifted_on,
    pending: row.pending,
    geometry: JSON.parse(row.geometry),
    pendingGeometry: row.pending_geometry ? JSON.parse(row.pending_geometry) : null,
  };
}
