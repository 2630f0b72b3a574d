import type { Knex } from 'knex';
import { Cron } from 'croner';
import { evaluateZones, type ZoneFacts, type ZoneStatusAsOf, type Transition } from './engine';
import { expiryRepo, type EvaluationScope, type ZoneFactsRow } from './expiry.repo';
import { EDITIONS } from './editions';
import { zonesRepo } from '../zones/zones.repo';
import { auditRepo } from '../audit/audit.repo';
import { accountsRepo } from '../accounts/accounts.repo';
import { todayInShanghai } from '../../../contract/dates';
import type { EditionId } from './editions';
import type { PrimaryPublication, Published, PublicationsService } from '../publications/publications.service';

/** The editions whose zones wait for the other zones of their county, and which kinds wait. */
const COUNTY_CASCADE = {
  editions: Object.values(EDITIONS).filter((e) => e.countyCascade).map((e) => e.id as string),
  kinds: [...new Set(Object.values(EDITIONS).flatMap((e) => (e.countyCascade ? e.rules.filter((r) => r.waitsForCountyZones).map((r) => r.from) : [])))] as string[],
};

/** Turns the stored facts of a zone into the engine's input. */
export function toZoneFacts(row: ZoneFactsRow): ZoneFacts {
  return {
    id: row.id,
    kind: row.designated_kind,
    edition: row.edition as EditionId,
    designatedOn: row.anchor_on,
    countyCode: row.county_code,
    cases: [
      ...row.case_dates.map((reportedOn) => ({ reportedOn })),
      ...row.isolated_case_dates.map((reportedOn) => ({ reportedOn, amongIsolated: true })),
    ],
    screenings: row.screenings,
    liftedByHandOn: row.lifted_by_hand ? row.lifted_on : null,
  };
}

/** Some zones evaluated as of a day: their facts, their state, and the scope they were read with. */
export interface Evaluation {
  rows: ZoneFactsRow[];
  statuses: Map<string, ZoneStatusAsOf>;
  scope: EvaluationScope;
}

export interface ExpiryRunResult {
  asOf: string;
  evaluated: number;
  transitions: (Transition & { zoneName: string })[];
  revised: { zoneId: string; zoneName: string; reason: string }[];
  /** The publications the run appended to the public record (only a run for today publishes). */
  published: Published[];
}

