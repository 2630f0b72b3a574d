/**
 * The texts of the numbered notices (解除/调整通告) that publish every change the public sees
 * besides the designators' bulletins: steps by rule at 00:00 Asia/Shanghai, lifts by hand, zones
 * again in force after a late-reported case, and moved expected dates (docs/rules.md, "What the
 * public is told"). Laid out like a bulletin, with the same helpers, so the two read as one series.
 *
 * A notice gives per-zone dates only: never a case count or an address.
 */
import {
  chineseDate,
  chineseNumeral,
  countyHeading,
  groupByCounty,
  hotlineLines,
  measureLines,
  MEDICAL_CARE_SENTENCE,
  placeName,
  signatureLines,
  type CountyHotlines,
  type KindUnderEdition,
} from '../bulletins/bulletin.text';
import { EDITIONS, ZONE_KINDS, type EditionId, type StepRule, type ZoneKind } from '../expiry/editions';
import { kindName } from '../expiry/measures';

/** What a notice announces. */
export type NoticeKind = 'rule_transition' | 'hand_lift' | 'reopening' | 'update';

/** One zone's change in a notice. */
export interface NoticeItem {
  zoneName: string;
  countyName: string | null;
  edition: EditionId;
  fromKind: ZoneKind | null; // null: the zone was not in force (reopening)
  toKind: ZoneKind | null; // null: lifted
  effectiveOn: string; // 'YYYY-MM-DD', takes effect at 00:00 that day
  /** for rule transitions: the step rule id (from editions.ts StepRule.id) and the counting facts */
  rule?: { id: string; caseFreeDays: number; requiredCaseFreeDays?: number | null; screeningOn?: string | null; lastCaseOn?: string | null } | null;
  /** free text reason (hand lift reason given by the designator, or the update's cause) */
  reason?: string | null;
  /** for 'update' and 'reopening': the new expected change date (null when none), and the last case date */
  nextChangeOn?: string | null;
  lastCaseOn?: string | null;
}

/** The kind an item is listed under: the kind it had, or the kind it is restored to. */
function listedKind(item: NoticeItem): ZoneKind {
  return item.fromKind ?? item.toKind ?? 'sealed';
}

function stepRule(item: NoticeItem): StepRule | null {
  if (!item.rule) return null;
  return EDITIONS[item.edition].rules.find((rule) => rule.id === item.rule?.id) ?? null;
}

/** 'M月D日' within the year of `publishedOn`, the full date otherwise. */
function dayOf(isoDate: string, publishedOn: string): string {
  if (isoDate.slice(0, 4) !== publishedOn.slice(0, 4)) return chineseDate(isoDate);
  const [, m, d] = isoDate.split('-').map(Number);
  return `${m}月${d}日`;
}

/** The title of a notice; a rule notice says whether it lifts, adjusts, or both. */
export function noticeTitle(kind: NoticeKind, items: NoticeItem[]): { zh: string; en: string } {
  switch (kind) {
    case 'rule_transition': {
      const lifts = items.some((item) => item.toKind === null);
      const steps = items.some((item) => item.toKind !== null);
      if (lifts && steps) return { zh: '关于解除和调整部分风险区域的通告', en: 'Notice on lifting and adjusting some risk areas' };
      if (steps) return { zh: '关于调整部分风险区域的通告', en: 'Notice on adjusting some risk areas' };
      return { zh: '关于解除部分风险区域的通告', en: 'Notice on lifting some risk areas' };
    }
    case 'hand_lift':
      return { zh: '关于解除部分风险区域的通告', en: 'Notice on lifting some risk areas' };
    case 'reopening':
      return { zh: '关于部分区域恢复风险区域管控措施的通告', en: 'Notice on restoring measures in some areas after late-reported cases' };
    case 'update':
      return { zh: '关于部分风险区域预计解除（调整）日期变更的通告', en: 'Notice on changed expected lifting dates of some risk areas' };
  }
}

const INTRO: Record<NoticeKind, string> = {
  rule_transition: '根据国家和省、市疫情防控有关规定，经综合研判，下列风险区域已符合解除（调整）条件，现通告如下：',
  hand_lift: '根据疫情防控工作需要，经综合研判，决定解除下列风险区域，现通告如下：',
  reopening: '根据疫情防控工作需要，经综合研判，下列已解除的区域恢复为风险区域，现通告如下：',
  update: '因下列风险区域新增病例或核酸筛查情况变化，其预计解除（调整）日期相应变更，现通告如下：',
};

/** '自2022年11月18日0时起解除高风险区' / '…由封控区调整为管控区'. */
function changeClause(item: NoticeItem): string {
  const from = item.fromKind ? kindName(item.edition, item.fromKind).zh : null;
  const to = item.toKind ? kindName(item.edition, item.toKind).zh : null;
  const since = `自${chineseDate(item.effectiveOn)}0时起`;
  if (from && to) return `${since}由${from}调整为${to}`;
  if (from) return `${since}解除${from}`;
  return `${since}为${to ?? ''}`;
}

/** True when `ruleId` is the transition a new case records (shanghai-2022: a controlled zone turns sealed). */
function isCaseEffectRule(item: NoticeItem): boolean {
  return Object.values(EDITIONS[item.edition].caseEffects).some((effect) => effect?.ruleId !== undefined && effect.ruleId === item.rule?.id);
}

