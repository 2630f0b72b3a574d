import { describe, expect, it } from 'vitest';
import { MANUAL_LIFT_RULE, caseEffect, evaluateZones, type ZoneFacts, type ZoneStatusAsOf } from './engine';

/** A zone's facts with no case, no screening round and no county unless given. */
function zone(facts: Pick<ZoneFacts, 'id' | 'kind' | 'edition' | 'designatedOn'> & Partial<ZoneFacts>): ZoneFacts {
  return { countyCode: null, cases: [], screenings: [], ...facts };
}

function statusOf(zones: ZoneFacts[], asOf: string, id: string): ZoneStatusAsOf {
  const status = evaluateZones(zones, asOf).get(id);
  if (!status) throw new Error(`no status for ${id}`);
  return status;
}

const cases = (...dates: string[]) => dates.map((reportedOn) => ({ reportedOn }));
const negativeRounds = (...dates: string[]) => dates.map((on) => ({ on, negative: true }));

describe('docs/rules.md worked example (twenty-measures: designated 2022-11-10, last case 2022-11-12)', () => {
  const example = () =>
    zone({ id: 'hz-1', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-12') });

  it('is still sealed at the end of 2022-11-17, five case-free days done, lifting next on 2022-11-18', () => {
    const status = statusOf([example()], '2022-11-17', 'hz-1');
    expect(status).toMatchObject({
      inForce: true,
      kind: 'sealed',
      lastCaseOn: '2022-11-12',
      anchorOn: '2022-11-12',
      caseFreeDays: 5,
      requiredCaseFreeDays: 5,
      nextChangeOn: '2022-11-18',
      nextKind: null,
      liftsNext: true,
      waitingFor: null,
      transitions: [],
    });
  });

  it('is lifted on 2022-11-18 by twenty-measures/sealed-lift-5', () => {
    const status = statusOf([example()], '2022-11-18', 'hz-1');
    expect(status.inForce).toBe(false);
    expect(status.kind).toBeNull();
    expect(status.liftedOn).toBe('2022-11-18');
    expect(status.transitions).toEqual([
      expect.objectContaining({
        zoneId: 'hz-1',
        effectiveOn: '2022-11-18',
        from: 'sealed',
        to: null,
        rule: 'twenty-measures/sealed-lift-5',
        anchorOn: '2022-11-12',
        caseFreeDays: 5,
      }),
    ]);
  });

  it('keeps caseFreeDays at 5 after the lift', () => {
    expect(statusOf([example()], '2022-12-31', 'hz-1').caseFreeDays).toBe(5);
  });

  it('writes a reason in Chinese and English', () => {
    const [transition] = statusOf([example()], '2022-11-18', 'hz-1').transitions;
    expect(transition.reason).toContain('高风险区连续5天未发现新增感染者');
    expect(transition.reason).toContain('2022-11-13–2022-11-17');
    expect(transition.reason).toContain('5 consecutive days without a new infection');
  });
});

describe('counting days', () => {
  it('counts a case on the designation day from that day', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-10') })],
      '2022-11-30',
      'z',
    );
    expect(status.lastCaseOn).toBe('2022-11-10');
    expect(status.liftedOn).toBe('2022-11-16');
  });

  it('ignores cases reported before the designation', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-08') })],
      '2022-11-30',
      'z',
    );
    expect(status.lastCaseOn).toBeNull();
    expect(status.liftedOn).toBe('2022-11-16');
  });

  it('restarts the count on a case reported on day D+N', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-15') })],
      '2022-11-30',
      'z',
    );
    expect(status.liftedOn).toBe('2022-11-21');
  });

  it('ignores a case reported on day D+N+1 in a zone lifted that day', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-16') })],
      '2022-11-30',
      'z',
    );
    expect(status.liftedOn).toBe('2022-11-16');
    expect(status.lastCaseOn).toBeNull();
  });

  it('applies a case reported on day D+N+1 to the new state of a zone that stepped down that day', () => {
    // shanghai-2022: sealed → controlled at 00:00 on 06-09; the case of 06-09 is inside a controlled zone.
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01', cases: cases('2022-06-09') })],
      '2022-06-09',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.from, t.to])).toEqual([
      ['2022-06-09', 'sealed', 'controlled'],
      ['2022-06-09', 'controlled', 'sealed'],
    ]);
  });

  it('shows 0 case-free days on the day of a case', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-13') })],
      '2022-11-13',
      'z',
    );
    expect(status.caseFreeDays).toBe(0);
  });

  it('does not know cases reported after the evaluated date', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-14') })],
      '2022-11-13',
      'z',
    );
    expect(status.lastCaseOn).toBeNull();
    expect(status.nextChangeOn).toBe('2022-11-16');
  });

  it('treats a zone designated after the evaluated date as not in force yet', () => {
    const status = statusOf([zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10' })], '2022-11-09', 'z');
    expect(status).toMatchObject({ inForce: false, kind: null, nextChangeOn: '2022-11-10', nextKind: 'sealed', transitions: [] });
  });
});

