import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  diffDays,
  fromDayNumber,
  isIsoDate,
  shanghaiMidnightUtc,
  toDayNumber,
  todayInShanghai,
} from './dates';

describe('todayInShanghai', () => {
  it('is already the next day at 16:00 UTC', () => {
    expect(todayInShanghai(new Date('2022-11-17T16:00:00Z'))).toBe('2022-11-18');
  });

  it('is still the same day at 15:59:59 UTC', () => {
    expect(todayInShanghai(new Date('2022-11-17T15:59:59.999Z'))).toBe('2022-11-17');
  });
});

describe('shanghaiMidnightUtc', () => {
  it('is 16:00 UTC on the previous day', () => {
    expect(shanghaiMidnightUtc('2022-11-18').toISOString()).toBe('2022-11-17T16:00:00.000Z');
  });

  it('round-trips through todayInShanghai', () => {
    expect(todayInShanghai(shanghaiMidnightUtc('2024-02-29'))).toBe('2024-02-29');
  });
});

describe('addDays', () => {
  it('crosses a month end', () => {
    expect(addDays('2022-04-25', 14)).toBe('2022-05-09');
  });

  it('crosses a leap day', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('goes back with a negative count', () => {
    expect(addDays('2022-01-01', -1)).toBe('2021-12-31');
  });

  it('refuses a fractional count', () => {
    expect(() => addDays('2022-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('diffDays', () => {
  it('is a − b in calendar days', () => {
    expect(diffDays('2022-11-18', '2022-11-12')).toBe(6);
  });

  it('is negative when a is earlier', () => {
    expect(diffDays('2022-02-28', '2022-03-01')).toBe(-1);
  });
});

describe('compareDates', () => {
  it('sorts dates chronologically', () => {
    expect(['2022-11-10', '2021-12-31', '2022-02-01'].sort(compareDates)).toEqual(['2021-12-31', '2022-02-01', '2022-11-10']);
  });
});

describe('isIsoDate', () => {
  it('accepts a real date', () => {
    expect(isIsoDate('2022-11-11')).toBe(true);
  });

  it('rejects a day the month does not have', () => {
    expect(isIsoDate('2022-02-29')).toBe(false);
  });

  it('rejects an unpadded date', () => {
    expect(isIsoDate('2022-2-3')).toBe(false);
  });

  it('rejects a timestamp', () => {
    expect(isIsoDate('2022-11-11T00:00:00Z')).toBe(false);
  });
});

describe('day numbers', () => {
  it('start at 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
  });

  it('agree with Date.UTC', () => {
    expect(toDayNumber('2022-11-18')).toBe(Date.UTC(2022, 10, 18) / 86_400_000);
  });

  it('round-trip across four centuries', () => {
    const start = toDayNumber('1900-01-01');
    for (let day = start; day < start + 146_097; day += 37) {
      expect(toDayNumber(fromDayNumber(day))).toBe(day);
    }
  });

  it('reject an invalid date', () => {
    expect(() => toDayNumber('2022-13-01')).toThrow(RangeError);
  });
});
