import { describe, expect, it } from 'vitest';
import { compassSector } from './build-checkpoints';

describe('compassSector', () => {
  it('names travel towards the south-west', () => {
    expect(compassSector(-155)).toEqual({ zh: '西南向', en: 'south-westbound' });
  });

  it('wraps bearings near north on both sides', () => {
    expect([compassSector(350).en, compassSector(10).en]).toEqual(['northbound', 'northbound']);
  });
});
