import type { Knex } from 'knex';
import type { z } from 'zod';
import type { PublishBody } from '../../../contract/schemas';
import { bulletinsRepo } from './bulletins.repo';
import { bulletinText, type BulletinZone } from './bulletin.text';
import { zonesRepo, relinkZoneCases, type ZoneRow } from '../zones/zones.repo';
import { snapshot } from '../zones/zones.service';
import { AppError, notFound, type ErrorCode } from '../errors';
import { auditRepo } from '../audit/audit.repo';
import { todayInShanghai } from '../../../contract/dates';
import type { ExpiryService } from '../expiry/expiry.service';
import type { EditionId, ZoneKind } from '../expiry/editions';
import type { Published, PublicationsService } from '../publications/publications.service';

/** The zones a bulletin publishes together, its title, and the publication it corrects if any. */
export type BulletinInput = z.output<typeof PublishBody>;

export const BulletinErrors = { notPublishable: 'zone_not_publishable' } as const satisfies Record<string, ErrorCode>;

/** Bulletins: publishing drafts and pending edits together, all or none, as one numbered notice. */
export function bulletinsService(
  knex: Knex,
  deps: { expiry: ExpiryService; publications: PublicationsService; afterPublish: (published: Published[]) => Promise<void> },
) {
  const repo = bulletinsRepo(knex);
  const zones = zonesRepo(knex);
  const audit = auditRepo(knex);

  /** The zone as the bulletin will publish it: a draft as is, a published zone with its pending edit. */
  const asPublished = (row: ZoneRow) => ({
    kind: (row.pending?.kind ?? row.kind) as ZoneKind,
    name: row.pending?.name ?? row.name,
    designatedOn: row.pending?.designatedOn ?? row.designated_on,
    edition: row.edition as EditionId,
    extent: row.pending?.extent ?? row.extent ?? null,
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

  const composeText = async (
    db: Knex | Knex.Transaction,
    b: { number: number; title: string; rows: ZoneRow[]; publishedOn: string; corrects: { number: number; title: string } | null; areas: Map<string, number> },
  ) => {
    const names = await repo.regionNames(db);
    const bulletinZones: BulletinZone[] = b.rows.map((r) => ({
      ...asPublished(r),
      countyName: r.county_code ? (names.get(r.county_code) ?? null) : null,
      effectiveOn: b.publishedOn,
      areaKm2: b.areas.get(r.id) ?? 0,
    }));
    const hotlines = await repo.hotlinesOfCounties(db, b.rows.map((r) => r.county_code));
    return bulletinText({ number: b.number, title: b.title, publishedOn: b.publishedOn, zones: bulletinZones, hotlines, corrects: b.corrects });
  };

  return {
    repo,
    /** The text a bulletin would have, without publishing anything. */
    async preview(input: BulletinInput) {
      return knex.transaction(async (trx) => {
        const rows = await lockedZones(trx, input.zoneIds);
        const number = await deps.publications.repo.nextNumber(trx);
        const corrects = input.corrects ? await deps.publications.correctedPublication(trx, input.corrects) : null;
        const areas = await deps.publications.repo.areasKm2(trx, rows.map((r) => r.id));
        return { number, title: input.title, text: await composeText(trx, { number, title: input.title, rows, publishedOn: todayInShanghai(), corrects, areas }) };
      });
    },

    /**
     * Publishes every named zone in one transaction, or none of them, as one numbered publication
     * of the public record (with the engine's notices for any other zone the change affects).
     */
    async publish(input: BulletinInput, actor: string) {
      const today = todayInShanghai();
      const result = await knex.transaction(async (trx) => {
        await deps.expiry.lock(trx);
        const rows = await lockedZones(trx, input.zoneIds);
        const corrects = input.corrects ? await deps.publications.correctedPublication(trx, input.corrects) : null;
        // Drafts (the usual bulletin) are published in one statement; a published zone's pending
        // edit is applied zone by zone, as it may carry a new geometry or kind.
        const drafts = rows.filter((r) => r.status === 'draft');
        if ((await zones.publishDrafts(trx, drafts)) !== drafts.length) {
          throw new AppError('version_conflict', 409, 'A zone changed while publishing; nothing was published.', { zoneIds: drafts.map((r) => r.id) });
        }
        for (const row of rows.filter((r) => r.status !== 'draft')) {
          const p = row.pending;
          const kindChanged = Boolean(p?.kind && p.kind !== row.kind);
          const geometry = p?.hasGeometry && row.pending_geometry ? (JSON.parse(row.pending_geometry) as GeoJSON.MultiPolygon) : undefined;
          const ok = await zones.updateIfVersion(trx, row.id, row.version, {
            status: 'published',
            publishedAt: trx.fn.now() as unknown as Knex.Raw,
            ...(p
              ? {
                  ...(p.name !== undefined ? { name: p.name } : {}),
                  ...(p.reason !== undefined ? { reason: p.reason } : {}),
                  ...(p.extent !== undefined ? { extent: p.extent } : {}),
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
        }
        const byId = new Map((await zones.listByIds(rows.map((r) => r.id), trx)).map((r) => [r.id, r]));
        const published = rows.map((r) => byId.get(r.id)!);
        const areas = await deps.publications.repo.areasKm2(trx, published.map((r) => r.id));
        let bulletin: { id: number; published_at: Date } | null = null;
        let text = '';
        const run = await deps.expiry.applyIn(trx, today, actor, { zoneIds: published.map((r) => r.id) }, {
          kind: corrects ? 'correction' : 'bulletin',
          zoneIds: published.map((r) => r.id),
          title: input.title,
          corrects: corrects?.number ?? null,
          text: async (number) => (text = await composeText(trx, { number, title: input.title, rows: published, publishedOn: today, corrects, areas })),
          bulletinId: async (number) => {
            bulletin = await repo.insert(trx, { number, title: input.title, text, publishedBy: actor });
            await zones.updateBulletin(trx, published.map((z) => z.id), bulletin.id);
            await repo.addZones(trx, bulletin.id, published.map((z) => ({ id: z.id, version: z.version, kind: z.kind, name: z.name })));
            return bulletin.id;
          },
        });
        const own = run.published[0];
        const b = bulletin as { id: number; published_at: Date } | null;
        if (!own || !b) throw new Error('a bulletin reconciliation published nothing');
        await zones.addHistories(
          trx,
          rows.map((row, i) => ({
            zoneId: row.id, version: published[i].version, by: actor, action: row.status === 'draft' ? 'published' : 'republished',
            fromKind: row.kind, toKind: published[i].kind, fromStatus: row.status, toStatus: 'published',
            reason: `通告第${own.number}号 / bulletin no. ${own.number}: ${input.title}`, effectiveOn: today,
            details: { bulletinId: b.id, bulletinNumber: own.number, publication: own.number }, snapshot: snapshot(published[i]),
          })),
        );
        await audit.record(trx, { actor, action: 'publish', entity: 'bulletin', entityId: String(own.number), after: { number: own.number, title: input.title, zoneIds: rows.map((r) => r.id), corrects: corrects?.number ?? null } });
        return {
          bulletin: { id: own.number, number: own.number, title: input.title, text, publishedAt: new Date(b.published_at).toISOString(), zoneIds: rows.map((r) => r.id), corrects: corrects?.number ?? null },
          published: run.published,
        };
      });
      await deps.afterPublish(result.published);
      return { ...result.bulletin, publications: result.published };
    },

    /** One publication of the record (a bulletin or a notice), by its number. */
    get(number: number) {
      return deps.publications.get(number);
    },

    /** The record's publications, newest first: bulletins and the notices of lifts and changes. */
    list(limit = 50) {
      return deps.publications.list(limit);
    },
  };
}
export type BulletinsService = ReturnType<typeof bulletinsService>;
