import { describe, expect, it } from 'vitest';
import { noticeText, noticeTitle, type NoticeItem, type NoticeKind } from './notice.text';

function item(overrides: Partial<NoticeItem> = {}): NoticeItem {
  return {
    zoneName: '某小区3号楼',
    countyName: '东昌府区',
    edition: 'twenty-measures',
    fromKind: 'sealed',
    toKind: null,
    effectiveOn: '2022-11-18',
    rule: { id: 'twenty-measures/sealed-lift-5', caseFreeDays: 5 },
    ...overrides,
  };
}

function text(kind: NoticeKind, items: NoticeItem[], publishedOn = '2022-11-18'): string {
  return noticeText({ number: 21, kind, publishedOn, items, hotlines: [] });
}

/** The item lines ("1. …") of a notice, in order. */
function itemLines(body: string): string[] {
  return body.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe('noticeTitle', () => {
  it('says 解除 when every rule transition lifts a zone', () => {
    expect(noticeTitle('rule_transition', [item()]).zh).toBe('关于解除部分风险区域的通告');
  });

  it('says 调整 when every rule transition steps a zone down', () => {
    expect(noticeTitle('rule_transition', [item({ toKind: 'controlled' })]).zh).toBe('关于调整部分风险区域的通告');
  });

  it('says both when a notice lifts some zones and steps others down', () => {
    expect(noticeTitle('rule_transition', [item(), item({ toKind: 'controlled' })]).zh).toBe('关于解除和调整部分风险区域的通告');
  });

  it('gives an English title too', () => {
    expect(noticeTitle('hand_lift', [item()]).en).toBe('Notice on lifting some risk areas');
  });
});

describe('noticeText: rule transitions', () => {
  it('lifts a high-risk area from 00:00 on its day, in the edition\'s names, by the rule that did it', () => {
    const line = itemLines(text('rule_transition', [item()]))[0];
    expect(line).toBe(
      '1. 东昌府区某小区3号楼，自2022年11月18日0时起解除高风险区。该区域已连续5天无新增感染者，符合“高风险区连续5天未发现新增感染者，降为低风险区”的规定。',
    );
  });

  it('names the step from kind to kind under protocol-9, with the screening round', () => {
    const line = itemLines(
      text(
        'rule_transition',
        [item({ edition: 'protocol-9', toKind: 'controlled', effectiveOn: '2022-07-10', rule: { id: 'protocol-9/sealed-to-controlled-7', caseFreeDays: 7, screeningOn: '2022-07-09' } })],
        '2022-07-10',
      ),
    )[0];
    expect(line).toContain('自2022年7月10日0时起由高风险区调整为中风险区');
    expect(line).toContain('已连续7天无新增感染者，7月9日全员核酸筛查结果均为阴性');
    expect(line).toContain('高风险区（封控区）连续7天无新增感染者且第7天全员核酸筛查阴性');
  });

  it('uses 封控区/管控区 under shanghai-2022', () => {
    const line = itemLines(
      text('rule_transition', [item({ edition: 'shanghai-2022', toKind: 'controlled', rule: { id: 'shanghai-2022/sealed-to-controlled-7', caseFreeDays: 7 } })]),
    )[0];
    expect(line).toContain('由封控区调整为管控区');
    expect(line).not.toContain('风险区');
  });

  it('quotes the measures and the next condition of the kind a zone stepped down to', () => {
    const body = text('rule_transition', [
      item({ edition: 'shanghai-2022', toKind: 'controlled', rule: { id: 'shanghai-2022/sealed-to-controlled-7', caseFreeDays: 7 } }),
    ]);
    expect(body).toContain('降级形成的管控区实行“人不出区、严禁聚集”措施。调整和解除条件：由封控区降级的管控区再连续3天无新增感染者，降为防范区');
  });

  it('does not claim case-free days for a zone a new case turned back into a sealed zone', () => {
    const line = itemLines(
      text('rule_transition', [
        item({ edition: 'shanghai-2022', fromKind: 'controlled', toKind: 'sealed', rule: { id: 'shanghai-2022/controlled-case-reverts-to-sealed', caseFreeDays: 0 } }),
      ]),
    )[0];
    expect(line).toContain('由管控区调整为封控区');
    expect(line).not.toContain('已连续');
  });

  it('lists zones by county, then strictest kind, then name', () => {
    const lines = itemLines(
      text('rule_transition', [
        item({ zoneName: '乙楼', edition: 'protocol-8', fromKind: 'controlled', rule: { id: 'protocol-8/controlled-lift-14', caseFreeDays: 14 } }),
        item({ zoneName: '乙楼', edition: 'protocol-8', countyName: null, rule: { id: 'protocol-8/sealed-lift-14', caseFreeDays: 14 } }),
        item({ zoneName: '甲楼', edition: 'protocol-8', fromKind: 'controlled', rule: { id: 'protocol-8/controlled-lift-14', caseFreeDays: 14 } }),
        item({ zoneName: '丙楼', edition: 'protocol-8', rule: { id: 'protocol-8/sealed-lift-14', caseFreeDays: 14 } }),
        item({ zoneName: '某村', edition: 'protocol-8', countyName: '茌平区', rule: { id: 'protocol-8/sealed-lift-14', caseFreeDays: 14 } }),
      ]),
    );
    expect(lines.map((line) => line.slice(3, line.indexOf('，')))).toEqual(['茌平区某村', '东昌府区丙楼', '东昌府区甲楼', '东昌府区乙楼', '乙楼']);
  });
});

describe('noticeText: lifts by hand', () => {
  it('gives the designator\'s reason and the day the lift takes effect', () => {
    const line = itemLines(
      text('hand_lift', [item({ edition: 'protocol-8', fromKind: 'precaution', effectiveOn: '2022-05-03', rule: null, reason: '经流调研判，风险已消除。' })]),
    )[0];
    expect(line).toBe('1. 东昌府区某小区3号楼，自2022年5月3日0时起解除防范区。解除原因：经流调研判，风险已消除。');
  });
});

describe('noticeText: reopenings', () => {
  it('says a late-reported case restores the zone, from when, and its new expected date', () => {
    const line = itemLines(
      text('reopening', [item({ fromKind: null, toKind: 'sealed', effectiveOn: '2022-11-20', lastCaseOn: '2022-11-17', nextChangeOn: '2022-11-23' })], '2022-11-20'),
    )[0];
    expect(line).toBe(
      '1. 因补报病例，东昌府区某小区3号楼恢复为高风险区，自2022年11月20日起执行高风险区管控措施，无新增病例天数自2022年11月17日起重新计算，预计解除日期为2022年11月23日。',
    );
  });

  it('quotes the measures of the restored kind and says when no date is known', () => {
    const body = text('reopening', [item({ edition: 'protocol-8', fromKind: null, toKind: 'sealed', rule: null, nextChangeOn: null })]);
    expect(itemLines(body)[0]).toContain('恢复为封控区');
    expect(itemLines(body)[0]).toContain('解除（调整）时另行通告');
    expect(body).toContain('封控区实行“区域封闭、足不出户、服务上门”措施');
  });
});

describe('noticeText: updates', () => {
  it('restarts the count after a new case and moves the expected date, without counts', () => {
    const body = text('update', [item({ toKind: 'sealed', effectiveOn: '2022-11-20', lastCaseOn: '2022-11-19', nextChangeOn: '2022-11-25' })], '2022-11-20');
    expect(itemLines(body)[0]).toBe('1. 东昌府区某小区3号楼（高风险区）新增病例，无新增病例天数自2022年11月19日起重新计算，预计解除日期顺延至2022年11月25日。');
    expect(body).not.toMatch(/\d+例/);
  });

  it('gives the cause when a screening round moved the date', () => {
    const line = itemLines(
      text('update', [
        item({
          edition: 'protocol-9',
          toKind: 'sealed',
          rule: { id: 'protocol-9/sealed-to-controlled-7', caseFreeDays: 7 },
          reason: '第7天全员核酸筛查尚未完成',
          nextChangeOn: '2022-07-12',
        }),
      ]),
    )[0];
    expect(line).toBe('1. 东昌府区某小区3号楼（高风险区）因第7天全员核酸筛查尚未完成，预计调整日期变更为2022年7月12日。');
  });
});

describe('noticeText: frame', () => {
  it('numbers the notice and ends with the hotlines, the issuer and the publication date', () => {
    const body = noticeText({
      number: 21,
      kind: 'hand_lift',
      publishedOn: '2022-05-02',
      items: [item({ rule: null })],
      hotlines: [{ county: '东昌府区', lines: [{ township: '古楼街道办事处', phones: ['0635-8426860'] }] }],
    });
    expect(body.split('\n').slice(0, 2)).toEqual(['关于解除部分风险区域的通告', '（第21号）']);
    expect(body).toContain('、咨询报备电话\n东昌府区：\n  古楼街道办事处 0635-8426860');
    expect(body.endsWith('聊城市委统筹疫情防控和经济运行工作领导小组(指挥部)办公室\n2022年5月2日')).toBe(true);
  });
});
