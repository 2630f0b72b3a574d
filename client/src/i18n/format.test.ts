import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDay, shanghaiToday } from './format';

describe('shanghaiToday', () => {
  it('is already the next day in Shanghai at 16:30 UTC', () => {
    expect(shanghaiToday(new Date('2022-11-17T16:30:00Z'))).toBe('2022-11-18');
  });

  it('is still the same day in Shanghai at 15:59 UTC', () => {
    expect(shanghaiToday(new Date('2022-11-17T15:59:00Z'))).toBe('2022-11-17');
  });
});

describe('calendar days', () => {
  it('adds days across a month end', () => {
    expect(addDays('2022-11-28', 5)).toBe('2022-12-03');
  });

  it('counts the days between two dates', () => {
    expect(daysBetween('2022-11-12', '2022-11-18')).toBe(6);
  });

  it('accepts only YYYY-MM-DD days', () => {
    expect([isIsoDay('2022-11-18'), isIsoDay('2022-11-18T00:00'), isIsoDay('18/11/2022'), isIsoDay(20221118)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