describe('a case entered late', () => {
  it('moves a predicted transition', () => {
    const facts = zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10' });
    expect(statusOf([facts], '2022-11-14', 'z').nextChangeOn).toBe('2022-11-16');
    const withLateCase = { ...facts, cases: cases('2022-11-13') };
    expect(statusOf([withLateCase], '2022-11-14', 'z').nextChangeOn).toBe('2022-11-19');
  });

  it('moves a transition that had already been computed as taken effect', () => {
    const facts = zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10' });
    expect(statusOf([facts], '2022-11-17', 'z').liftedOn).toBe('2022-11-16');
    const withLateCase = { ...facts, cases: cases('2022-11-14') };
    const status = statusOf([withLateCase], '2022-11-17', 'z');
    expect(status.inForce).toBe(true);
    expect(status.transitions).toEqual([]);
    expect(status.nextChangeOn).toBe('2022-11-20');
  });
});

describe('screening rounds (protocol-8: negative round within 2 days before lifting)', () => {
  // Designated 04-01, no case: D+14 = 04-15, lifting due 04-16; a round counts from 04-14.
  const sealedZone = (screenings: ZoneFacts['screenings']) =>
    zone({ id: 'z', kind: 'sealed', edition: 'protocol-8', designatedOn: '2022-04-01', screenings });

  it('lifts on D+15 with a negative round on D+N−1', () => {
    expect(statusOf([sealedZone(negativeRounds('2022-04-14'))], '2022-04-30', 'z').transitions).toEqual([
      expect.objectContaining({ effectiveOn: '2022-04-16', rule: 'protocol-8/sealed-lift-14', screeningOn: '2022-04-14', caseFreeDays: 14 }),
    ]);
  });

  it('waits for a screening when none is recorded', () => {
    const status = statusOf([sealedZone([])], '2022-04-20', 'z');
    expect(status).toMatchObject({
      inForce: true,
      kind: 'sealed',
      caseFreeDays: 19,
      waitingFor: 'screening',
      screeningNeededFrom: '2022-04-14',
      nextChangeOn: '2022-04-22',
      liftsNext: true,
    });
  });

  it('predicts the on-time date while the count is still running', () => {
    const status = statusOf([sealedZone([])], '2022-04-10', 'z');
    expect(status.waitingFor).toBeNull();
    expect(status.nextChangeOn).toBe('2022-04-16');
  });

  it('does not count a round dated before the window', () => {
    expect(statusOf([sealedZone(negativeRounds('2022-04-13'))], '2022-04-20', 'z').waitingFor).toBe('screening');
  });

  it('does not count a positive round', () => {
    expect(statusOf([sealedZone([{ on: '2022-04-15', negative: false }])], '2022-04-20', 'z').waitingFor).toBe('screening');
  });

  it('lifts the day after a late round', () => {
    const status = statusOf([sealedZone(negativeRounds('2022-04-19'))], '2022-04-30', 'z');
    expect(status.liftedOn).toBe('2022-04-20');
    expect(status.transitions[0].caseFreeDays).toBe(18);
  });

  it('restarts the count on a case while waiting for a late round', () => {
    const facts = { ...sealedZone(negativeRounds('2022-04-19')), cases: cases('2022-04-18') };
    const status = statusOf([facts], '2022-04-30', 'z');
    expect(status.inForce).toBe(true);
    expect(status.anchorOn).toBe('2022-04-18');
    expect(status.screeningNeededFrom).toBe('2022-05-01');
  });
});

