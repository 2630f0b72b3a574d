import type { Knex } from 'knex';
import type { ZoneStatusAsOf } from '../expiry/engine';
import type { ZoneFactsRow } from '../expiry/expiry.repo';
import type { EditionId, ZoneKind } from '../expiry/editions';
import { bulletinsRepo } from '../bulletins/bulletins.repo';
import { noticeText, noticeTitle, type NoticeItem, type NoticeKind } from './notice.text';
import { AppError, notFound, type ErrorCode } from '../errors';
import { todayInShanghai } from '../../../contract/dates';
import { publicationsRepo, type PublicationZoneRow } from './publications.repo';
import { changeOf, publicStateOf, samePublicState, type PublicationKind, type PublishedZoneState, type ZoneChange } from './record';

/** Postgres NOTIFY channel: a publication was appended (payload: its number). */
export const PUBLISHED = 'publications';

export const PublicationErrors = {
  ruleAlreadyMet: 'zone_rule_already_met',
  correctsUnknown: 'corrected_publication_unknown',
} as const satisfies Record<string, ErrorCode>;

/** What the designator's own act publishes, when the reconciliation is caused by one. */
export type PrimaryPublication =
  | {
      kind: 'bulletin' | 'correction';
      zoneIds: string[];
      title: string;
      bulletinId: (number: number) => Promise<number>;
      text: (number: number) => Promise<string>;
      corrects: number | null;
    }
  | { kind: 'hand_lift'; zoneIds: string[]; reason: string };

export interface ReconcileInput {
  today: string;
  author: string;
  /** The zones evaluated (every zone of the counties concerned) and their state today. */
  rows: ZoneFactsRow[];
  statuses: Map<string, ZoneStatusAsOf>;
  primary?: PrimaryPublication;
}

export interface Published {
  number: number;
  kind: PublicationKind;
  title: string;
  zoneIds: string[];
}

interface Planned {
  zoneId: string;
  row: ZoneFactsRow;
  st: ZoneStatusAsOf;
  before: { inForce: boolean; state: PublishedZoneState } | null;
  after: { inForce: boolean; state: PublishedZoneState };
  change: ZoneChange;
  effectiveOn: string;
  withGeometry: boolean;
}

/**
 * The public record: every change the public can see becomes a numbered publication here, in the
 * same transaction as the change itself, with the state of each zone it changed.
 */
