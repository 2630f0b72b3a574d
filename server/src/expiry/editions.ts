/**
 * The protocol editions as data: the expiry engine reads this table and has no branch of its own
 * for any edition (STYLE.md, "Rules as data"). Every number and condition here comes from
 * docs/rules.md, "Editions", and the seeds it names.
 *
 * Vocabulary shared with the engine: D is a zone's anchor date (the later of the date the zone
 * was designated, or last treated as designated, and the report date of its latest counting
 * case); N consecutive case-free days are reached once days D+1 … D+N have passed without a
 * counting case, and a rule's transition takes effect at 00:00 Asia/Shanghai on day D+N+1.
 */
import type { BilingualText, KindVocabulary } from './measures';

import { EDITION_IDS, type EditionId, type ZoneKind } from '../../../contract/vocabulary';

// The vocabularies live in the contract shared with the client.
export { EDITION_IDS, ZONE_KINDS, type EditionId, type ZoneKind } from '../../../contract/vocabulary';

/**
 * How a zone came to be of its current kind. Step rules can differ by it: protocol-9 and
 * shanghai-2022 treat a controlled zone "reached that way" (by stepping down from sealed)
 * differently from one designated controlled.
 */
export type ArrivedBy = 'designation' | 'step-down';

/** The negative screening round of everyone in the zone that some editions ask for before a step. */
export interface ScreeningRequirement {
  /**
   * A negative round counts when it is dated on or after day D+N+`roundFromOffset` (relative to
   * the last case-free day D+N). protocol-8, "within 2 days before lifting": −1 (days D+N−1 and
   * D+N); protocol-9, "on day 7": 0.
   */
  roundFromOffset: number;
  description: BilingualText;
}

/** One automatic step: a zone of kind `from` that reached it as `arrivedBy` changes to `to`. */
export interface StepRule {
  /** Stable id, `<edition>/<what happens>`, recorded on every transition the rule produces. */
  id: string;
  from: ZoneKind;
  /** 'any' when the rule does not depend on how the zone became `from`. */
  arrivedBy: ArrivedBy | 'any';
  /** The kind the zone becomes; null when it is lifted. */
  to: ZoneKind | null;
  /**
   * N, counted from the anchor D. A step-down does not move D, so "3 more days" after a 7-day
   * step is written as 10.
   */
  caseFreeDays: number;
  /**
   * The least number of whole days the zone must have spent at `from` (counted from the day it
   * stepped down to it) before this rule applies. Used for "3 more days" so a step that came late
   * (waiting for a screening round) still leaves the zone 3 days at its new kind.
   */
  minDaysAtKind?: number;
  /** The edition's screening round is also required (see Edition.screening). */
  requiresScreening: boolean;
  /** The step waits until no zone of the edition's countyCascade kinds is in force in the county. */
  waitsForCountyZones: boolean;
  description: BilingualText;
}

/**
 * What a new counting case inside a zone of a kind does. All of them restart the zone's count
 * (docs/rules.md: "any new case resets the count").
 * - 'restart': the count restarts, nothing else.
 * - 'prompt-sealed': the count restarts and the designators are asked to draw a sealed zone
 *   around the case (the engine never designates zones by itself).
 * - 'revert-to-sealed': the zone turns back into a sealed zone from the case's report date.
 */
export type CaseEffectKind = 'restart' | 'prompt-sealed' | 'revert-to-sealed';

/** A case effect and, when it changes the zone's kind, the rule id recorded on the transition. */
export interface CaseEffectRule {
  effect: CaseEffectKind;
  ruleId?: string;
}

/** The protocol-8 cascade: a precaution zone outlives every zone of these kinds in its county. */
export interface CountyCascade {
  waitsForKinds: readonly ZoneKind[];
  description: BilingualText;
}

/** One protocol edition, as the engine reads it. */
export interface Edition {
  id: EditionId;
  names: BilingualText;
  /**
   * What the edition calls its zone kinds (docs/rules.md, "What the public is told"): 'zone' for
   * 封控区/管控区/防范区, 'risk-level' for 高风险区/中风险区/低风险区. The texts are in measures.ts
   * (`kindName`), kept there so this table needs no runtime import of it.
   */
  kindVocabulary: KindVocabulary;
  /** Where the rules come from: a seed in /work/shared/seeds or the public protocol. */
  source: string;
  /** The zone kinds a designator may draw under this edition. */
  zoneKinds: readonly ZoneKind[];
  rules: readonly StepRule[];
  screening: ScreeningRequirement | null;
  /** What a new case does in a zone of each allowed kind. */
  caseEffects: Readonly<Partial<Record<ZoneKind, CaseEffectRule>>>;
  /**
   * Whether a case among people already isolated at home (household members, close contacts)
   * restarts the count. When false, cases flagged `amongIsolated` are not counting cases.
   */
  casesAmongIsolatedRestart: boolean;
  countyCascade: CountyCascade | null;
}