describe('protocol-8 precaution cascade', () => {
  // County 371502: sealed zone lifted 03-18 (late round), controlled zone (case 03-10) lifted 03-25.
  // County 371521: no sealed or controlled zone.
  const deployment = (): ZoneFacts[] => [
    zone({
      id: 'sealed-a',
      kind: 'sealed',
      edition: 'protocol-8',
      designatedOn: '2022-03-01',
      countyCode: '371502',
      screenings: negativeRounds('2022-03-17'),
    }),
    zone({
      id: 'controlled-a',
      kind: 'controlled',
      edition: 'protocol-8',
      designatedOn: '2022-03-01',
      countyCode: '371502',
      cases: cases('2022-03-10'),
      screenings: negativeRounds('2022-03-24'),
    }),
    zone({ id: 'precaution-a', kind: 'precaution', edition: 'protocol-8', designatedOn: '2022-03-01', countyCode: '371502' }),
    zone({ id: 'precaution-b', kind: 'precaution', edition: 'protocol-8', designatedOn: '2022-03-01', countyCode: '371521' }),
  ];

  it('lifts the sealed and controlled zones on their own days', () => {
    const statuses = evaluateZones(deployment(), '2022-04-30');
    expect(statuses.get('sealed-a')?.liftedOn).toBe('2022-03-18');
    expect(statuses.get('controlled-a')?.liftedOn).toBe('2022-03-25');
  });

  it('lifts the precaution zone with the last zone of its county, naming the zones it waited for', () => {
    const [transition] = statusOf(deployment(), '2022-04-30', 'precaution-a').transitions;
    expect(transition).toMatchObject({
      effectiveOn: '2022-03-25',
      rule: 'protocol-8/precaution-lift-after-county',
      cascadeFrom: ['sealed-a', 'controlled-a'],
    });
  });

  it('waits for the county zones once its own 14 days are done', () => {
    const status = statusOf(deployment(), '2022-03-20', 'precaution-a');
    expect(status).toMatchObject({ inForce: true, caseFreeDays: 19, waitingFor: 'county-zones', nextChangeOn: '2022-03-25' });
  });

  it('leaves a precaution zone of another county to its own 14 days', () => {
    const [transition] = statusOf(deployment(), '2022-04-30', 'precaution-b').transitions;
    expect(transition).toMatchObject({ effectiveOn: '2022-03-16', cascadeFrom: [] });
  });

  it('waits for a sealed zone designated during its life', () => {
    const zones = [
      ...deployment(),
      zone({
        id: 'sealed-b',
        kind: 'sealed',
        edition: 'protocol-8',
        designatedOn: '2022-03-14',
        countyCode: '371521',
        screenings: negativeRounds('2022-03-28'),
      }),
    ];
    expect(statusOf(zones, '2022-04-30', 'precaution-b').transitions).toEqual([
      expect.objectContaining({ effectiveOn: '2022-03-29', cascadeFrom: ['sealed-b'] }),
    ]);
  });

  it('ignores a sealed zone of its county designated after it was lifted', () => {
    const zones = [
      ...deployment(),
      zone({ id: 'sealed-late', kind: 'sealed', edition: 'protocol-8', designatedOn: '2022-04-01', countyCode: '371502' }),
    ];
    expect(statusOf(zones, '2022-04-30', 'precaution-a').liftedOn).toBe('2022-03-25');
  });

  it('waits for a zone designated on the day the previous one was lifted', () => {
    const zones = [
      ...deployment(),
      zone({
        id: 'sealed-next',
        kind: 'sealed',
        edition: 'protocol-8',
        designatedOn: '2022-03-25',
        countyCode: '371502',
        screenings: negativeRounds('2022-04-08'),
      }),
    ];
    expect(statusOf(zones, '2022-04-30', 'precaution-a').transitions).toEqual([
      expect.objectContaining({ effectiveOn: '2022-04-09', cascadeFrom: ['sealed-a', 'controlled-a', 'sealed-next'] }),
    ]);
  });

  it('restarts its own count on a case while it waits for the county', () => {
    const zones = deployment().map((facts) => (facts.id === 'precaution-a' ? { ...facts, cases: cases('2022-03-20') } : facts));
    expect(statusOf(zones, '2022-04-30', 'precaution-a').liftedOn).toBe('2022-04-04');
  });
});

