import type { Knex } from 'knex';
import { z } from 'zod';
import { bulletinsRepo } from './bulletins.repo';
import { bulletinText, type BulletinZone, type CountyHotlines } from './bulletin.text';
import { zonesRepo, relinkZoneCases, type ZoneRow } from '../zones/zones.repo';
import { snapshot } from '../zones/zones.service';
import { parseInput } from '../http';
import { AppError, notFound } from '../errors';
import { auditRepo } from '../audit/audit.repo';
import { todayInShanghai } from '../shared/dates';
import type { ExpiryService } from '../expiry/expiry.service';
import { ZONES_CHANGED } from '../expiry/expiry.service';
import type { ZoneKind } from '../expiry/editions';

const PublishBody = z.object({
  zoneIds: z.array(z.string().uuid('zone ids are UUIDs')).min(1, 'name at least one zone').max(500),
  title: z.string().trim().min(1, 'a bulletin needs a title').max(200),
});

export const BulletinErrors = { notPublishable: 'zone_not_publishable' } as const;

/** Bulletins: publishing drafts and pending edits together, all or none, as one numbered notice. */
export function bulletinsService(knex: Knex, deps: { expiry: ExpiryService; notify: (c: string, p: string) => Promise<void> }) {
  const repo = bulletinsRepo(knex);
  const zones = zonesRepo(knex);
  const audit = auditRepo(knex);

  /** The zone as the bulletin will publish it: a draft as is, a published zone with its pending edit. */
  const asPublished = (row: ZoneRow) => ({
    kind: (row.pending?.kind ?? row.kind) as ZoneKind,
    name: row.pending?.name ?? row.name,
    designatedOn: row.pending?.designatedOn ?? row.designated_on,
    isChange: row.status === 'published',
  });

  const lockedZones = async (trx: Knex.Transaction, ids: string[]) => {
    const unique = [...new Set(ids)];
    const rows = await zones.getMany(unique, trx);
    const missing = unique.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw notFound(`No zone ${missing.join(', ')}.`, { zoneIds: missing });
    const refused = rows.filter((r) => !(r.status === 'draft' || (r.status === 'published' && r.pending)));
    if (refused.length) {
      throw new AppError(BulletinErrors.notPublishable, 409, 'Only drafts and published zones with unpublished edits can be published; nothing was published.', {
        zoneIds: refused.map((r) => r.id),
      });
    }
    return rows;
  };

  const composeText = async (db: Knex | Knex.Transaction, number: number, title: string, rows: ZoneRow[], publishedOn: string) => {
    const names = await repo.regionNames(db);
    const bulletinZones: BulletinZone[] = rows.map((r) => ({ ...asPublished(r), countyName: r.county_code ? (names.get(r.county_code) ?? null) : null }));
    const hotlineRows = await repo.hotlinesOfCounties(db, [...new Set(rows.map((r) => r.county_code).filter((c): c is string => Boolean(c)))]);
    const byCounty = new Map<string, CountyHotlines>();
    for (const h of hotlineRows) {
      if (!byCounty.has(h.county)) byCounty.set(h.county, { county: h.county, lines: [] });
      byCounty.get(h.county)!.lines.push({ township: h.township, phones: h.phones });
    }
    return bulletinText({ number, title, publishedOn, zones: bulletinZones, hotlines: [...byCounty.values()] });
  };

  return {
    repo,
    /** The text a bulletin would have, without publishing anything. */
    async preview(body: unknown) {
      const input = parseInput(PublishBody, body);
      return knex.transaction(async (trx) => {
        const rows = await lockedZones(trx, input.zoneIds);
        const number = await repo.nextNumber(trx);
        return { number, title: input.title, text: await composeText(trx, number, input.title, rows, todayInShanghai()) };
      });
    },

    /** Publishes every named zone in one transaction, or none of them. */
    async publish(body: unknown, actor: string) {
      const input = parseInput(PublishBody, body);
      const today = todayInShanghai();
      const bulletin = await knex.transaction(async (trx) => {
        await repo.lock(trx);
        const rows = await lockedZones(trx, input.zoneIds);
        const number = await repo.nextNumber(trx);
        const text = await composeText(trx, number, input.title, rows, today);
        const b = await repo.insert(trx, { number, title: input.title, text, publishedBy: actor });
        for (const row of rows) {
          const p = row.pending;
          const kindChanged = Boolean(p?.kind && p.kind !== row.kind);
          const geometry = p?.hasGeometry && row.pending_geometry ? (JSON.parse(row.pending_geometry) as GeoJSON.MultiPolygon) : undefined;
          const ok = await zones.updateIfVersion(trx, row.id, row.version, {
            status: 'published',
            publishedAt: trx.fn.now() as unknown as Knex.Raw,
            bulletinId: b.id,
            ...(p
              ? {
                  ...(p.name !== undefined ? { name: p.name } : {}),
                  ...(p.reason !== undefined ? { reason: p.reason } : {}),
                  ...(p.designatedOn !== undefined ? { designatedOn: p.designatedOn } : {}),
                  // A kind set by hand is a new designation for the rules: they count from today.
                  ...(kindChanged ? { kind: p.kind, designatedKind: p.kind, ruleAnchorOn: today } : {}),
                  ...(geometry ? { geometry, countyCode: await zones.countyOf(geometry, trx) } : {}),
                  pending: null,
                  pendingGeometry: null,
                }
              : {}),
          });
          if (!ok) throw new AppError('version_conflict', 409, 'A zone changed while publishing; nothing was published.', { zoneId: row.id });
          if (geometry) await relinkZoneCases(trx, row.id);
          const after = (await zones.get(row.id, trx))!;
          await repo.addZone(trx, b.id, { id: row.id, version: after.version, kind: after.kind, name: after.name });
          await zones.addHistory(trx, {
            zoneId: row.id, version: after.version, by: actor, action: row.status === 'draft' ? 'published' : 'republished',
            fromKind: row.kind, toKind: after.kind, fromStatus: row.status, toStatus: 'published',
            reason: `通告第${number}号 / bulletin no. ${number}: ${input.title}`, effectiveOn: after.designated_on,
            details: { bulletinId: b.id, bulletinNumber: number }, snapshot: snapshot(after),
          });
        }
        await audit.record(trx, { actor, action: 'publish', entity: 'bulletin', entityId: String(b.id), after: { number, title: input.title, zoneIds: rows.map((r) => r.id) } });
        return { id: b.id, number, title: input.title, text, publishedAt: new Date(b.published_at).toISOString(), zoneIds: rows.map((r) => r.id) };
      });
      await deps.notify(ZONES_CHANGED, `bulletin:${bulletin.id}`);
      // Zones designated days ago may already be due a transition. The public map computes every
      // zone's state itself, so the bulletin is answered without waiting for the recording.
      deps.expiry.runSoon(today);
      return bulletin;
    },

    async get(id: number) {
      const b = await repo.get(id);
      if (!b) throw notFound(`No bulletin ${id}.`);
      return { id: Number(b.id), number: b.number, title: b.title, text: b.text, publishedAt: new Date(b.published_at).toISOString(), zones: b.zones };
    },

    async list(limit = 50) {
      const rows = await repo.list(limit);
      return rows.map((r: { id: number; number: number; title: string; published_at: Date; zone_count: number }) => ({
        id: Number(r.id), number: r.number, title: r.title, publishedAt: new Date(r.published_at).toISOString(), zoneCount: r.zone_count,
      }));
    },
  };
}
