/**
 * The text of a designators' bulletin (通告), in the style of the city's published notices, and the
 * pieces every published notice shares (dates, numbering, place names, order, hotlines,
 * signature). The lifting and adjustment notices (publications/notice.text.ts) reuse them.
 *
 * What the text may say follows docs/rules.md, "What the public is told": dates are the dates things
 * take effect, names follow each zone's edition, and nothing identifies a case.
 */
import { MEASURES, kindName } from '../expiry/measures';
import { EDITIONS, EDITION_IDS, ZONE_KINDS, findStepRule, type ArrivedBy, type EditionId, type ZoneKind } from '../expiry/editions';

/** A zone as a bulletin publishes it. */
export interface BulletinZone {
  kind: ZoneKind;
  name: string;
  countyName: string | null;
  edition: EditionId;
  /** 'YYYY-MM-DD' the day this designation or change takes effect (the publication day) */
  effectiveOn: string;
  /** when the count of case-free days starts; may be earlier than effectiveOn */
  designatedOn: string;
  /** true when a published zone is changed (redrawn, renamed, kind changed) rather than newly designated */
  isChange: boolean;
  /** area in km², from PostGIS */
  areaKm2: number;
  /** the 四至 (boundary description: 东至…、西至…、南至…、北至…) the designator gave, or null */
  extent: string | null;
}

/** The township hotlines of one county, as seed 000 lists them. */
export interface CountyHotlines {
  county: string;
  lines: { township: string; phones: string[] }[];
}

/** The issuing office, as it signs the letter to residents of 2022-04-25 (seed 000). */
export const ISSUER = '聊城市委统筹疫情防控和经济运行工作领导小组(指挥部)办公室';

/** The closing paragraph on medical care, shared by every notice. */
export const MEDICAL_CARE_SENTENCE =
  '风险区域内的群众如需就医，请联系所在社区（村）安排，就近前往定点医院。请广大市民群众理解、支持、配合疫情防控工作。';

/** '2022-04-25' → '2022年4月25日'. */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → '一', 10 → '十', 12 → '十二', 21 → '二十一' (section numbers; 1 ≤ n ≤ 99). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`no Chinese section numeral for ${n}`);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/**
 * A zone's name as the public reads it: prefixed with its county unless the name already names
 * it, at the start or after the city ("东昌府区某小区", "聊城市东昌府区某小区").
 */
export function placeName(name: string, countyName: string | null): string {
  if (!countyName) return name;
  const at = name.indexOf(countyName);
  if (at === 0 || (at > 0 && name.slice(0, at).endsWith('市'))) return name;
  return `${countyName}${name}`;
}

/** Zones without a county sort after every county. */
function compareCounty(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b, 'zh');
}

/** One county's items (countyName null: zones outside every county outline), in published order. */
export interface CountyGroup<T> {
  countyName: string | null;
  items: T[];
}

/**
 * Items in the order every notice lists them: by county (by name, those without one last), then
 * by kind (strictest first), then by name.
 */
export function groupByCounty<T>(items: readonly T[], facts: (item: T) => { countyName: string | null; kind: ZoneKind; name: string }): CountyGroup<T>[] {
  const sorted = [...items].sort((a, b) => {
    const fa = facts(a);
    const fb = facts(b);
    return (
      compareCounty(fa.countyName, fb.countyName) ||
      ZONE_KINDS.indexOf(fa.kind) - ZONE_KINDS.indexOf(fb.kind) ||
      fa.name.localeCompare(fb.name, 'zh')
    );
  });
  const groups: CountyGroup<T>[] = [];
  for (const item of sorted) {
    const countyName = facts(item).countyName;
    const last = groups[groups.length - 1];
    if (last && last.countyName === countyName) last.items.push(item);
    else groups.push({ countyName, items: [item] });
  }
  return groups;
}

/** The heading of a county group. */
export function countyHeading(countyName: string | null): string {
  return countyName ?? '其他区域';
}