const protocol8: Edition = {
  id: 'protocol-8',
  names: { zh: '新型冠状病毒肺炎防控方案（第八版）', en: 'COVID-19 prevention and control protocol, 8th edition' },
  kindVocabulary: 'zone',
  source:
    'Public 8th-edition national protocol, in use from 2021 to spring 2022; applied in Liaocheng (seed 000: ' +
    'zone kinds and measures, "连续14天内无新增…为低风险区").',
  zoneKinds: ['sealed', 'controlled', 'precaution'],
  screening: {
    roundFromOffset: -1,
    description: {
      zh: '解封前2天内区域内全员核酸筛查阴性',
      en: 'a negative screening round of everyone in the zone within 2 days before lifting',
    },
  },
  rules: [
    {
      id: 'protocol-8/sealed-lift-14',
      from: 'sealed',
      arrivedBy: 'any',
      to: null,
      caseFreeDays: 14,
      requiresScreening: true,
      waitsForCountyZones: false,
      description: {
        zh: '封控区连续14天无新增感染者且解封前2天内全员核酸筛查阴性，解除封控',
        en: 'sealed zone lifted after 14 consecutive days without a new case and a negative screening round within 2 days before lifting',
      },
    },
    {
      id: 'protocol-8/controlled-lift-14',
      from: 'controlled',
      arrivedBy: 'any',
      to: null,
      caseFreeDays: 14,
      requiresScreening: true,
      waitsForCountyZones: false,
      description: {
        zh: '管控区连续14天无新增感染者且解封前2天内全员核酸筛查阴性，解除管控',
        en: 'controlled zone lifted after 14 consecutive days without a new case and a negative screening round within 2 days before lifting',
      },
    },
    {
      id: 'protocol-8/precaution-lift-after-county',
      from: 'precaution',
      arrivedBy: 'any',
      to: null,
      caseFreeDays: 14,
      requiresScreening: false,
      waitsForCountyZones: true,
      description: {
        zh: '防范区连续14天无新增感染者且所在县（市、区）封控区、管控区已全部解除，解除防范',
        en: 'precaution zone lifted after 14 consecutive days without a new case, once every sealed and controlled zone of its county has been lifted',
      },
    },
  ],
  caseEffects: {
    sealed: { effect: 'restart' },
    controlled: { effect: 'prompt-sealed' },
    precaution: { effect: 'prompt-sealed' },
  },
  casesAmongIsolatedRestart: true,
  countyCascade: {
    waitsForKinds: ['sealed', 'controlled'],
    description: {
      zh: '防范区在所在县（市、区）全部封控区、管控区解除后方可解除',
      en: 'a precaution zone is lifted only once every sealed and controlled zone in its county has been lifted',
    },
  },
};

const shanghai2022: Edition = {
  id: 'shanghai-2022',
  names: { zh: '上海分区管控规则（2022年5月22日起）', en: 'Shanghai zoning rules (from 2022-05-22)' },
  kindVocabulary: 'zone',
  source: 'Public Shanghai municipal rules in force from 2022-05-22 (docs/rules.md).',
  zoneKinds: ['sealed', 'controlled', 'precaution'],
  screening: null,
  rules: [
    {
      id: 'shanghai-2022/sealed-to-controlled-7',
      from: 'sealed',
      arrivedBy: 'any',
      to: 'controlled',
      caseFreeDays: 7,
      requiresScreening: false,
      waitsForCountyZones: false,
      description: {
        zh: '封控区连续7天无新增感染者，降为管控区',
        en: 'sealed zone becomes controlled after 7 consecutive days without a new case',
      },
    },
    {
      id: 'shanghai-2022/controlled-to-precaution-3-more',
      from: 'controlled',
      arrivedBy: 'step-down',
      to: 'precaution',
      caseFreeDays: 10,
      minDaysAtKind: 3,
      requiresScreening: false,
      waitsForCountyZones: false,
      description: {
        zh: '由封控区降级的管控区再连续3天无新增感染者，降为防范区',
        en: 'a controlled zone stepped down from sealed becomes precaution after 3 more days without a new case',
      },
    },
    {
      id: 'shanghai-2022/controlled-to-precaution-3',
      from: 'controlled',
      arrivedBy: 'designation',
      to: 'precaution',
      caseFreeDays: 3,
      requiresScreening: false,
      waitsForCountyZones: false,
      description: {
        zh: '管控区连续3天无新增感染者，降为防范区',
        en: 'controlled zone becomes precaution after 3 consecutive days without a new case',
      },
    },
    // Precaution zones have no automatic rule under this edition: they stay until lifted by hand.
  ],
  caseEffects: {
    sealed: { effect: 'restart' },
    controlled: { effect: 'revert-to-sealed', ruleId: 'shanghai-2022/controlled-case-reverts-to-sealed' },
    precaution: { effect: 'prompt-sealed' },
  },
  casesAmongIsolatedRestart: true,
  countyCascade: null,
};

