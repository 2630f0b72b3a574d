import { describe, expect, it } from 'vitest';
import type { LonLat } from './common';
import { connectedComponents } from './network';

const westEast: LonLat[] = [[116.0, 36.4], [116.1, 36.4]];
const southNorth: LonLat[] = [[116.05, 36.35], [116.05, 36.45]];

describe('connectedComponents', () => {
  it('counts roads that share no node as separate components', () => {
    const components = connectedComponents([{ coords: westEast }, { coords: southNorth }]);
    expect(components).toHaveLength(2);
  });
});
