/**
 * The expiry engine: given the facts of every published zone (designation, cases inside it,
 * screening rounds, lifts by hand), works out which transitions have taken effect as of a date
 * and which one comes next. Pure: no database, no clock, no I/O; the rules come from the
 * EDITIONS table, so nothing here branches on an edition id.
 *
 * Conventions, all from docs/rules.md "Counting days" unless marked as a project decision:
 * - Days are Asia/Shanghai calendar days; internally they are day numbers (days since 1970-01-01).
 * - D (the anchor) is the later of the date the zone was designated, or last treated as
 *   designated, and the report date of its latest counting case.
 * - N case-free days are reached once D+1 … D+N have passed without a counting case; the
 *   transition takes effect at 00:00 on D+N+1. A case reported on D+N still resets the count;
 *   one reported on D+N+1 or later comes after the transition and applies to the new state.
 * - Evaluation "as of" a date uses only facts dated on or before it (cases, screening rounds,
 *   lifts by hand, designations), so evaluating a past date gives what was known at its end.
 * - Predictions (nextChangeOn) assume no new case and, where a screening round is still missing,
 *   that it is done on the earliest day still possible.
 */
import { fromDayNumber, toDayNumber } from '../../../contract/dates';
import {
  EDITIONS,
  findStepRule,
  getEdition,
  type ArrivedBy,
  type CaseEffectKind,
  type Edition,
  type EditionId,
  type StepRule,
  type ZoneKind,
} from './editions';
import { KIND_NAMES, type BilingualText } from './measures';

export type { EditionId, ZoneKind } from './editions';

/** A case reported inside the zone's geometry. */
export interface ZoneCase {
  reportedOn: string;
  /**
   * Found among people already isolated at home and assessed as no community spread. Under an
   * edition whose `casesAmongIsolatedRestart` is false (twenty-measures) it does not restart the
   * count. @defaultValue false
   */
  amongIsolated?: boolean;
}

/** A screening round of everyone in the zone. */
export interface ScreeningRound {
  on: string;
  negative: boolean;
}

/** Everything the engine needs to know about one published zone. */
export interface ZoneFacts {
  id: string;
  /** The kind at designation. */
  kind: ZoneKind;
  /** The edition in force when the zone was published: a zone keeps its rules (docs/rules.md). */
  edition: EditionId;
  designatedOn: string;
  /** County (district) code; the protocol-8 precaution cascade works county by county. */
  countyCode: string | null;
  /** Cases inside the zone geometry; the order does not matter. */
  cases: ZoneCase[];
  screenings: ScreeningRound[];
  /** The zone was lifted by hand, taking effect on this date. @defaultValue null */
  liftedByHandOn?: string | null;
}

/** A change of a zone's kind, or its lift. */
export interface Transition {
  zoneId: string;
  /** Takes effect at 00:00 Asia/Shanghai on this date. */
  effectiveOn: string;
  from: ZoneKind;
  /** null: the zone is lifted. */
  to: ZoneKind | null;
  /** A StepRule id ('protocol-8/sealed-lift-14'), a case-effect rule id, or MANUAL_LIFT_RULE. */
  rule: string;
  /** Readable, Chinese then English. */
  reason: string;
  /** D when the transition took effect. */
  anchorOn: string;
  /**
   * Case-free days that had passed when the transition took effect (effectiveOn − 1 − D). Equals
   * the rule's N unless the step waited for a screening round, the county or days at its kind.
   */
  caseFreeDays: number;
  /** The rule's N; absent for transitions not made by a step rule. */
  requiredCaseFreeDays?: number;
  /** The negative screening round the step relied on. */
  screeningOn?: string;
  /** On a predicted transition: no qualifying round is recorded yet, this is the earliest possible one. */
  screeningAssumed?: boolean;
  /**
   * protocol-8 cascade: the sealed/controlled zones of the county this lift waited for (in force
   * after the zone's own 14 days were done), in the order they were lifted; [] when none.
   */
  cascadeFrom?: string[];
}