/** The expiry engine against the database: evaluation, recorded transitions, the daily schedule. */
export function expiryService(
  knex: Knex,
  deps: { publications: PublicationsService; afterPublish: (published: Published[]) => Promise<void> },
) {
  const repo = expiryRepo(knex);
  const zones = zonesRepo(knex);
  const audit = auditRepo(knex);

  return {
    /** Evaluates every published or lifted zone as of the end of `asOf`, writing nothing. */
    async evaluate(asOf: string, db: Knex | Knex.Transaction = knex, scope?: EvaluationScope | null): Promise<{ rows: ZoneFactsRow[]; statuses: Map<string, ZoneStatusAsOf> }> {
      const rows = await repo.loadFacts(db, asOf, scope);
      return { rows, statuses: evaluateZones(rows.map(toZoneFacts), asOf) };
    },

    /** Evaluates some zones (and whatever their state depends on) as of the end of `asOf`, writing nothing. */
    async evaluateFor(asOf: string, db: Knex | Knex.Transaction, zoneIds: string[]): Promise<Evaluation> {
      const scope = await repo.scopeOf(db, zoneIds, COUNTY_CASCADE);
      if (zoneIds.length === 0) return { rows: [], statuses: new Map(), scope };
      return { ...(await this.evaluate(asOf, db, scope)), scope };
    },

    /**
     * Evaluates every zone as of `asOf` and records what changed: each rule transition once (a
     * unique index makes a repeat a no-op), the zone's new kind or lift, and a revision when a late
     * case report moved an earlier transition. Runs under an advisory lock, so two processes (or
     * two admins) running it at once produce each transition once; running it twice changes
     * nothing the second time.
     */
    /** Takes the lock everything that publishes holds; call first in the transaction. */
    lock(trx: Knex.Transaction): Promise<void> {
      return deps.publications.repo.lock(trx);
    },

    async run(asOf: string = todayInShanghai(), actor = 'expiry', scope?: { zoneIds: string[] }): Promise<ExpiryRunResult> {
      const result = await knex.transaction(async (trx) => {
        await this.lock(trx);
        return this.applyIn(trx, asOf, actor, scope);
      });
      await deps.afterPublish(result.published);
      return result;
    },

    /**
     * The body of `run`, inside a transaction that holds the publishing lock: records what the
     * rules did and, for today, publishes every difference between the public record and the
     * zones' state (with the designator's own publication first, when one caused the run).
     */
    async applyIn(
      trx: Knex.Transaction,
      asOf: string,
      actor: string,
      /** The zones concerned; `evaluated`: their evaluation as of `asOf` in this transaction, when the caller has it already. */
      scope?: { zoneIds: string[]; evaluated?: Evaluation },
      primary?: PrimaryPublication,
    ): Promise<ExpiryRunResult> {
      const result: ExpiryRunResult = { asOf, evaluated: 0, transitions: [], revised: [], published: [] };
      const today = todayInShanghai();
      const evaluationScope = scope ? (scope.evaluated?.scope ?? (await repo.scopeOf(trx, scope.zoneIds, COUNTY_CASCADE))) : null;
      const { rows, statuses } = scope?.evaluated ?? (await this.evaluate(asOf, trx, evaluationScope));
      result.evaluated = rows.length;
      // Known transitions are skipped here rather than re-inserted one by one (the unique index
      // would make each a no-op, at the price of a round trip per zone and transition).
      const known = await repo.recordedTransitions(trx, evaluationScope ? rows.map((r) => r.id) : null);
      for (const row of rows) {
        const st = statuses.get(row.id);
        if (!st) continue;
        let version = row.version;
        for (const t of st.transitions) {
          if (t.rule.startsWith('manual/') || known.has(`${row.id}|${t.rule}|${t.effectiveOn}`)) continue;
          const recorded = await zones.addHistory(trx, {
            zoneId: row.id,
            version,
            by: actor,
            action: 'rule_transition',
            fromKind: t.from,
            toKind: t.to,
            fromStatus: 'published',
            toStatus: t.to === null ? 'lifted' : 'published',
            rule: t.rule,
            reason: t.reason,
            effectiveOn: t.effectiveOn,
            details: { anchorOn: t.anchorOn, caseFreeDays: t.caseFreeDays, requiredCaseFreeDays: t.requiredCaseFreeDays, screeningOn: t.screeningOn, cascadeFrom: t.cascadeFrom, evaluatedAsOf: asOf },
          });
          if (recorded) result.transitions.push({ ...t, zoneName: row.name });
        }
        // A run for a past day records the transitions that took effect up to that day; the stored
        // state of a zone only ever moves to today's state, never back to an earlier day's.
        if (row.lifted_by_hand || asOf < today) continue;
        const targetStatus = st.inForce ? 'published' : st.designatedOn > asOf ? row.status : 'lifted';
        const targetKind = st.kind ?? row.kind;
        const targetLiftedOn = targetStatus === 'lifted' ? st.liftedOn : null;
        if (targetStatus === row.status && targetKind === row.kind && (targetLiftedOn ?? null) === (row.lifted_on ?? null)) continue;
        // A revision: a case reported late undid or moved a lift that had been recorded.
        const revision = row.status === 'lifted' && (targetStatus === 'published' || targetLiftedOn !== row.lifted_on);
        const ok = await zones.updateIfVersion(trx, row.id, version, {
          status: targetStatus,
          kind: targetKind,
          liftedOn: targetLiftedOn,
          liftReason: targetStatus === 'lifted' ? (st.transitions.at(-1)?.reason ?? null) : null,
        });
        if (!ok) continue;
        version += 1;
        const reason = revision
          ? `按补报的病例重新计算 / recomputed with a case reported late: ${targetStatus === 'lifted' ? `lifted on ${targetLiftedOn} instead of ${row.lifted_on}` : 'the zone is still in force'}`
          : `规则生效 / rule applied as of ${asOf}`;
        await zones.addHistory(trx, {
          zoneId: row.id,
          version,
          by: actor,
          action: revision ? 'rule_revised' : 'state_applied',
          fromKind: row.kind,
          toKind: targetKind,
          fromStatus: row.status,
          toStatus: targetStatus,
          reason,
          effectiveOn: targetStatus === 'lifted' ? targetLiftedOn : (st.transitions.at(-1)?.effectiveOn ?? null),
          details: { evaluatedAsOf: asOf, lastCaseOn: st.lastCaseOn },
        });
        await audit.record(trx, {
          actor,
          action: revision ? 'rule_revised' : 'rule_transition',
          entity: 'zone',
          entityId: row.id,
          before: { status: row.status, kind: row.kind, liftedOn: row.lifted_on },
          after: { status: targetStatus, kind: targetKind, liftedOn: targetLiftedOn },
        });
        if (revision) result.revised.push({ zoneId: row.id, zoneName: row.name, reason });
      }
      if (asOf === today) result.published = await deps.publications.reconcile(trx, { today, author: actor, rows, statuses, primary });
      return result;
    },

    /**
     * Runs the daily evaluation at 00:00 Asia/Shanghai. With several processes on one database
     * only the first to claim the day runs it; a process that starts after a missed midnight
     * catches up at once.
     */
    schedule(onError: (err: unknown) => void): () => void {
      const runDaily = async () => {
        const day = todayInShanghai();
        const claimed = await knex.transaction((trx) => repo.tryLockDailyRun(trx, day));
        if (!claimed) return;
        await this.run(day, 'expiry-daily');
        // Housekeeping that belongs to the same once-a-day claim: expired sessions are refused
        // anyway, their rows just go.
        await accountsRepo(knex).deleteExpiredSessions();
      };
      void runDaily().catch(onError);
      const job = new Cron('0 0 * * *', { timezone: 'Asia/Shanghai', protect: true }, () => runDaily().catch(onError));
      return () => job.stop();
    },
  };
}
export type ExpiryService = ReturnType<typeof expiryService>;
