import type { Knex } from 'knex';
import { casesRepo } from '../cases/cases.repo';
import { expiryRepo } from '../expiry/expiry.repo';
import { evaluateZones } from '../expiry/engine';
import { toZoneFacts } from '../expiry/expiry.service';
import { addDays, diffDays, todayInShanghai } from '../../../contract/dates';
import type { ZoneKind } from '../expiry/editions';

/** The longest outbreak the charts draw, in days (older days are left out, not squeezed in). */
const MAX_DAYS = 120;

/** The designators' dashboard: zones in force by kind and new cases per day, and what changes soon. */
export function dashboardService(knex: Knex) {
  const cases = casesRepo(knex);
  const expiry = expiryRepo(knex);
  return {
    async summary(dueWithinDays = 7) {
      const today = todayInShanghai();
      const [rows, perDay] = await Promise.all([expiry.loadFacts(knex, today), cases.perDay()]);
      const facts = rows.map(toZoneFacts);
      const first = [...rows.map((r) => r.designated_on), ...perDay.map((d) => d.date)].sort()[0] ?? today;
      const start = diffDays(today, first) > MAX_DAYS ? addDays(today, -MAX_DAYS) : first;
      // The engine rebuilds each day's map from the facts: the same answer the public map gives for ?asOf.
      const inForcePerDay: { date: string; sealed: number; controlled: number; precaution: number }[] = [];
      for (let d = start; d <= today; d = addDays(d, 1)) {
        const counts = { date: d, sealed: 0, controlled: 0, precaution: 0 };
        for (const st of evaluateZones(facts, d).values()) if (st.inForce && st.kind) counts[st.kind] += 1;
        inForcePerDay.push(counts);
      }
      const now = evaluateZones(facts, today);
      const names = new Map(rows.map((r) => [r.id, r.name]));
      const dueSoon = [...now.values()]
        .filter((st) => st.inForce && st.nextChangeOn && st.nextChangeOn <= addDays(today, dueWithinDays))
        .sort((a, b) => a.nextChangeOn!.localeCompare(b.nextChangeOn!))
        .map((st) => ({ zoneId: st.zoneId, name: names.get(st.zoneId) ?? '', kind: st.kind as ZoneKind, nextChangeOn: st.nextChangeOn, nextKind: st.nextKind, liftsNext: st.liftsNext, waitingFor: st.waitingFor }));
      const last = inForcePerDay.at(-1) ?? { sealed: 0, controlled: 0, precaution: 0 };
      const caseCounts = new Map(perDay.map((d) => [d.date, Number(d.count)]));
      return {
        asOf: today,
        inForceByKind: { sealed: last.sealed, controlled: last.controlled, precaution: last.precaution },
        inForcePerDay,
        casesPerDay: inForcePerDay.map((d) => ({ date: d.date, count: caseCounts.get(d.date) ?? 0 })),
        dueSoon,
      };
    },
  };
}
export type DashboardService = ReturnType<typeof dashboardService>;