/** What a zone is as of the end of a day, and what happens next if no new case is reported. */
export interface ZoneStatusAsOf {
  zoneId: string;
  edition: EditionId;
  designatedOn: string;
  inForce: boolean;
  /** null when not in force (lifted, or designated later than the evaluated date). */
  kind: ZoneKind | null;
  /** Report date of the latest counting case in the zone's life, up to the evaluated date. */
  lastCaseOn: string | null;
  /** Latest case that did not count because it was among people already isolated at home. */
  lastIsolatedCaseOn: string | null;
  anchorOn: string;
  /** asOf − D while in force (0 on the day of a case); after a lift, frozen at its last day in force. */
  caseFreeDays: number;
  /** N of the rule that applies now; null when no automatic rule applies. */
  requiredCaseFreeDays: number | null;
  /** The rule that will make the next change; null when none is automatic. */
  nextRule: string | null;
  /** Predicted assuming no new case; the earliest possible date when waiting for a screening or the county. */
  nextChangeOn: string | null;
  nextKind: ZoneKind | null;
  /** The next change lifts the zone. */
  liftsNext: boolean;
  /** Day from which a negative screening round counts for the next step; null when none is needed. */
  screeningNeededFrom: string | null;
  /** Set once the case-free days are complete but the step still waits for something. */
  waitingFor: null | 'screening' | 'county-zones';
  /** The predicted next transition (see nextChangeOn), or null. */
  nextTransition: Transition | null;
  /** Date the zone stopped being in force (lifted automatically or by hand), or null. */
  liftedOn: string | null;
  /** All transitions that took effect up to the evaluated date, in order. */
  transitions: Transition[];
}

/** Rule id recorded on a lift by hand. */
export const MANUAL_LIFT_RULE = 'manual/lifted-by-hand';

/** A step rule can change a zone at most once per kind, so a timeline longer than this is a table error. */
const MAX_STEPS_WITHOUT_CASE = 16;

interface PreparedZone {
  facts: ZoneFacts;
  edition: Edition;
  designated: number;
  /** Sorted, distinct report days of counting cases with designated ≤ day ≤ asOf (and before a lift by hand). */
  caseDays: Int32Array;
  /** Report days of cases that do not count (among isolated people), same bounds, unsorted. */
  isolatedDays: number[];
  /** Sorted, distinct days of negative screening rounds on or before asOf. */
  negativeRoundDays: Int32Array;
  /** Day of a lift by hand on or before asOf, else null. */
  handLift: number | null;
}

interface Step {
  effective: number;
  from: ZoneKind;
  to: ZoneKind | null;
  ruleId: string;
  anchor: number;
  rule: StepRule | null;
  ownDue: number | null;
  screeningOn: number | null;
  screeningAssumed: boolean;
  cascadeFrom: string[] | null;
}

interface Snapshot {
  kind: ZoneKind | null;
  anchor: number;
  rule: StepRule | null;
  /** Due date of the next step before the county cascade is applied. */
  ownDue: number | null;
  screeningFrom: number | null;
  screeningAssumed: boolean;
}

interface Simulation {
  steps: Step[];
  predicted: Step[];
  atAsOf: Snapshot;
  lastCase: number | null;
  liftedOn: number | null;
}

/** Segments [start, end) during which a zone of the cascade kinds is in force; end Infinity = no automatic end. */
interface BlockingSegment {
  zoneId: string;
  start: number;
  end: number;
}

/** Answers "from which day on is no sealed/controlled zone of the county in force?" */
interface CountyClearance {
  /** Earliest day ≥ `day` with no blocking zone in force, or null when that depends on a step that is not automatic. */
  clearFrom(day: number): number | null;
  /** Zones in force during [from, to), where `to` = clearFrom(from): those a lift waited for, in the order they ended. */
  blockersBetween(from: number, to: number): string[];
}

/**
 * Evaluates a set of zones (all published zones of the deployment) as of the END of day `asOf`.
 * Deterministic: the same input gives the same output. Throws RangeError on invalid facts
 * (bad date, unknown edition, a kind the edition does not allow, duplicate zone id).
 */
