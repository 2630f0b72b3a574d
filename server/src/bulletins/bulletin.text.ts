import { MEASURES, KIND_NAMES } from '../expiry/measures';
import type { ZoneKind } from '../expiry/editions';

export interface BulletinZone {
  kind: ZoneKind;
  name: string;
  countyName: string | null;
  designatedOn: string;
  isChange: boolean;
}

export interface CountyHotlines {
  county: string;
  lines: { township: string; phones: string[] }[];
}

/** The issuing office, as it signs the letter to residents of 2022-04-25 (seed 000). */
export const ISSUER = '聊城市委统筹疫情防控和经济运行工作领导小组(指挥部)办公室';

const ORDER: ZoneKind[] = ['sealed', 'controlled', 'precaution'];
const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六'];

function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * The notice text of a bulletin, in the style of the city's published notices: the zones by kind
 * with their measures, then where to call. Hotlines are listed only where the source documents
 * give them (seed 000 lists the townships of 东昌府区); elsewhere the text points to the local
 * township office without inventing a number.
 */
export function bulletinText(b: { number: number; title: string; publishedOn: string; zones: BulletinZone[]; hotlines: CountyHotlines[] }): string {
  const lines: string[] = [];
  lines.push(b.title, `（第${b.number}号）`, '');
  lines.push('根据疫情防控工作需要，经综合研判，现将风险区域划定（调整）情况通告如下：', '');
  let section = 0;
  for (const kind of ORDER) {
    const zones = b.zones.filter((z) => z.kind === kind);
    if (zones.length === 0) continue;
    lines.push(`${CHINESE_NUMERALS[section++]}、${KIND_NAMES[kind].zh}（${zones.length}个）`);
    zones.forEach((z, i) => {
      const where = z.countyName ? `${z.countyName}${z.name}` : z.name;
      lines.push(`${i + 1}. ${where}（${z.isChange ? '调整' : '划定'}日期：${chineseDate(z.designatedOn)}）`);
    });
    lines.push(`${KIND_NAMES[kind].zh}实行“${MEASURES[kind].zh}”措施。`, '');
  }
  lines.push(`${CHINESE_NUMERALS[section++]}、咨询报备电话`);
  if (b.hotlines.length === 0) {
    lines.push('请拨打所在乡镇（街道）公布的咨询报备电话。');
  } else {
    for (const county of b.hotlines) {
      lines.push(`${county.county}：`);
      for (const l of county.lines) lines.push(`  ${l.township} ${l.phones.join('、')}`);
    }
    lines.push('其他县（市、区）请拨打所在乡镇（街道）公布的咨询报备电话。');
  }
  lines.push('');
  lines.push('风险区域内的群众如需就医，请联系所在社区（村）安排，就近前往定点医院。请广大市民群众理解、支持、配合疫情防控工作。', '');
  lines.push(ISSUER, chineseDate(b.publishedOn));
  return lines.join('\n');
}