const protocol9: Edition = {
  id: 'protocol-9',
  names: { zh: '新型冠状病毒肺炎防控方案（第九版）', en: 'COVID-19 prevention and control protocol, 9th edition' },
  kindVocabulary: 'risk-level',
  source: 'Public 9th-edition national protocol, 2022-06 (docs/rules.md).',
  zoneKinds: ['sealed', 'controlled', 'precaution'],
  screening: {
    roundFromOffset: 0,
    description: {
      zh: '第7天区域内全员核酸筛查阴性',
      en: 'a negative screening round of everyone in the zone on day 7',
    },
  },
  rules: [
    {
      id: 'protocol-9/sealed-to-controlled-7',
      from: 'sealed',
      arrivedBy: 'any',
      to: 'controlled',
      caseFreeDays: 7,
      requiresScreening: true,
      waitsForCountyZones: false,
      description: {
        zh: '高风险区（封控区）连续7天无新增感染者且第7天全员核酸筛查阴性，降为中风险区（管控区）',
        en: 'high-risk (sealed) zone becomes medium (controlled) after 7 days without a new case and a negative screening round on day 7',
      },
    },
    {
      id: 'protocol-9/controlled-to-precaution-3-more',
      from: 'controlled',
      arrivedBy: 'step-down',
      to: 'precaution',
      caseFreeDays: 10,
      minDaysAtKind: 3,
      requiresScreening: false,
      waitsForCountyZones: false,
      description: {
        zh: '由高风险区降级的中风险区再连续3天无新增感染者，降为低风险区（防范区）',
        en: 'a medium zone stepped down from high becomes low (precaution) after 3 more days without a new case',
      },
    },
    {
      id: 'protocol-9/controlled-to-precaution-7',
      from: 'controlled',
      arrivedBy: 'designation',
      to: 'precaution',
      caseFreeDays: 7,
      requiresScreening: true,
      waitsForCountyZones: false,
      description: {
        zh: '中风险区（管控区）连续7天无新增感染者且第7天全员核酸筛查阴性，降为低风险区（防范区）',
        en: 'medium (controlled) zone becomes low (precaution) after 7 days without a new case and a negative screening round on day 7',
      },
    },
    // Precaution zones have no automatic rule under this edition: they stay until lifted by hand.
  ],
  caseEffects: {
    sealed: { effect: 'restart' },
    controlled: { effect: 'prompt-sealed' },
    precaution: { effect: 'prompt-sealed' },
  },
  casesAmongIsolatedRestart: true,
  countyCascade: null,
};

const twentyMeasures: Edition = {
  id: 'twenty-measures',
  names: { zh: '二十条优化措施', en: 'Twenty measures' },
  kindVocabulary: 'risk-level',
  source:
    'Seed 003: 关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知 (2022-11-11), ' +
    '"高风险区连续5天未发现新增感染者，降为低风险区"; public follow-up notice of 2022-12-07 on cases among people isolated at home.',
  // Only high (sealed) and low remain; "low" is the rest of the county, not a drawn zone.
  zoneKinds: ['sealed'],
  screening: null,
  rules: [
    {
      id: 'twenty-measures/sealed-lift-5',
      from: 'sealed',
      arrivedBy: 'any',
      to: null,
      caseFreeDays: 5,
      requiresScreening: false,
      waitsForCountyZones: false,
      description: {
        zh: '高风险区连续5天未发现新增感染者，降为低风险区',
        en: 'high-risk (sealed) zone becomes low risk (lifted) after 5 consecutive days without a new infection',
      },
    },
  ],
  caseEffects: {
    sealed: { effect: 'restart' },
  },
  // Follow-up of 2022-12-07 (docs/rules.md): a new case among people already isolated at home does not
  // restart the count when assessed as no community spread; the designator records that
  // assessment by flagging the case `amongIsolated`.
  casesAmongIsolatedRestart: false,
  countyCascade: null,
};

/** Every edition by id. */
export const EDITIONS: Readonly<Record<EditionId, Edition>> = deepFreeze({
  'protocol-8': protocol8,
  'shanghai-2022': shanghai2022,
  'protocol-9': protocol9,
  'twenty-measures': twentyMeasures,
});

/** True when `id` names an edition. */
export function isEditionId(id: unknown): id is EditionId {
  return typeof id === 'string' && (EDITION_IDS as readonly string[]).includes(id);
}

/** The edition with this id; throws RangeError for an unknown id. */
export function getEdition(id: string): Edition {
  if (!isEditionId(id)) throw new RangeError(`unknown protocol edition: ${JSON.stringify(id)}`);
  return EDITIONS[id];
}

/**
 * The step rule for a zone of `kind` that arrived at it as `arrivedBy`, or null when the edition
 * has no automatic rule for it (the zone stays until lifted by hand).
 */
export function findStepRule(edition: Edition, kind: ZoneKind, arrivedBy: ArrivedBy): StepRule | null {
  return edition.rules.find((rule) => rule.from === kind && (rule.arrivedBy === 'any' || rule.arrivedBy === arrivedBy)) ?? null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