export function evaluateZones(zones: ZoneFacts[], asOf: string): Map<string, ZoneStatusAsOf> {
  const asOfDay = toDayNumber(asOf);
  const parseDay = dayParser();
  const prepared: PreparedZone[] = [];
  const seen = new Set<string>();
  for (const facts of zones) {
    if (seen.has(facts.id)) throw new RangeError(`duplicate zone id: ${facts.id}`);
    seen.add(facts.id);
    prepared.push(prepareZone(facts, asOfDay, parseDay));
  }

  // Zones that can block a protocol-8 precaution zone are simulated first; the cascade zones then
  // read their timelines. No rule makes a zone rise from precaution back to sealed/controlled, so
  // two passes are enough (checked below and in the editions tests).
  const blockingKinds = cascadeKinds();
  const simulations = new Map<string, Simulation>();
  const segmentsByCounty = new Map<string | null, BlockingSegment[]>();
  for (const zone of prepared) {
    if (zone.designated > asOfDay || !blockingKinds.has(zone.facts.kind)) continue;
    const simulation = simulate(zone, asOfDay, null);
    simulations.set(zone.facts.id, simulation);
    const segments = blockingSegments(zone, simulation, blockingKinds);
    if (segments.length === 0) continue;
    const county = zone.facts.countyCode;
    const list = segmentsByCounty.get(county);
    if (list) list.push(...segments);
    else segmentsByCounty.set(county, segments);
  }
  const clearanceFor = countyClearances(segmentsByCounty);
  for (const zone of prepared) {
    if (zone.designated > asOfDay || blockingKinds.has(zone.facts.kind)) continue;
    const simulation = simulate(zone, asOfDay, clearanceFor(zone.facts.countyCode));
    for (const step of [...simulation.steps, ...simulation.predicted]) {
      if (step.to !== null && blockingKinds.has(step.to)) {
        throw new Error(`editions table: zone ${zone.facts.id} rises from ${step.from} to ${step.to}; the cascade needs another pass`);
      }
    }
    simulations.set(zone.facts.id, simulation);
  }

  const result = new Map<string, ZoneStatusAsOf>();
  for (const zone of prepared) {
    const simulation = simulations.get(zone.facts.id);
    result.set(zone.facts.id, simulation ? statusOf(zone, simulation, asOfDay) : notYetDesignated(zone));
  }
  return result;
}

/** What a new counting case inside a zone of this kind asks for under this edition. */
export interface CaseEffect {
  effect: CaseEffectKind;
  /** Every counting case restarts the zone's count (docs/rules.md: "any new case resets the count"). */
  restartsCount: boolean;
  /** Designators should be asked to draw a sealed zone around the case. */
  promptSealedZone: boolean;
  /** The kind the zone turns into from the case's report date, or null when it keeps its kind. */
  revertsTo: ZoneKind | null;
  /** Rule id recorded on the transition when the zone changes kind. */
  ruleId: string | null;
  /** Whether a case among people already isolated at home restarts the count too. */
  amongIsolatedRestarts: boolean;
  description: BilingualText;
}

/**
 * What a new case inside a zone of this kind and edition asks for. Throws RangeError for an
 * unknown edition or a kind the edition does not allow.
 */
export function caseEffect(edition: EditionId, kind: ZoneKind): CaseEffect {
  const table = getEdition(edition);
  const rule = table.caseEffects[kind];
  if (!table.zoneKinds.includes(kind) || !rule) {
    throw new RangeError(`${edition} has no ${kind} zones`);
  }
  const name = KIND_NAMES[kind];
  const description: Record<CaseEffectKind, BilingualText> = {
    restart: { zh: `${name.zh}内新增感染者，重新计算无新增天数`, en: `a new case in a ${name.en} restarts its count` },
    'prompt-sealed': {
      zh: `${name.zh}内新增感染者，重新计算无新增天数，并应围绕病例划定封控区`,
      en: `a new case in a ${name.en} restarts its count; a sealed zone should be drawn around the case`,
    },
    'revert-to-sealed': {
      zh: `${name.zh}内新增感染者，自报告之日起转为封控区`,
      en: `a new case in a ${name.en} turns it back into a sealed zone from the report date`,
    },
  };
  return {
    effect: rule.effect,
    restartsCount: true,
    promptSealedZone: rule.effect === 'prompt-sealed',
    revertsTo: rule.effect === 'revert-to-sealed' ? 'sealed' : null,
    ruleId: rule.ruleId ?? null,
    amongIsolatedRestarts: table.casesAmongIsolatedRestart,
    description: description[rule.effect],
  };
}