/** The lines under the hotline heading: the county tables given, or where to call instead. */
export function hotlineLines(hotlines: readonly CountyHotlines[]): string[] {
  if (hotlines.length === 0) return ['请拨打所在乡镇（街道）公布的咨询报备电话。'];
  const lines: string[] = [];
  for (const county of hotlines) {
    lines.push(`${county.county}：`);
    for (const l of county.lines) lines.push(`  ${l.township} ${l.phones.join('、')}`);
  }
  lines.push('其他县（市、区）请拨打所在乡镇（街道）公布的咨询报备电话。');
  return lines;
}

/** The signature: the issuing office and the publication date. */
export function signatureLines(publishedOn: string): string[] {
  return [ISSUER, chineseDate(publishedOn)];
}

/**
 * The condition under which a zone of `kind` under `edition` is lifted, in the edition's own
 * words: the step rule for a zone that arrived at that kind as `arrivedBy`, followed through the steps
 * it leads to (a sealed zone stepped down to controlled goes on by the controlled rule for zones
 * "reached that way"). A kind the edition lifts only by hand is "lifted when announced".
 */
export function liftingCondition(edition: EditionId, kind: ZoneKind, arrivedBy: ArrivedBy = 'designation'): { label: string; text: string } {
  const table = EDITIONS[edition];
  const steps: string[] = [];
  let current: ZoneKind | null = kind;
  let rule = findStepRule(table, kind, arrivedBy);
  if (!rule) return { label: '解除方式', text: `${kindName(edition, kind).zh}经综合研判后解除，解除时另行通告` };
  let steppedDown = false;
  // Rules only step zones down (editions.test.ts), so this ends within ZONE_KINDS.length steps.
  while (rule) {
    steps.push(rule.description.zh);
    current = rule.to;
    if (current === null) break;
    steppedDown = true;
    rule = findStepRule(table, current, 'step-down');
  }
  if (current !== null) steps.push(`${kindName(edition, current).zh}解除时另行通告`);
  return { label: steppedDown ? '调整和解除条件' : '解除条件', text: steps.join('；') };
}

/** '面积约0.12平方公里': whole km² from 10, one decimal from 1, two significant digits below; m² under 0.01 km². */
export function areaText(areaKm2: number): string | null {
  if (!Number.isFinite(areaKm2) || areaKm2 <= 0) return null;
  if (areaKm2 >= 10) return `面积约${Math.round(areaKm2)}平方公里`;
  if (areaKm2 >= 1) return `面积约${Number(areaKm2.toFixed(1))}平方公里`;
  if (areaKm2 >= 0.01) return `面积约${Number(areaKm2.toPrecision(2))}平方公里`;
  return `面积约${Number((areaKm2 * 1e6).toPrecision(2))}平方米`;
}

/** The designator's 四至, without a label or closing punctuation they may have typed. */
function extentText(extent: string | null): string | null {
  const text = extent
    ?.trim()
    .replace(/^(四至|范围)[:：]\s*/, '')
    .replace(/[。；;，,\s]+$/, '');
  return text ? `范围：${text}` : null;
}

function zoneLine(zone: BulletinZone, index: number): string {
  const where = extentText(zone.extent) ?? areaText(zone.areaKm2);
  const parts = [`${index}. ${placeName(zone.name, zone.countyName)}${where ? `（${where}）` : ''}`];
  parts.push(`${zone.isChange ? '调整日期' : '划定日期'}：自${chineseDate(zone.effectiveOn)}起`);
  if (zone.designatedOn < zone.effectiveOn) parts.push(`无新增感染者天数自${chineseDate(zone.designatedOn)}起计算`);
  return `${parts.join('，')}。`;
}

/** A kind as it applies under an edition, to zones that arrived at it by designation or by a step down. */
export interface KindUnderEdition {
  edition: EditionId;
  kind: ZoneKind;
  arrivedBy: ArrivedBy;
}