describe('shanghai-2022', () => {
  it('steps a sealed zone down to controlled after 7 days and to precaution after 3 more', () => {
    const status = statusOf([zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01' })], '2022-06-30', 'z');
    expect(status.transitions.map((t) => [t.effectiveOn, t.to, t.rule])).toEqual([
      ['2022-06-09', 'controlled', 'shanghai-2022/sealed-to-controlled-7'],
      ['2022-06-12', 'precaution', 'shanghai-2022/controlled-to-precaution-3-more'],
    ]);
  });

  it('keeps counting from D after the step-down', () => {
    const status = statusOf([zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01' })], '2022-06-09', 'z');
    expect(status).toMatchObject({ kind: 'controlled', anchorOn: '2022-06-01', caseFreeDays: 8, nextChangeOn: '2022-06-12', nextKind: 'precaution' });
  });

  it('steps a zone designated controlled down to precaution after 3 days', () => {
    const status = statusOf([zone({ id: 'z', kind: 'controlled', edition: 'shanghai-2022', designatedOn: '2022-06-01' })], '2022-06-30', 'z');
    expect(status.transitions.map((t) => [t.effectiveOn, t.to])).toEqual([['2022-06-05', 'precaution']]);
  });

  it('turns a controlled zone back into a sealed zone on the day of a case', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'controlled', edition: 'shanghai-2022', designatedOn: '2022-06-01', cases: cases('2022-06-03') })],
      '2022-06-30',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.from, t.to, t.rule])).toEqual([
      ['2022-06-03', 'controlled', 'sealed', 'shanghai-2022/controlled-case-reverts-to-sealed'],
      ['2022-06-11', 'sealed', 'controlled', 'shanghai-2022/sealed-to-controlled-7'],
      ['2022-06-14', 'controlled', 'precaution', 'shanghai-2022/controlled-to-precaution-3-more'],
    ]);
  });

  it('does not revert a controlled zone for a case reported on its designation day', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'controlled', edition: 'shanghai-2022', designatedOn: '2022-06-01', cases: cases('2022-06-01') })],
      '2022-06-02',
      'z',
    );
    expect(status).toMatchObject({ kind: 'controlled', lastCaseOn: '2022-06-01', transitions: [] });
  });

  it('turns a stepped-down controlled zone back into a sealed zone on a case', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01', cases: cases('2022-06-10') })],
      '2022-06-10',
      'z',
    );
    expect(status).toMatchObject({ kind: 'sealed', anchorOn: '2022-06-10', nextChangeOn: '2022-06-18', nextKind: 'controlled' });
  });

  it('leaves a precaution zone in force with no automatic change', () => {
    const status = statusOf([zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01' })], '2022-06-30', 'z');
    expect(status).toMatchObject({ inForce: true, kind: 'precaution', nextChangeOn: null, nextKind: null, liftsNext: false, requiredCaseFreeDays: null });
  });
});

