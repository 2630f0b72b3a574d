import { describe, expect, it } from 'vitest';
import { EDITIONS, EDITION_IDS, ZONE_KINDS, findStepRule, getEdition } from './editions';
import { KIND_NAMES, MEASURES } from './measures';

const rank = (kind: string | null) => (kind === null ? ZONE_KINDS.length : ZONE_KINDS.indexOf(kind as never));

describe('EDITIONS table', () => {
  it('has one entry per edition id, keyed by its own id', () => {
    expect(Object.keys(EDITIONS).sort()).toEqual([...EDITION_IDS].sort());
    for (const id of EDITION_IDS) expect(EDITIONS[id].id).toBe(id);
  });

  it('has unique rule ids prefixed with their edition', () => {
    const ids = Object.values(EDITIONS).flatMap((edition) => edition.rules.map((rule) => rule.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const edition of Object.values(EDITIONS)) {
      for (const rule of edition.rules) expect(rule.id.startsWith(`${edition.id}/`)).toBe(true);
    }
  });

  it('only steps zones down or lifts them, so the engine needs no pass after the cascade', () => {
    for (const edition of Object.values(EDITIONS)) {
      for (const rule of edition.rules) expect(rank(rule.to)).toBeGreaterThan(rank(rule.from));
    }
  });

  it('only defines rules and case effects for kinds the edition allows', () => {
    for (const edition of Object.values(EDITIONS)) {
      for (const rule of edition.rules) {
        expect(edition.zoneKinds).toContain(rule.from);
        if (rule.to !== null) expect(edition.zoneKinds).toContain(rule.to);
      }
      expect(Object.keys(edition.caseEffects).sort()).toEqual([...edition.zoneKinds].sort());
    }
  });

  it('only waits for the county from a kind the cascade does not wait for', () => {
    for (const edition of Object.values(EDITIONS)) {
      for (const rule of edition.rules.filter((candidate) => candidate.waitsForCountyZones)) {
        expect(edition.countyCascade).not.toBeNull();
        expect(edition.countyCascade?.waitsForKinds).not.toContain(rule.from);
      }
    }
  });

  it('defines a screening round for every edition whose rules need one', () => {
    for (const edition of Object.values(EDITIONS)) {
      if (edition.rules.some((rule) => rule.requiresScreening)) expect(edition.screening).not.toBeNull();
    }
  });

  it('allows only sealed zones under the twenty measures', () => {
    expect(EDITIONS['twenty-measures'].zoneKinds).toEqual(['sealed']);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(EDITIONS['protocol-8'].rules[0])).toBe(true);
  });
});

describe('getEdition', () => {
  it('returns the edition for a known id', () => {
    expect(getEdition('protocol-9').names.zh).toBe('新型冠状病毒肺炎防控方案（第九版）');
  });

  it('throws RangeError for an unknown id', () => {
    expect(() => getEdition('protocol-10')).toThrow(RangeError);
  });
});

describe('findStepRule', () => {
  it('distinguishes a controlled zone stepped down from one designated controlled (protocol-9)', () => {
    const edition = EDITIONS['protocol-9'];
    expect(findStepRule(edition, 'controlled', 'step-down')?.id).toBe('protocol-9/controlled-to-precaution-3-more');
    expect(findStepRule(edition, 'controlled', 'designation')?.id).toBe('protocol-9/controlled-to-precaution-7');
  });

  it('has no automatic rule for a shanghai-2022 precaution zone', () => {
    expect(findStepRule(EDITIONS['shanghai-2022'], 'precaution', 'step-down')).toBeNull();
  });
});

describe('MEASURES', () => {
  it('quotes seed 000 exactly', () => {
    expect(MEASURES.sealed.zh).toBe('区域封闭、足不出户、服务上门');
    expect(MEASURES.controlled.zh).toBe('人不出区、严禁聚集');
    expect(MEASURES.precaution.zh).toBe('严格限制人员聚集，非必要不离开本地');
  });

  it('names every kind in both languages', () => {
    expect(KIND_NAMES).toEqual({
      sealed: { zh: '封控区', en: 'sealed zone' },
      controlled: { zh: '管控区', en: 'controlled zone' },
      precaution: { zh: '防范区', en: 'precaution zone' },
    });
  });
});
