import { describe, expect, it } from 'vitest';
import { cleanRing } from './build-regions';

describe('cleanRing', () => {
  it('removes consecutive duplicate vertices', () => {
    const { ring, duplicates } = cleanRing([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(ring).toEqual([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(duplicates).toBe(1);
  });

  it('removes a zero-area spike that runs out and back along one line', () => {
    const { ring, spikes } = cleanRing([[0, 0], [1, 0], [2, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(ring).toEqual([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(spikes).toBe(1);
  });

  it('keeps vertices of a real corner', () => {
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(cleanRing(square).ring).toEqual(square);
  });
});