function ruleSentence(item: NoticeItem, publishedOn: string): string | null {
  if (!item.rule) return null;
  if (isCaseEffectRule(item)) return '因该区域新增病例，按规定调整，无新增病例天数重新计算。';
  const parts = [`该区域已连续${item.rule.caseFreeDays}天无新增感染者`];
  if (item.rule.screeningOn) parts.push(`${dayOf(item.rule.screeningOn, publishedOn)}全员核酸筛查结果均为阴性`);
  const rule = stepRule(item);
  const basis = rule ? `，符合“${rule.description.zh}”的规定` : '';
  return `${parts.join('，')}${basis}。`;
}

/** What the next change of a zone is called: 解除 when its next rule lifts it, 调整 when it steps down. */
function nextChangeWord(item: NoticeItem): string {
  const rule = stepRule(item);
  if (rule) return rule.to === null ? '解除' : '调整';
  return '解除（调整）';
}

function itemLine(kind: NoticeKind, item: NoticeItem, index: number, publishedOn: string): string {
  const place = placeName(item.zoneName, item.countyName);
  switch (kind) {
    case 'rule_transition': {
      const sentence = ruleSentence(item, publishedOn);
      return `${index}. ${place}，${changeClause(item)}。${sentence ?? ''}`;
    }
    case 'hand_lift': {
      const reason = item.reason?.trim().replace(/[。；;，,\s]+$/, '');
      return `${index}. ${place}，${changeClause(item)}。${reason ? `解除原因：${reason}。` : ''}`;
    }
    case 'reopening': {
      const to = kindName(item.edition, item.toKind ?? 'sealed').zh;
      const parts = [`${index}. 因补报病例，${place}恢复为${to}，自${chineseDate(item.effectiveOn)}起执行${to}管控措施`];
      if (item.lastCaseOn) parts.push(`无新增病例天数自${chineseDate(item.lastCaseOn)}起重新计算`);
      const word = nextChangeWord(item);
      parts.push(item.nextChangeOn ? `预计${word}日期为${chineseDate(item.nextChangeOn)}` : `${word}时另行通告`);
      return `${parts.join('，')}。`;
    }
    case 'update': {
      const current = kindName(item.edition, listedKind(item)).zh;
      const word = nextChangeWord(item);
      const parts: string[] = [];
      if (item.lastCaseOn) {
        parts.push(`${index}. ${place}（${current}）新增病例，无新增病例天数自${chineseDate(item.lastCaseOn)}起重新计算`);
      } else {
        const reason = item.reason?.trim().replace(/[。；;，,\s]+$/, '');
        parts.push(`${index}. ${place}（${current}）${reason ? `因${reason}` : '核酸筛查情况变化'}`);
      }
      if (item.nextChangeOn) parts.push(`预计${word}日期${item.lastCaseOn ? '顺延至' : '变更为'}${chineseDate(item.nextChangeOn)}`);
      else parts.push(`${word}时另行通告`);
      return `${parts.join('，')}。`;
    }
  }
}

/**
 * The kinds zones are in after the notice, with how they got there: their measures and lifting
 * conditions are quoted at the end, since the people of a stepped-down zone need to know what
 * still applies. A kind set by hand, restored, or made stricter by a case counts as designated (bulletins.service.ts: "a
 * kind set by hand is a new designation for the rules").
 */
function kindsInForce(kind: NoticeKind, items: readonly NoticeItem[]): KindUnderEdition[] {
  if (kind === 'update') return [];
  return items.flatMap((item): KindUnderEdition[] => {
    if (item.toKind === null) return [];
    const steppedDown = kind === 'rule_transition' && item.fromKind !== null && ZONE_KINDS.indexOf(item.toKind) > ZONE_KINDS.indexOf(item.fromKind);
    return [{ edition: item.edition, kind: item.toKind, arrivedBy: steppedDown ? 'step-down' : 'designation' }];
  });
}

/**
 * The text of a numbered notice: the zones by county, kind and name, each with the change, the
 * day it takes effect and why, then the measures of the kinds zones are now in, then where to call.
 */
export function noticeText(n: { number: number; kind: NoticeKind; publishedOn: string; items: NoticeItem[]; hotlines: CountyHotlines[] }): string {
  const lines: string[] = [noticeTitle(n.kind, n.items).zh, `（第${n.number}号）`, '', INTRO[n.kind], ''];
  let section = 0;
  for (const group of groupByCounty(n.items, (item) => ({ countyName: item.countyName, kind: listedKind(item), name: item.zoneName }))) {
    lines.push(`${chineseNumeral(++section)}、${countyHeading(group.countyName)}`);
    group.items.forEach((item, i) => lines.push(itemLine(n.kind, item, i + 1, n.publishedOn)));
    lines.push('');
  }

  const inForce = kindsInForce(n.kind, n.items);
  if (inForce.length > 0) lines.push(`${chineseNumeral(++section)}、管控措施和解除条件`, ...measureLines(inForce), '');

  lines.push(`${chineseNumeral(++section)}、咨询报备电话`, ...hotlineLines(n.hotlines), '');
  lines.push(MEDICAL_CARE_SENTENCE, '');
  lines.push(...signatureLines(n.publishedOn));
  return lines.join('\n');
}
