import { describe, expect, it } from 'vitest';
import { directionIn } from './checkpointText';
import { placeFromQuery, placeToQuery } from './place';

describe('directionIn', () => {
  it('shows only the half in the page\'s language', () => {
    const both = '南向，德州（平原）方向来车 / southbound, inbound from Dezhou (Pingyuan)';
    expect(directionIn(both, 'zh')).toBe('南向，德州（平原）方向来车');
    expect(directionIn(both, 'en')).toBe('southbound, inbound from Dezhou (Pingyuan)');
  });

  it('keeps a direction given in one language only', () => {
    expect(directionIn('北向', 'en')).toBe('北向');
  });
});

describe('place in the URL', () => {
  it('reads back what it writes', () => {
    expect(placeFromQuery(placeToQuery({ type: 'point', lon: 115.954, lat: 36.424 }))).toEqual({ type: 'point', lon: 115.954, lat: 36.424 });
    expect(placeFromQuery('township:371502001')).toEqual({ type: 'township', code: '371502001' });
  });

  it('ignores a mangled place', () => {
    expect(placeFromQuery('36.4,115.9')).toBeNull();
    expect(placeFromQuery('township:12')).toBeNull();
  });
});