/**
 * One numbered line per distinct kind present: its name under the edition, the measures of the
 * kind, and its lifting condition. Strictest kind first, then editions in EDITION_IDS order;
 * the edition is named only when several appear, since they can name a kind alike and lift it
 * differently.
 */
export function measureLines(present: readonly KindUnderEdition[]): string[] {
  const key = (p: KindUnderEdition) => `${p.kind}|${p.edition}|${p.arrivedBy}`;
  const unique = [...new Map(present.map((p) => [key(p), p])).values()].sort(
    (a, b) =>
      ZONE_KINDS.indexOf(a.kind) - ZONE_KINDS.indexOf(b.kind) ||
      EDITION_IDS.indexOf(a.edition) - EDITION_IDS.indexOf(b.edition) ||
      (a.arrivedBy === b.arrivedBy ? 0 : a.arrivedBy === 'designation' ? -1 : 1),
  );
  const severalEditions = new Set(unique.map((p) => p.edition)).size > 1;
  return unique.map(({ edition, kind, arrivedBy }, i) => {
    const name = kindName(edition, kind).zh;
    const under = severalEditions ? `按《${EDITIONS[edition].names.zh}》` : '';
    const which = arrivedBy === 'step-down' ? `${under}降级形成的` : under ? `${under}划定的` : '';
    const condition = liftingCondition(edition, kind, arrivedBy);
    return `（${chineseNumeral(i + 1)}）${which}${name}实行“${MEASURES[kind].zh}”措施。${condition.label}：${condition.text}。`;
  });
}

/**
 * The notice text of a bulletin: the zones by county, kind and name with their extent and the date
 * they take effect, then the measures and lifting condition of each kind under its edition, then
 * where to call. Hotlines are listed only where the source documents give them (seed 000 lists the
 * townships of 东昌府区); elsewhere the text points to the local township office without
 * inventing a number. `corrects` names the earlier bulletin this one corrects: the earlier text is
 * never rewritten (docs/rules.md).
 */
export function bulletinText(b: {
  number: number;
  title: string;
  publishedOn: string;
  zones: BulletinZone[];
  hotlines: CountyHotlines[];
  corrects?: { number: number; title: string } | null;
}): string {
  const lines: string[] = [];
  lines.push(b.title, `（第${b.number}号）`, '');
  if (b.corrects) {
    lines.push(`本通告系对第${b.corrects.number}号通告《${b.corrects.title}》的更正，相关内容以本通告为准。`, '');
  }
  lines.push('根据疫情防控工作需要，经综合研判，现将风险区域划定（调整）情况通告如下：', '');

  let section = 0;
  if (b.zones.length > 0) {
    lines.push(`${chineseNumeral(++section)}、风险区域`);
    groupByCounty(b.zones, (z) => z).forEach((group, g) => {
      lines.push(`（${chineseNumeral(g + 1)}）${countyHeading(group.countyName)}`);
      for (const kind of ZONE_KINDS) {
        const ofKind = group.items.filter((z) => z.kind === kind);
        // Zones of several editions (rare) each keep their own edition's name for the kind.
        for (const name of new Set(ofKind.map((z) => kindName(z.edition, kind).zh))) {
          const named = ofKind.filter((z) => kindName(z.edition, kind).zh === name);
          lines.push(`${name}（${named.length}个）：`);
          named.forEach((zone, i) => lines.push(zoneLine(zone, i + 1)));
        }
      }
    });
    lines.push('');

    lines.push(`${chineseNumeral(++section)}、管控措施和解除条件`);
    lines.push(...measureLines(b.zones.map((z) => ({ edition: z.edition, kind: z.kind, arrivedBy: 'designation' }))));
    lines.push('');
  }

  lines.push(`${chineseNumeral(++section)}、咨询报备电话`, ...hotlineLines(b.hotlines), '');
  lines.push(MEDICAL_CARE_SENTENCE, '');
  lines.push(...signatureLines(b.publishedOn));
  return lines.join('\n');
}
