import { describe, expect, it } from 'vitest';
import { locatePointInRing, orientation, rayCrossesSegment, segmentIntersection, segmentsIntersect } from './planar';

const square: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];

describe('orientation', () => {
  it('is 1 for a left turn, -1 for a right turn and 0 for collinear points', () => {
    expect([orientation(0, 0, 1, 0, 1, 1), orientation(0, 0, 1, 0, 1, -1), orientation(0, 0, 1, 0, 2, 0)]).toEqual([1, -1, 0]);
  });
});

describe('segmentsIntersect', () => {
  it('is true for segments whose interiors cross', () => {
    expect(segmentsIntersect(0, 0, 2, 2, 0, 2, 2, 0)).toBe(true);
  });

  it('counts an end touching the other segment, like ST_Intersects', () => {
    expect(segmentsIntersect(0, 0, 2, 0, 1, 0, 1, 1)).toBe(true);
  });

  it('counts a collinear overlap', () => {
    expect(segmentsIntersect(0, 0, 2, 0, 1, 0, 3, 0)).toBe(true);
  });

  it('is false for collinear segments with a gap between them', () => {
    expect(segmentsIntersect(0, 0, 1, 0, 2, 0, 3, 0)).toBe(false);
  });

  it('is false for parallel segments', () => {
    expect(segmentsIntersect(0, 0, 2, 0, 0, 1, 2, 1)).toBe(false);
  });
});

describe('segmentIntersection', () => {
  it('finds the crossing point of two segments and where it lies along each', () => {
    expect(segmentIntersection([116.0, 36.4], [116.1, 36.4], [116.05, 36.35], [116.05, 36.45])).toEqual({
      t: expect.closeTo(0.5, 9),
      u: expect.closeTo(0.5, 9),
      point: [expect.closeTo(116.05, 9), expect.closeTo(36.4, 9)],
    });
  });

  it('reports collinear overlapping segments', () => {
    expect(segmentIntersection([0, 0], [2, 0], [1, 0], [3, 0])).toBe('overlap');
  });

  it('is null for collinear segments that only meet at an end', () => {
    expect(segmentIntersection([0, 0], [1, 0], [1, 0], [2, 0])).toBeNull();
  });

  it('is null for segments that do not meet', () => {
    expect(segmentIntersection([0, 0], [1, 0], [0, 1], [1, 2])).toBeNull();
  });
});

describe('rayCrossesSegment', () => {
  it('counts a ray through a shared vertex once (half-open in y)', () => {
    const below = rayCrossesSegment(0, 1, 1, 0, 1, 1);
    const above = rayCrossesSegment(0, 1, 1, 1, 1, 2);
    expect(Number(below) + Number(above)).toBe(1);
  });

  it('ignores a segment behind the point', () => {
    expect(rayCrossesSegment(2, 1, 1, 0, 1, 2)).toBe(false);
  });
});

describe('locatePointInRing', () => {
  it('is 1 inside the ring', () => {
    expect(locatePointInRing(1, 1, square)).toBe(1);
  });

  it('is 0 on the ring', () => {
    expect(locatePointInRing(2, 1, square)).toBe(0);
  });

  it('is -1 outside the ring', () => {
    expect(locatePointInRing(3, 1, square)).toBe(-1);
  });
});
