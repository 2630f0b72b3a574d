import { describe, expect, it } from 'vitest';
import { areaText, bulletinText, chineseNumeral, placeName, type BulletinZone } from './bulletin.text';
import { kindName } from '../expiry/measures';

function zone(overrides: Partial<BulletinZone> = {}): BulletinZone {
  return {
    kind: 'sealed',
    name: '某小区3号楼',
    countyName: '东昌府区',
    edition: 'protocol-8',
    effectiveOn: '2022-04-25',
    designatedOn: '2022-04-25',
    isChange: false,
    areaKm2: 0.12,
    extent: null,
    ...overrides,
  };
}

function text(zones: BulletinZone[], extra: Partial<Parameters<typeof bulletinText>[0]> = {}): string {
  return bulletinText({ number: 3, title: '关于划定风险区域的通告', publishedOn: '2022-04-25', zones, hotlines: [], ...extra });
}

/** The zone lines ("1. …") of a bulletin, in order. */
function zoneLines(body: string): string[] {
  return body.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe('bulletinText', () => {
  it('does not double the county when the zone name already starts with it', () => {
    const body = text([zone({ name: '东昌府区某小区3号楼' })]);
    expect(body).toContain('东昌府区某小区3号楼');
    expect(body).not.toContain('东昌府区东昌府区');
  });

  it('prefixes the county when the name does not name it', () => {
    expect(zoneLines(text([zone({ name: '某小区3号楼' })]))[0]).toContain('1. 东昌府区某小区3号楼');
  });

  it('dates a change by the day it takes effect, not by the designation date', () => {
    const body = text([zone({ isChange: true, effectiveOn: '2022-04-28', designatedOn: '2022-04-20' })], { publishedOn: '2022-04-28' });
    expect(zoneLines(body)[0]).toContain('调整日期：自2022年4月28日起');
    expect(body).not.toMatch(/调整日期：自2022年4月20日/);
  });

  it('says the case-free count starts from the designation date when that is earlier', () => {
    const line = zoneLines(text([zone({ isChange: true, effectiveOn: '2022-04-28', designatedOn: '2022-04-20' })]))[0];
    expect(line).toContain('无新增感染者天数自2022年4月20日起计算');
  });

  it('dates a new designation as 划定日期 without a separate count start', () => {
    const line = zoneLines(text([zone()]))[0];
    expect(line).toContain('划定日期：自2022年4月25日起');
    expect(line).not.toContain('起计算');
  });

  it('lists zones by county, then strictest kind, then name, with zones outside a county last', () => {
    const body = text([
      zone({ name: '乙小区', kind: 'controlled' }),
      zone({ name: '无县村', countyName: null }),
      zone({ name: '乙楼', kind: 'sealed' }),
      zone({ name: '甲楼', kind: 'sealed' }),
      zone({ name: '振兴街道某村', countyName: '茌平区', kind: 'precaution' }),
    ]);
    const order = ['茌平区振兴街道某村', '东昌府区甲楼', '东昌府区乙楼', '东昌府区乙小区', '无县村'];
    const lines = zoneLines(body);
    expect(order.map((name) => lines.findIndex((line) => line.includes(name)))).toEqual([0, 1, 2, 3, 4]);
    expect(body.indexOf('（一）茌平区')).toBeLessThan(body.indexOf('（二）东昌府区'));
    expect(body).toContain('（三）其他区域');
  });

  it('gives the 四至 when the designator gave one', () => {
    const line = zoneLines(text([zone({ extent: '四至：东至文化路、西至振兴路、南至黄河路、北至湖南路。' })]))[0];
    expect(line).toContain('（范围：东至文化路、西至振兴路、南至黄河路、北至湖南路）');
    expect(line).not.toContain('面积');
  });

  it('gives the area, rounded, when there is no 四至', () => {
    expect(zoneLines(text([zone({ areaKm2: 0.123456 })]))[0]).toContain('（面积约0.12平方公里）');
  });

  it('quotes the measures and the lifting condition of the zone\'s edition', () => {
    const body = text([zone({ edition: 'protocol-8', kind: 'sealed' })]);
    expect(body).toContain('封控区实行“区域封闭、足不出户、服务上门”措施');
    expect(body).toContain('解除条件：封控区连续14天无新增感染者且解封前2天内全员核酸筛查阴性，解除封控。');
  });

  it('gives the county cascade as the condition of a protocol-8 precaution zone', () => {
    expect(text([zone({ kind: 'precaution' })])).toContain('所在县（市、区）封控区、管控区已全部解除');
  });

  it('follows a step-down to the rule of the kind it leads to', () => {
    const body = text([zone({ edition: 'shanghai-2022', kind: 'sealed' })]);
    expect(body).toContain('调整和解除条件：封控区连续7天无新增感染者，降为管控区；由封控区降级的管控区再连续3天无新增感染者，降为防范区；防范区解除时另行通告。');
  });

  it('says a kind without an automatic rule is lifted when announced', () => {
    expect(text([zone({ edition: 'shanghai-2022', kind: 'precaution' })])).toContain('解除时另行通告');
  });

  it('calls sealed zones 高风险区 under the twenty measures', () => {
    const body = text([zone({ edition: 'twenty-measures' })]);
    expect(body).toContain('高风险区（1个）');
    expect(body).toContain('高风险区实行“区域封闭、足不出户、服务上门”措施。解除条件：高风险区连续5天未发现新增感染者，降为低风险区。');
    expect(body).not.toContain('封控区');
  });

  it('calls sealed and controlled zones 高风险区 and 中风险区 under protocol-9', () => {
    const body = text([zone({ edition: 'protocol-9' }), zone({ edition: 'protocol-9', kind: 'controlled', name: '某社区' })]);
    expect(body).toContain('高风险区（1个）');
    expect(body).toContain('中风险区（1个）');
    expect(body).not.toMatch(/^(封控区|管控区)（/m);
  });

  it('calls sealed zones 封控区 under protocol-8', () => {
    const body = text([zone({ edition: 'protocol-8' })]);
    expect(body).toContain('封控区（1个）');
    expect(body).not.toContain('高风险区');
  });

  it('names each zone by its own edition when editions are mixed', () => {
    const body = text([zone({ edition: 'protocol-8', name: '甲楼' }), zone({ edition: 'protocol-9', name: '乙楼' })]);
    expect(body).toContain('封控区（1个）');
    expect(body).toContain('高风险区（1个）');
    expect(body).toContain('按《新型冠状病毒肺炎防控方案（第八版）》划定的封控区');
  });

  it('says near the top which bulletin it corrects', () => {
    const body = text([zone()], { corrects: { number: 2, title: '关于划定风险区域的通告' } });
    const line = body.split('\n').findIndex((l) => l.includes('本通告系对第2号通告《关于划定风险区域的通告》的更正'));
    expect(line).toBeGreaterThan(0);
    expect(line).toBeLessThan(body.split('\n').findIndex((l) => l.startsWith('一、')));
  });

  it('says nothing about corrections when it corrects nothing', () => {
    expect(text([zone()])).not.toContain('更正');
  });

  it('lists the hotlines given and signs with the issuer and the publication date', () => {
    const body = text([zone()], { hotlines: [{ county: '东昌府区', lines: [{ township: '新区街道办事处', phones: ['0635-8322019', '0635-8327010'] }] }] });
    expect(body).toContain('  新区街道办事处 0635-8322019、0635-8327010');
    expect(body.endsWith('聊城市委统筹疫情防控和经济运行工作领导小组(指挥部)办公室\n2022年4月25日')).toBe(true);
  });
});

describe('areaText', () => {
  it('keeps two significant digits below 1 km²', () => {
    expect(areaText(0.0456)).toBe('面积约0.046平方公里');
  });

  it('gives one decimal from 1 km² and whole numbers from 10 km²', () => {
    expect([areaText(1.26), areaText(12.6)]).toEqual(['面积约1.3平方公里', '面积约13平方公里']);
  });

  it('gives square metres for a building-sized zone', () => {
    expect(areaText(0.000834)).toBe('面积约830平方米');
  });

  it('gives nothing for an empty area', () => {
    expect(areaText(0)).toBeNull();
  });
});

describe('placeName', () => {
  it('does not prefix a name that starts with the city and the county', () => {
    expect(placeName('聊城市东昌府区某小区', '东昌府区')).toBe('聊城市东昌府区某小区');
  });
});

describe('chineseNumeral', () => {
  it('writes section numbers past ten', () => {
    expect([1, 10, 12, 20, 21].map(chineseNumeral)).toEqual(['一', '十', '十二', '二十', '二十一']);
  });
});

describe('kindName', () => {
  it('uses 封控区/管控区/防范区 under protocol-8 and shanghai-2022', () => {
    expect([kindName('protocol-8', 'sealed').zh, kindName('shanghai-2022', 'controlled').zh]).toEqual(['封控区', '管控区']);
  });

  it('uses the risk levels under protocol-9 and the twenty measures', () => {
    expect([kindName('protocol-9', 'controlled'), kindName('twenty-measures', 'sealed')]).toEqual([
      { zh: '中风险区', en: 'medium-risk area' },
      { zh: '高风险区', en: 'high-risk area' },
    ]);
  });
});
