import type { Knex } from 'knex';
import type { z } from 'zod';
import { casesRepo, type LinkedZone } from './cases.repo';
import type { CaseBody } from '../../../contract/schemas';
import { caseEffect, type ZoneStatusAsOf } from '../expiry/engine';
import { zonesRepo } from '../zones/zones.repo';
import type { EditionId, ZoneKind } from '../expiry/editions';
import type { Evaluation, ExpiryService } from '../expiry/expiry.service';
import { auditRepo } from '../audit/audit.repo';
import { todayInShanghai } from '../../../contract/dates';
import { featureCollection } from '../geo/sql';
import type { Published } from '../publications/publications.service';

/** What a case among people already isolated at home does to a count it does not restart. */
const AMONG_ISOLATED = { zh: '居家隔离人员中的病例，经评估无社会面传播，不重新计算', en: 'a case among people already isolated at home does not restart the count' };

/** A case report: where (a Point the geometry parser has checked), when, and whether among the isolated. */
export type NewCase = Omit<z.output<typeof CaseBody>, 'location'> & { location: GeoJSON.Point };

/** Case reports: each restarts the count of the zones around it and may change their kind. */
export function casesService(knex: Knex, deps: { expiry: ExpiryService; afterPublish: (published: Published[]) => Promise<void> }) {
  const repo = casesRepo(knex);
  const audit = auditRepo(knex);
  const zoneHistory = zonesRepo(knex);

  /**
   * Writes the case into the history of each zone it lies in that was in force on its report
   * date, with what it did to the count: the case-free days it restarted and the expected change
   * date before and after. Written before the expiry run, so any change of kind the case causes
   * follows it in the history.
   */
  async function recordInHistory(trx: Knex.Transaction, c: {
    caseId: number; reportedOn: string; amongIsolated: boolean; actor: string; today: string;
    zones: LinkedZone[]; before: Map<string, ZoneStatusAsOf>;
  }): Promise<Evaluation> {
    // Today's state with the case counted (the new expected change date), of every zone the case
    // lies in: the expiry run that follows applies this same evaluation instead of reading it again.
    const evaluation = await deps.expiry.evaluateFor(c.today, trx, c.zones.map((z) => z.id));
    const after = evaluation.statuses;
    const inForce = c.zones.filter((z) => c.before.get(z.id)?.inForce && c.before.get(z.id)?.kind);
    await zoneHistory.addHistories(trx, inForce.map((zone) => {
      const before = c.before.get(zone.id)!;
      const now = after.get(zone.id);
      const effect = caseEffect(zone.edition, before.kind!);
      const restarted = !c.amongIsolated || effect.amongIsolatedRestarts;
      const description = restarted ? effect.description : AMONG_ISOLATED;
      return {
        zoneId: zone.id,
        version: zone.version,
        by: c.actor,
        action: 'case_recorded',
        fromKind: before.kind,
        toKind: now?.kind ?? before.kind,
        reason: `${description.zh} / ${description.en}`,
        effectiveOn: c.reportedOn,
        details: {
          caseId: c.caseId,
          reportedOn: c.reportedOn,
          amongIsolated: c.amongIsolated,
          effect: restarted ? effect.effect : 'none',
          restarted,
          caseFreeDaysBefore: before.caseFreeDays,
          nextChangeOnBefore: before.nextChangeOn,
          nextChangeOn: now?.nextChangeOn ?? null,
          nextKind: now?.nextKind ?? null,
        },
      };
    }));
    return evaluation;
  }

  return {
    repo,
    async record(input: NewCase, actor: string) {
      const { location } = input;
      const reportedOn = input.reportedOn ?? todayInShanghai();
      const today = todayInShanghai();
      // The case, its zones' new state and the publication of what the public sees change, all in
      // one transaction: the public map is never behind a recorded case.
      const { caseId, zones, run, statuses } = await knex.transaction(async (trx) => {
        await deps.expiry.lock(trx);
        // What the case means is decided by each zone's state on the report date before this case
        // (not today's: a case reported late may fall in a zone that has since stepped down).
        const { statuses } = await deps.expiry.evaluateFor(reportedOn, trx, await repo.zonesContaining(trx, location));
        const caseId = await repo.insert(trx, { reportedOn, note: input.note, amongIsolated: input.amongIsolated, createdBy: actor, location });
        const zones = await repo.linkToZones(trx, caseId);
        await audit.record(trx, { actor, action: 'create', entity: 'case', entityId: String(caseId), after: { reportedOn, amongIsolated: input.amongIsolated, location } });
        const evaluated = zones.length ? await recordInHistory(trx, { caseId, reportedOn, amongIsolated: input.amongIsolated, actor, today, zones, before: statuses }) : null;
        const run = evaluated ? await deps.expiry.applyIn(trx, today, 'expiry', { zoneIds: zones.map((z: { id: string }) => z.id), evaluated }) : null;
        return { caseId, zones, run, statuses };
      });
      if (run) await deps.afterPublish(run.published);
      const effects = zones.flatMap((z: { id: string; name: string; edition: EditionId }) => {
        const st = statuses.get(z.id);
        if (!st?.inForce || !st.kind) return [];
        const e = caseEffect(z.edition, st.kind);
        const counts = !input.amongIsolated || e.amongIsolatedRestarts;
        return [{
          zoneId: z.id,
          zoneName: z.name,
          kind: st.kind as ZoneKind,
          effect: counts ? e.effect : 'none',
          promptSealedZone: counts && e.promptSealedZone,
          message: counts ? e.description : AMONG_ISOLATED,
        }];
      });
      return {
        case: { id: caseId, reportedOn, note: input.note, amongIsolated: input.amongIsolated, location },
        effects,
        transitions: run?.transitions ?? [],
        revised: run?.revised ?? [],
        publications: run?.published ?? [],
      };
    },
    async list(limit: number) {
      const rows = await repo.list({ limit });
      return featureCollection(rows, (r) => ({ id: Number(r.id), reportedOn: r.reported_on, note: r.note, amongIsolated: r.among_isolated, createdBy: r.created_by }), (r) => Number(r.id));
    },
  };
}
export type CasesService = ReturnType<typeof casesService>;
