import type { Knex } from 'knex';
import { z } from 'zod';
import { casesRepo } from './cases.repo';
import { parsePoint, type GeometryLimits } from '../geo/geojson';
import { parseInput } from '../http';
import { zPastOrToday } from '../zones/zones.schemas';
import { caseEffect } from '../expiry/engine';
import type { EditionId, ZoneKind } from '../expiry/editions';
import type { ExpiryService } from '../expiry/expiry.service';
import { auditRepo } from '../audit/audit.repo';
import { todayInShanghai } from '../shared/dates';
import { featureCollection } from '../geo/sql';
import type { Published } from '../publications/publications.service';

const CaseBody = z.object({
  location: z.unknown(),
  reportedOn: zPastOrToday.optional(),
  note: z.string().trim().max(2000).default(''),
  amongIsolated: z.boolean().default(false),
});

/** Case reports: each restarts the count of the zones around it and may change their kind. */
export function casesService(knex: Knex, deps: { limits: GeometryLimits; expiry: ExpiryService; afterPublish: (published: Published[]) => Promise<void> }) {
  const repo = casesRepo(knex);
  const audit = auditRepo(knex);
  return {
    repo,
    async record(body: unknown, actor: string) {
      const input = parseInput(CaseBody, body);
      const location = parsePoint(input.location, deps.limits);
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
        const run = zones.length ? await deps.expiry.applyIn(trx, today, 'expiry', { zoneIds: zones.map((z: { id: string }) => z.id) }) : null;
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
          message: counts ? e.description : { zh: '居家隔离人员中的病例，经评估无社会面传播，不重新计算', en: 'a case among people already isolated at home does not restart the count' },
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