export function publicationsService(knex: Knex, deps: { notify: (channel: string, payload: string) => Promise<void> }) {
  const repo = publicationsRepo(knex);
  const bulletins = bulletinsRepo(knex);


  /** The date a change of the engine's takes effect: its rule's date, never before it is published. */
  const effectiveOf = (st: ZoneStatusAsOf, change: ZoneChange, today: string): string => {
    let on = today;
    if (change === 'lifted' && st.liftedOn) on = st.liftedOn;
    else if (change === 'kind_changed' && st.transitions.length) on = st.transitions.at(-1)!.effectiveOn;
    return on > today ? on : today;
  };

  const noticeItem = (p: Planned, countyName: string | null, reason: string | null): NoticeItem => {
    const last = p.st.transitions.at(-1);
    return {
      zoneName: p.after.state.name,
      countyName,
      edition: p.after.state.edition as EditionId,
      fromKind: p.before?.inForce ? p.before.state.kind : null,
      toKind: p.after.inForce ? p.after.state.kind : null,
      effectiveOn: p.effectiveOn,
      rule:
        (p.change === 'lifted' || p.change === 'kind_changed') && last && !last.rule.startsWith('manual/')
          ? { id: last.rule, caseFreeDays: last.caseFreeDays, requiredCaseFreeDays: last.requiredCaseFreeDays ?? null, screeningOn: last.screeningOn ?? null, lastCaseOn: p.st.lastCaseOn }
          : null,
      reason,
      nextChangeOn: p.after.inForce ? p.after.state.nextChangeOn : null,
      lastCaseOn: p.after.inForce ? p.after.state.lastCaseOn : p.st.lastCaseOn,
    };
  };

  return {
    repo,

    /**
     * Compares what the public was last told of each evaluated zone with its state today and
     * appends what differs as publications: first the designator's own (bulletin, correction, lift
     * by hand), then the engine's rule transitions, reopenings and updates. Call inside the
     * transaction that changed the facts, after `lock`. Refuses a bulletin that would publish a
     * zone its own rule already lifts or steps down today.
     */
    async reconcile(trx: Knex.Transaction, input: ReconcileInput): Promise<Published[]> {
      const { today, rows, statuses, primary } = input;
      const primaryIds = new Set(primary?.zoneIds ?? []);
      const previous = new Map((await repo.entriesAt(null, trx, rows.map((r) => r.id))).map((e) => [e.zone_id, e]));
      const now = new Date();
      const nowIso = now.toISOString();

      if (primary && primary.kind !== 'hand_lift') {
        const refused = rows
          .filter((r) => primaryIds.has(r.id))
          .flatMap((r) => {
            const st = statuses.get(r.id);
            if (st?.inForce && st.kind === r.kind) return [];
            return [{ zoneId: r.id, name: r.name, kind: r.kind, byRule: st?.inForce ? st.kind : null, liftedOn: st?.liftedOn ?? null }];
          });
        if (refused.length) {
          throw new AppError(
            PublicationErrors.ruleAlreadyMet,
            409,
            'By the rule of its edition, a zone in this bulletin has already had the case-free days that lift or step it down: it would be published and changed at once. Set its designation date to when its count really starts, or leave it out. Nothing was published.',
            { zones: refused },
          );
        }
      }

      const planned: Planned[] = [];
      for (const row of rows) {
        const st = statuses.get(row.id);
        if (!st) continue;
        const prev = previous.get(row.id);
        const before = prev ? { inForce: prev.in_force, state: prev.state } : null;
        const isPrimary = primaryIds.has(row.id);
        const publishedAt = isPrimary && primary!.kind !== 'hand_lift' ? nowIso : (prev?.state.publishedAt ?? (row.published_at ? new Date(row.published_at).toISOString() : null));
        const after = publicStateOf(row, st, publishedAt, prev?.state.kind ?? row.kind);
        if (!isPrimary && samePublicState(before, after)) continue;
        let change = changeOf(before, after);
        if (isPrimary && primary!.kind !== 'hand_lift' && before?.inForce) change = 'changed';
        planned.push({
          zoneId: row.id, row, st, before, after, change,
          effectiveOn: isPrimary ? today : effectiveOf(st, change, today),
          withGeometry: !prev || (isPrimary && primary!.kind !== 'hand_lift'),
        });
      }
      if (!planned.length) return [];

      const geometries = await repo.geometriesOf(trx, planned.filter((p) => p.withGeometry).map((p) => p.zoneId));
      const names = await bulletins.regionNames(trx);
      const groups: { kind: PublicationKind; items: Planned[] }[] = [];
      if (primary) groups.push({ kind: primary.kind, items: planned.filter((p) => primaryIds.has(p.zoneId)) });
      const rest = planned.filter((p) => !primaryIds.has(p.zoneId));
      const engineKinds: [NoticeKind, (p: Planned) => boolean][] = [
        ['rule_transition', (p) => p.change === 'lifted' || p.change === 'kind_changed'],
        ['reopening', (p) => p.change === 'reopened'],
        ['update', (p) => p.change === 'dates' || p.change === 'designated'],
      ];
      for (const [kind, test] of engineKinds) {
        const items = rest.filter(test);
        if (items.length) groups.push({ kind, items });
      }

      const out: Published[] = [];
      let number = await repo.nextNumber(trx);
      const publishedOn = todayInShanghai(now);
      for (const group of groups) {
        const countyOf = (p: Planned) => (p.row.county_code ? (names.get(p.row.county_code) ?? null) : null);
        let title: string;
        let text: string;
        let bulletinId: number | null = null;
        let corrects: number | null = null;
        let author = input.author;
        if (primary && (group.kind === 'bulletin' || group.kind === 'correction') && primary.kind !== 'hand_lift') {
          title = primary.title;
          corrects = primary.corrects;
          text = await primary.text(number);
          bulletinId = await primary.bulletinId(number);
        } else {
          const noticeKind = group.kind as NoticeKind;
          const reason = primary?.kind === 'hand_lift' && group.kind === 'hand_lift' ? primary.reason : null;
          const items = group.items.map((p) => noticeItem(p, countyOf(p), reason));
          title = noticeTitle(noticeKind, items).zh;
          const hotlines = await bulletins.hotlinesOfCounties(trx, group.items.map((p) => p.row.county_code));
          text = noticeText({ number, kind: noticeKind, publishedOn, items, hotlines });
          if (group.kind !== 'hand_lift') author = 'expiry';
        }
        await repo.insert(
          trx,
          { number, kind: group.kind, published_at: now, published_on: publishedOn, author, title, text, corrects, bulletin_id: bulletinId },
          group.items.map((p) => ({
            zone_id: p.zoneId,
            in_force: p.after.inForce,
            change: p.change,
            effective_on: p.effectiveOn,
            state: p.after.state,
            geometry: p.withGeometry ? (geometries.get(p.zoneId) ?? null) : null,
          })),
        );
        out.push({ number, kind: group.kind, title, zoneIds: group.items.map((p) => p.zoneId) });
        number += 1;
      }
      return out;
    },

    /** Tells every process that the record grew (after the transaction committed). */
    async announce(published: Published[]): Promise<void> {
      if (published.length) await deps.notify(PUBLISHED, String(published.at(-1)!.number));
    },

    /** Checks that a publication a correction names exists. */
    async correctedPublication(trx: Knex.Transaction, number: number) {
      const p = await repo.exists(number, trx);
      if (!p) throw new AppError(PublicationErrors.correctsUnknown, 400, `There is no publication number ${number} to correct.`, { corrects: number });
      return { number: Number(p.number), title: p.title };
    },

    /** The numbered publications, newest first. */
    async list(limit = 50) {
      const rows = await repo.list(limit);
      return rows.map((r: { number: number; kind: PublicationKind; published_at: Date; published_on: string; title: string; corrects: number | null; zone_count: number }) => ({
        id: r.number,
        number: r.number,
        kind: r.kind,
        title: r.title,
        publishedAt: new Date(r.published_at).toISOString(),
        publishedOn: r.published_on,
        corrects: r.corrects,
        zoneCount: r.zone_count,
      }));
    },

    /** One publication with its text and what it did to each zone. */
    async get(number: number) {
      const p = await repo.get(number);
      if (!p) throw notFound(`No publication ${number}.`);
      return {
        id: p.number,
        number: p.number,
        kind: p.kind,
        title: p.title,
        text: p.text,
        author: p.author === 'expiry' ? 'expiry' : 'designator',
        publishedAt: new Date(p.published_at).toISOString(),
        publishedOn: p.published_on,
        corrects: p.corrects,
        zones: p.zones.map((z: PublicationZoneRow) => ({
          id: z.zone_id,
          name: z.state.name,
          kind: z.state.kind as ZoneKind,
          inForce: z.in_force,
          change: z.change,
          effectiveOn: z.effective_on,
        })),
      };
    },
  };
}
export type PublicationsService = ReturnType<typeof publicationsService>;
