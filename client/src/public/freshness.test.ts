import { describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../../contract/dates';
import { msToShanghaiMidnight } from './freshness';

describe('msToShanghaiMidnight', () => {
  it('counts to midnight in Asia/Shanghai, which is 16:00 UTC', () => {
    expect(msToShanghaiMidnight(Date.parse('2026-12-02T15:59:59Z'))).toBe(1000);
    expect(msToShanghaiMidnight(Date.parse('2026-12-02T00:00:00Z'))).toBe(16 * 3_600_000);
    expect(msToShanghaiMidnight(Date.parse('2026-12-02T20:30:00Z'))).toBe(19.5 * 3_600_000);
  });

  it('is a whole day, not zero, at midnight itself', () => {
    expect(msToShanghaiMidnight(Date.parse('2026-12-02T16:00:00Z'))).toBe(86_400_000);
  });

  it('lands where todayInShanghai turns, at every hour of a day', () => {
    for (let hour = 0; hour < 24; hour += 1) {
      const now = Date.parse('2026-12-02T00:17:00Z') + hour * 3_600_000;
      const ms = msToShanghaiMidnight(now);
      expect(todayInShanghai(new Date(now + ms - 1))).toBe(todayInShanghai(new Date(now)));
      expect(todayInShanghai(new Date(now + ms))).not.toBe(todayInShanghai(new Date(now)));
    }
  });
});