describe('protocol-9', () => {
  it('steps sealed → controlled on D+8 with the day-7 round, then → precaution 3 days later without a new round', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'protocol-9', designatedOn: '2022-07-01', screenings: negativeRounds('2022-07-08') })],
      '2022-07-31',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.to, t.rule])).toEqual([
      ['2022-07-09', 'controlled', 'protocol-9/sealed-to-controlled-7'],
      ['2022-07-12', 'precaution', 'protocol-9/controlled-to-precaution-3-more'],
    ]);
  });

  it('steps a zone designated controlled down to precaution after 7 days and the day-7 round', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'controlled', edition: 'protocol-9', designatedOn: '2022-07-01', screenings: negativeRounds('2022-07-08') })],
      '2022-07-31',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.to, t.rule])).toEqual([
      ['2022-07-09', 'precaution', 'protocol-9/controlled-to-precaution-7'],
    ]);
  });

  it('does not count a round on day 6', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'protocol-9', designatedOn: '2022-07-01', screenings: negativeRounds('2022-07-07') })],
      '2022-07-10',
      'z',
    );
    expect(status).toMatchObject({ kind: 'sealed', waitingFor: 'screening', screeningNeededFrom: '2022-07-08', nextChangeOn: '2022-07-12' });
  });

  it('keeps a zone 3 days at controlled when its day-7 round came late', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'protocol-9', designatedOn: '2022-07-01', screenings: negativeRounds('2022-07-10') })],
      '2022-07-31',
      'z',
    );
    expect(status.transitions.map((t) => t.effectiveOn)).toEqual(['2022-07-11', '2022-07-14']);
  });

  it('treats a stepped-down controlled zone with a new case as designated controlled that day', () => {
    const status = statusOf(
      [
        zone({
          id: 'z',
          kind: 'sealed',
          edition: 'protocol-9',
          designatedOn: '2022-07-01',
          cases: cases('2022-07-10'),
          screenings: negativeRounds('2022-07-08', '2022-07-17'),
        }),
      ],
      '2022-07-31',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.to, t.rule])).toEqual([
      ['2022-07-09', 'controlled', 'protocol-9/sealed-to-controlled-7'],
      ['2022-07-18', 'precaution', 'protocol-9/controlled-to-precaution-7'],
    ]);
  });
});

describe('cases among people already isolated at home', () => {
  it('do not restart the count under the twenty measures', () => {
    const status = statusOf(
      [
        zone({
          id: 'z',
          kind: 'sealed',
          edition: 'twenty-measures',
          designatedOn: '2022-12-08',
          cases: [{ reportedOn: '2022-12-10', amongIsolated: true }],
        }),
      ],
      '2022-12-31',
      'z',
    );
    expect(status).toMatchObject({ liftedOn: '2022-12-14', lastCaseOn: null, lastIsolatedCaseOn: '2022-12-10' });
  });

  it('restart the count under protocol-8', () => {
    const status = statusOf(
      [
        zone({
          id: 'z',
          kind: 'controlled',
          edition: 'protocol-8',
          designatedOn: '2022-04-01',
          cases: [{ reportedOn: '2022-04-05', amongIsolated: true }],
        }),
      ],
      '2022-04-10',
      'z',
    );
    expect(status.anchorOn).toBe('2022-04-05');
  });
});