/** Parses dates through a cache: a deployment has a million case rows but only hundreds of distinct dates. */
function dayParser(): (date: string, zoneId: string, field: string) => number {
  const cache = new Map<string, number>();
  return (date, zoneId, field) => {
    const cached = cache.get(date);
    if (cached !== undefined) return cached;
    let day: number;
    try {
      day = toDayNumber(date);
    } catch {
      throw new RangeError(`zone ${zoneId}: ${field} is not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
    }
    cache.set(date, day);
    return day;
  };
}

function prepareZone(
  facts: ZoneFacts,
  asOf: number,
  parseDay: (date: string, zoneId: string, field: string) => number,
): PreparedZone {
  const edition = getEdition(facts.edition);
  if (!edition.zoneKinds.includes(facts.kind)) {
    throw new RangeError(`zone ${facts.id}: ${facts.edition} has no ${facts.kind} zones`);
  }
  const designated = parseDay(facts.designatedOn, facts.id, 'designatedOn');
  let handLift: number | null = null;
  if (facts.liftedByHandOn != null) {
    const day = parseDay(facts.liftedByHandOn, facts.id, 'liftedByHandOn');
    if (day < designated) throw new RangeError(`zone ${facts.id}: lifted by hand before it was designated`);
    if (day <= asOf) handLift = day;
  }
  // docs/rules.md: D is the later of the designation date and the latest case, so cases reported
  // before the designation are ignored. Cases after the evaluated date are not known yet, and a
  // case on or after a lift by hand belongs to no zone.
  const lastDay = handLift === null ? asOf : Math.min(asOf, handLift - 1);
  const caseDays = new Int32Array(facts.cases.length);
  let caseCount = 0;
  const isolatedDays: number[] = [];
  for (const zoneCase of facts.cases) {
    const day = parseDay(zoneCase.reportedOn, facts.id, 'case reportedOn');
    if (day < designated || day > lastDay) continue;
    if (zoneCase.amongIsolated === true && !edition.casesAmongIsolatedRestart) isolatedDays.push(day);
    else caseDays[caseCount++] = day;
  }
  const roundDays = new Int32Array(facts.screenings.length);
  let roundCount = 0;
  for (const round of facts.screenings) {
    const day = parseDay(round.on, facts.id, 'screening on');
    // Only negative rounds can clear a zone; a positive round shows up as cases.
    if (round.negative && day <= asOf) roundDays[roundCount++] = day;
  }
  return {
    facts,
    edition,
    designated,
    caseDays: sortedDistinct(caseDays.subarray(0, caseCount)),
    isolatedDays,
    negativeRoundDays: sortedDistinct(roundDays.subarray(0, roundCount)),
    handLift,
  };
}

function sortedDistinct(days: Int32Array): Int32Array {
  days.sort();
  let write = 0;
  for (let read = 0; read < days.length; read++) {
    if (write === 0 || days[read] !== days[write - 1]) days[write++] = days[read];
  }
  return days.subarray(0, write);
}

/** First value ≥ `day` in a sorted array, or null. */
function firstAtOrAfter(sorted: Int32Array, day: number): number | null {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < day) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length ? sorted[low] : null;
}

type StepRuleIndex = Record<ZoneKind, Record<ArrivedBy, StepRule | null>>;

/** findStepRule for every edition, kind and arrival, worked out once: the simulation asks once per case. */
const STEP_RULE_INDEX = new Map<Edition, StepRuleIndex>(
  Object.values(EDITIONS).map((edition) => {
    const byArrival = (kind: ZoneKind) => ({
      designation: findStepRule(edition, kind, 'designation'),
      'step-down': findStepRule(edition, kind, 'step-down'),
    });
    return [edition, { sealed: byArrival('sealed'), controlled: byArrival('controlled'), precaution: byArrival('precaution') }];
  }),
);

function stepRuleFor(edition: Edition, kind: ZoneKind, arrivedBy: ArrivedBy): StepRule | null {
  const index = STEP_RULE_INDEX.get(edition);
  return index ? index[kind][arrivedBy] : findStepRule(edition, kind, arrivedBy);
}

/** Kinds any edition's county cascade waits for: zones of these kinds are simulated first. */
function cascadeKinds(): Set<ZoneKind> {
  const kinds = new Set<ZoneKind>();
  for (const edition of Object.values(EDITIONS)) {
    for (const kind of edition.countyCascade?.waitsForKinds ?? []) kinds.add(kind);
  }
  return kinds;
}

/**
 * Walks one zone's life event by event: each loop either consumes the next counting case or
 * applies the next step, so the cost is O(cases + steps), not O(days × cases). Steps that take
 * effect after `asOf` are predictions assuming no new case (by then every known case has been
 * consumed, since all of them are on or before `asOf`).
 */
function simulate(zone: PreparedZone, asOf: number, county: CountyClearance | null): Simulation {
  const { edition, caseDays, negativeRoundDays, handLift } = zone;
  let kind: ZoneKind | null = zone.facts.kind;
  let arrivedBy: ArrivedBy = 'designation';
  let arrivedOn = zone.designated;
  let anchor = zone.designated;
  let caseIndex = 0;
  let lastCase: number | null = null;
  // A case reported on the designation day only fixes D there: the designators drew the zone
  // knowing it (project decision; it changes nothing else, not even under revert-to-sealed).
  if (caseDays.length > 0 && caseDays[0] === anchor) {
    lastCase = anchor;
    caseIndex = 1;
  }
  const steps: Step[] = [];
  const predicted: Step[] = [];
  let atAsOf: Snapshot | null = null;
  let liftedOn: number | null = null;

  while (kind !== null) {
    const rule = stepRuleFor(edition, kind, arrivedBy);
    let due: number | null = null;
    let ownDue: number | null = null;
    let screeningOn: number | null = null;
    let screeningFrom: number | null = null;
    let screeningAssumed = false;
    if (rule) {
      // docs/rules.md: the step takes effect at 00:00 on D+N+1.
      due = anchor + rule.caseFreeDays + 1;
      // "3 more days" after a step-down: at least minDaysAtKind whole days at the new kind.
      if (rule.minDaysAtKind !== undefined && arrivedBy === 'step-down') due = Math.max(due, arrivedOn + rule.minDaysAtKind);
      if (rule.requiresScreening) {
        if (!edition.screening) throw new Error(`editions table: ${rule.id} needs a screening round but ${edition.id} defines none`);
        // docs/rules.md: not before a negative round of everyone, recorded on or after day D+N
        // (protocol-9, "on day 7") or D+N−1 (protocol-8, "within 2 days before lifting"); a
        // late round makes the step take effect at 00:00 the day after it.
        screeningFrom = anchor + rule.caseFreeDays + edition.screening.roundFromOffset;
        screeningOn = firstAtOrAfter(negativeRoundDays, screeningFrom);
        if (screeningOn === null) {
          // Nothing recorded by the end of asOf: the earliest round possible is on asOf+1.
          screeningOn = Math.max(screeningFrom, asOf + 1);
          screeningAssumed = true;
        }
        due = Math.max(due, screeningOn + 1);
      }
      ownDue = due;
      if (rule.waitsForCountyZones) {
        if (!county) throw new Error(`editions table: ${rule.id} waits for the county but zone ${zone.facts.id} is itself a blocking kind`);
        // docs/rules.md, protocol-8: lifted only once every sealed and controlled zone of its county
        // (of any edition) has been lifted, i.e. on the later of its own D+14+1 and the last
        // lift of such a zone in force at any time during its life.
        due = county.clearFrom(due);
      }
    }

    const nextCase = caseIndex < caseDays.length ? caseDays[caseIndex] : null;
    if (nextCase !== null && (due === null || nextCase < due)) {
      // A counting case while the zone is still of this kind (a case on D+N resets; docs/rules.md).
      // The zone is treated from then on as designated at its (possibly new) kind on that day,
      // which is also how a zone that came down by a step-down restarts (project decision).
      const effect = edition.caseEffects[kind];
      if (effect?.effect === 'revert-to-sealed' && kind !== 'sealed') {
        steps.push({
          effective: nextCase,
          from: kind,
          to: 'sealed',
          ruleId: effect.ruleId ?? `${edition.id}/case-reverts-to-sealed`,
          anchor: nextCase,
          rule: null,
          ownDue: null,
          screeningOn: null,
          screeningAssumed: false,
          cascadeFrom: null,
        });
        kind = 'sealed';
      }
      anchor = nextCase;
      arrivedBy = 'designation';
      arrivedOn = nextCase;
      lastCase = nextCase;
      caseIndex++;
      continue;
    }

    if (due === null || rule === null || (handLift !== null && handLift < due)) {
      // No automatic step before the end of what is known, or the zone is lifted by hand first.
      // A step due on the day of a lift by hand still takes effect, at 00:00, before the hand.
      if (atAsOf === null) atAsOf = { kind, anchor, rule, ownDue, screeningFrom, screeningAssumed };
      break;
    }

    const step: Step = {
      effective: due,
      from: kind,
      to: rule.to,
      ruleId: rule.id,
      anchor,
      rule,
      ownDue,
      screeningOn,
      screeningAssumed,
      cascadeFrom: rule.waitsForCountyZones && county && ownDue !== null ? county.blockersBetween(ownDue, due) : null,
    };
    if (due > asOf) {
      if (atAsOf === null) atAsOf = { kind, anchor, rule, ownDue, screeningFrom, screeningAssumed };
      predicted.push(step);
      if (predicted.length > MAX_STEPS_WITHOUT_CASE) throw new Error(`editions table: zone ${zone.facts.id} never settles`);
    } else {
      steps.push(step);
      if (steps.length > caseDays.length + MAX_STEPS_WITHOUT_CASE) throw new Error(`editions table: zone ${zone.facts.id} never settles`);
      if (rule.to === null) liftedOn = due;
    }
    kind = rule.to;
    arrivedBy = 'step-down';
    arrivedOn = due;
  }

  // A lift by hand ends the zone's life: nothing after it is evaluated.
  if (liftedOn === null && handLift !== null) {
    steps.push({
      effective: handLift,
      // The loop stopped before a step on or after the lift, so the zone still has a kind here.
      from: kind ?? zone.facts.kind,
      to: null,
      ruleId: MANUAL_LIFT_RULE,
      anchor,
      rule: null,
      ownDue: null,
      screeningOn: null,
      screeningAssumed: false,
      cascadeFrom: null,
    });
    liftedOn = handLift;
    atAsOf = null;
    predicted.length = 0;
  }
  const finalSnapshot: Snapshot = atAsOf ?? {
    kind: null,
    anchor,
    rule: null,
    ownDue: null,
    screeningFrom: null,
    screeningAssumed: false,
  };
  return { steps, predicted, atAsOf: finalSnapshot, lastCase, liftedOn };
}

/** The segments of a simulated zone's life spent at one of the cascade's kinds (actual and predicted). */
function blockingSegments(zone: PreparedZone, simulation: Simulation, kinds: Set<ZoneKind>): BlockingSegment[] {
  const segments: BlockingSegment[] = [];
  let start: number | null = kinds.has(zone.facts.kind) ? zone.designated : null;
  for (const step of [...simulation.steps, ...simulation.predicted]) {
    const blocking = step.to !== null && kinds.has(step.to);
    if (start !== null && !blocking) {
      if (step.effective > start) segments.push({ zoneId: zone.facts.id, start, end: step.effective });
      start = null;
    } else if (start === null && blocking) {
      start = step.effective;
    }
  }
  // Still blocking at the end of its timeline: no automatic step ends it.
  if (start !== null) segments.push({ zoneId: zone.facts.id, start, end: Number.POSITIVE_INFINITY });
  return segments;
}

/**
 * County clearances, built lazily per county. A zone without a county code could lie in any
 * county, so (project decision, erring towards keeping zones in force) it blocks the precaution
 * zones of every county, and a precaution zone without a county waits for every blocking zone.
 */
function countyClearances(segmentsByCounty: Map<string | null, BlockingSegment[]>): (county: string | null) => CountyClearance {
  const cache = new Map<string | null, CountyClearance>();
  return (county) => {
    const cached = cache.get(county);
    if (cached) return cached;
    let segments: BlockingSegment[];
    if (county === null) segments = [...segmentsByCounty.values()].flat();
    else segments = [...(segmentsByCounty.get(county) ?? []), ...(segmentsByCounty.get(null) ?? [])];
    const clearance = buildClearance(segments);
    cache.set(county, clearance);
    return clearance;
  };
}

function buildClearance(segments: BlockingSegment[]): CountyClearance {
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end || compareIds(a.zoneId, b.zoneId));
  // Merge overlapping and touching segments ([a,b) then [b,c) leaves no clear day at b). Each
  // merged segment covers a contiguous run of `sorted`, kept so blockersBetween scans only it.
  const starts: number[] = [];
  const ends: number[] = [];
  const firstMember: number[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const segment = sorted[index];
    const last = ends.length - 1;
    if (last >= 0 && segment.start <= ends[last]) ends[last] = Math.max(ends[last], segment.end);
    else {
      starts.push(segment.start);
      ends.push(segment.end);
      firstMember.push(index);
    }
  }
  /** Index of the merged segment covering `day`, or −1. */
  const mergedAt = (day: number): number => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle] <= day) low = middle + 1;
      else high = middle;
    }
    const index = low - 1;
    return index >= 0 && ends[index] > day ? index : -1;
  };
  // Members of each merged segment ordered by the day they ended, sorted once on first use. A
  // zone has at most one segment: no rule takes a zone out of the blocking kinds and back.
  const membersCache = new Map<number, { ends: number[]; zoneIds: string[] }>();
  const membersByEnd = (index: number): { ends: number[]; zoneIds: string[] } => {
    let members = membersCache.get(index);
    if (!members) {
      const stop = index + 1 < firstMember.length ? firstMember[index + 1] : sorted.length;
      const byEnd = sorted.slice(firstMember[index], stop).sort((a, b) => a.end - b.end || compareIds(a.zoneId, b.zoneId));
      members = { ends: byEnd.map((segment) => segment.end), zoneIds: byEnd.map((segment) => segment.zoneId) };
      membersCache.set(index, members);
    }
    return members;
  };
  return {
    clearFrom(day) {
      const index = mergedAt(day);
      if (index < 0) return day;
      return Number.isFinite(ends[index]) ? ends[index] : null;
    },
    blockersBetween(from, to) {
      // [from, to) is covered by one merged segment when `to` came from clearFrom(from); every
      // member of it starts before `to`, so the zones waited for are its members ending after `from`.
      const index = mergedAt(from);
      if (index < 0 || from >= to) return [];
      const { ends, zoneIds } = membersByEnd(index);
      let low = 0;
      let high = ends.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (ends[middle] <= from) low = middle + 1;
        else high = middle;
      }
      return zoneIds.slice(low);
    },
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statusOf(zone: PreparedZone, simulation: Simulation, asOf: number): ZoneStatusAsOf {
  const { facts } = zone;
  const { atAsOf, liftedOn, lastCase } = simulation;
  const inForce = liftedOn === null;
  const anchor = atAsOf.anchor;
  const rule = inForce ? atAsOf.rule : null;
  const next = inForce ? (simulation.predicted[0] ?? null) : null;
  // Complete once D+1 … D+N have passed by the end of asOf.
  const countComplete = rule !== null && asOf >= anchor + rule.caseFreeDays;
  let waitingFor: ZoneStatusAsOf['waitingFor'] = null;
  if (countComplete && rule?.requiresScreening && atAsOf.screeningAssumed) waitingFor = 'screening';
  else if (countComplete && rule?.waitsForCountyZones && (next === null || (atAsOf.ownDue !== null && next.effective > atAsOf.ownDue))) {
    waitingFor = 'county-zones';
  }
  const lifeEnd = liftedOn === null ? asOf : liftedOn - 1;
  let lastIsolated: number | null = null;
  for (const day of zone.isolatedDays) {
    if (day <= lifeEnd && (lastIsolated === null || day > lastIsolated)) lastIsolated = day;
  }
  return {
    zoneId: facts.id,
    edition: facts.edition,
    designatedOn: facts.designatedOn,
    inForce,
    kind: inForce ? atAsOf.kind : null,
    lastCaseOn: lastCase === null ? null : fromDayNumber(lastCase),
    lastIsolatedCaseOn: lastIsolated === null ? null : fromDayNumber(lastIsolated),
    anchorOn: fromDayNumber(anchor),
    caseFreeDays: Math.max(0, (inForce ? asOf : liftedOn - 1) - anchor),
    requiredCaseFreeDays: rule ? rule.caseFreeDays : null,
    nextRule: next ? next.ruleId : null,
    nextChangeOn: next ? fromDayNumber(next.effective) : null,
    nextKind: next ? next.to : null,
    liftsNext: next !== null && next.to === null,
    screeningNeededFrom: rule?.requiresScreening && atAsOf.screeningFrom !== null ? fromDayNumber(atAsOf.screeningFrom) : null,
    waitingFor,
    nextTransition: next ? toTransition(facts.id, next) : null,
    liftedOn: liftedOn === null ? null : fromDayNumber(liftedOn),
    transitions: simulation.steps.map((step) => toTransition(facts.id, step)),
  };
}

/** A zone designated after the evaluated date: not in force yet; its designation is the next change. */
function notYetDesignated(zone: PreparedZone): ZoneStatusAsOf {
  return {
    zoneId: zone.facts.id,
    edition: zone.facts.edition,
    designatedOn: zone.facts.designatedOn,
    inForce: false,
    kind: null,
    lastCaseOn: null,
    lastIsolatedCaseOn: null,
    anchorOn: fromDayNumber(zone.designated),
    caseFreeDays: 0,
    requiredCaseFreeDays: null,
    nextRule: null,
    nextChangeOn: fromDayNumber(zone.designated),
    nextKind: zone.facts.kind,
    liftsNext: false,
    screeningNeededFrom: null,
    waitingFor: null,
    nextTransition: null,
    liftedOn: null,
    transitions: [],
  };
}

function toTransition(zoneId: string, step: Step): Transition {
  const transition: Transition = {
    zoneId,
    effectiveOn: fromDayNumber(step.effective),
    from: step.from,
    to: step.to,
    rule: step.ruleId,
    reason: reasonFor(step),
    anchorOn: fromDayNumber(step.anchor),
    caseFreeDays: Math.max(0, step.effective - 1 - step.anchor),
  };
  if (step.rule) transition.requiredCaseFreeDays = step.rule.caseFreeDays;
  if (step.screeningOn !== null) transition.screeningOn = fromDayNumber(step.screeningOn);
  if (step.screeningAssumed) transition.screeningAssumed = true;
  if (step.cascadeFrom) transition.cascadeFrom = step.cascadeFrom;
  return transition;
}

/** "<rule, zh>（details）。<rule, en> (details)." */
function reasonFor(step: Step): string {
  const date = fromDayNumber;
  const from = KIND_NAMES[step.from];
  if (step.ruleId === MANUAL_LIFT_RULE) {
    return `${date(step.effective)}人工解除${from.zh}。Lifted by hand on ${date(step.effective)}.`;
  }
  if (!step.rule) {
    const to = step.to ? KIND_NAMES[step.to] : null;
    return (
      `${date(step.effective)}${from.zh}内报告新增感染者，转为${to?.zh ?? '解除'}。` +
      `New case reported on ${date(step.effective)} inside the ${from.en}: it becomes a ${to?.en ?? 'lifted zone'}.`
    );
  }
  const caseFree = `${date(step.anchor + 1)}–${date(step.effective - 1)}`;
  const detailsZh = [`${caseFree}无新增感染者`];
  const detailsEn = [`no new case ${caseFree}`];
  if (step.screeningOn !== null) {
    detailsZh.push(step.screeningAssumed ? `须于${date(step.screeningOn)}起完成全员核酸筛查且结果阴性` : `${date(step.screeningOn)}全员核酸筛查阴性`);
    detailsEn.push(
      step.screeningAssumed
        ? `needs a negative screening round of everyone on or after ${date(step.screeningOn)}`
        : `negative screening round of everyone on ${date(step.screeningOn)}`,
    );
  }
  if (step.cascadeFrom && step.ownDue !== null && step.effective > step.ownDue) {
    detailsZh.push(`所在县（市、区）最后一个封控区、管控区于${date(step.effective)}解除`);
    detailsEn.push(`the last sealed or controlled zone of the county was lifted on ${date(step.effective)}`);
  }
  return `${step.rule.description.zh}（${detailsZh.join('；')}）。${step.rule.description.en} (${detailsEn.join('; ')}).`;
}