describe('lifted by hand', () => {
  it('stops the zone on that date', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'protocol-8', designatedOn: '2022-04-01', liftedByHandOn: '2022-04-10' })],
      '2022-04-30',
      'z',
    );
    expect(status.inForce).toBe(false);
    expect(status.transitions).toEqual([
      expect.objectContaining({ effectiveOn: '2022-04-10', from: 'sealed', to: null, rule: MANUAL_LIFT_RULE, caseFreeDays: 8 }),
    ]);
  });

  it('ignores cases from the lift on', () => {
    const status = statusOf(
      [
        zone({
          id: 'z',
          kind: 'sealed',
          edition: 'protocol-8',
          designatedOn: '2022-04-01',
          liftedByHandOn: '2022-04-10',
          cases: cases('2022-04-10', '2022-04-12'),
        }),
      ],
      '2022-04-30',
      'z',
    );
    expect(status.lastCaseOn).toBeNull();
  });

  it('is not known before its date', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'protocol-8', designatedOn: '2022-04-01', liftedByHandOn: '2022-04-10' })],
      '2022-04-09',
      'z',
    );
    expect(status.inForce).toBe(true);
  });

  it('comes after an automatic step taking effect the same day', () => {
    const status = statusOf(
      [zone({ id: 'z', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01', liftedByHandOn: '2022-06-09' })],
      '2022-06-30',
      'z',
    );
    expect(status.transitions.map((t) => [t.effectiveOn, t.from, t.to])).toEqual([
      ['2022-06-09', 'sealed', 'controlled'],
      ['2022-06-09', 'controlled', null],
    ]);
  });
});

describe('evaluateZones input', () => {
  it('gives the same output for the same input', () => {
    const zones = () => [
      zone({ id: 'a', kind: 'sealed', edition: 'protocol-8', designatedOn: '2022-03-01', countyCode: '371502', cases: cases('2022-03-05') }),
      zone({ id: 'b', kind: 'precaution', edition: 'protocol-8', designatedOn: '2022-03-01', countyCode: '371502' }),
      zone({ id: 'c', kind: 'sealed', edition: 'shanghai-2022', designatedOn: '2022-06-01', cases: cases('2022-06-10') }),
    ];
    const input = zones();
    const first = evaluateZones(input, '2022-06-20');
    expect(evaluateZones(input, '2022-06-20')).toEqual(first);
    expect(input).toEqual(zones());
  });

  it('does not depend on the order of cases', () => {
    const forward = zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-11', '2022-11-13') });
    const backward = { ...forward, cases: [...forward.cases].reverse() };
    expect(statusOf([backward], '2022-11-30', 'z')).toEqual(statusOf([forward], '2022-11-30', 'z'));
  });

  it('rejects a kind the edition does not allow', () => {
    expect(() => evaluateZones([zone({ id: 'z', kind: 'controlled', edition: 'twenty-measures', designatedOn: '2022-11-10' })], '2022-11-30')).toThrow(
      RangeError,
    );
  });

  it('rejects a case date that is not a calendar date', () => {
    expect(() =>
      evaluateZones([zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10', cases: cases('2022-11-31') })], '2022-11-30'),
    ).toThrow(/zone z/);
  });

  it('rejects duplicate zone ids', () => {
    const facts = zone({ id: 'z', kind: 'sealed', edition: 'twenty-measures', designatedOn: '2022-11-10' });
    expect(() => evaluateZones([facts, { ...facts }], '2022-11-30')).toThrow(RangeError);
  });

  it('evaluates 5,000 zones with 1,000,000 cases', () => {
    // A size check only (no timing assertion); bench/ measures the speed.
    const zones: ZoneFacts[] = [];
    for (let index = 0; index < 5000; index++) {
      const designatedOn = `2022-0${3 + (index % 6)}-01`;
      const caseDates: { reportedOn: string }[] = [];
      for (let caseIndex = 0; caseIndex < 200; caseIndex++) {
        caseDates.push({ reportedOn: `2022-0${3 + (index % 6)}-${String(1 + ((index + caseIndex * 7) % 20)).padStart(2, '0')}` });
      }
      zones.push({
        id: `zone-${index}`,
        kind: (['sealed', 'controlled', 'precaution'] as const)[index % 3],
        edition: 'protocol-8',
        designatedOn,
        countyCode: `3715${String(index % 8).padStart(2, '0')}`,
        cases: caseDates,
        screenings: [],
      });
    }
    const statuses = evaluateZones(zones, '2022-09-30');
    expect(statuses.size).toBe(5000);
  });
});

describe('caseEffect', () => {
  it('reverts a shanghai-2022 controlled zone to sealed', () => {
    expect(caseEffect('shanghai-2022', 'controlled')).toMatchObject({
      effect: 'revert-to-sealed',
      revertsTo: 'sealed',
      ruleId: 'shanghai-2022/controlled-case-reverts-to-sealed',
      promptSealedZone: false,
    });
  });

  it('asks for a sealed zone around a case in a protocol-8 controlled zone', () => {
    expect(caseEffect('protocol-8', 'controlled')).toMatchObject({ effect: 'prompt-sealed', promptSealedZone: true, revertsTo: null });
  });

  it('only restarts the count in a sealed zone', () => {
    expect(caseEffect('protocol-9', 'sealed')).toMatchObject({ effect: 'restart', restartsCount: true, promptSealedZone: false });
  });

  it('says cases among isolated people do not restart the count under the twenty measures', () => {
    expect(caseEffect('twenty-measures', 'sealed').amongIsolatedRestarts).toBe(false);
  });

  it('rejects a kind the edition does not allow', () => {
    expect(() => caseEffect('twenty-measures', 'precaution')).toThrow(RangeError);
  });
});
