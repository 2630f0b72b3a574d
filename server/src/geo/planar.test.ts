import { describe, expect, it } from 'vitest';
import { locatePointInRing, orientation, rayCrossesSegment, segmentIntersection, segmentsIntersect } from './planar';

const square: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];

describe('orientation', () => {
  it('is 1 for a left turn, -1 for a right turn and 0 for collinear points', () => {
    expect([orientation(0, 0, 1, 0, 1, 1), orientation(0, 0, 1, 0, 1, -1), orientation(0, 0, 1, 0, 2, 0)]).toEqual([1, -1, 0]);
  });

  it('is exact where the rounded determinant is 0: a point 4e-14 off the line through two others', () => {
    // (b−a)×(c−a) in doubles rounds to 0 for both; exactly, the first is a right turn, the second a left one.
    expect(orientation(0.5000000000000396, 0.5000000000000359, 12, 12, 24, 24)).toBe(-1);
    expect(orientation(0.5000000000000674, 0.5000000000000683, 12, 12, 24, 24)).toBe(1);
  });
});

/**
 * A shell and a point 1.8e-17° left of its edge C→D: outside the shell, as GEOS finds it. The
 * crossing's x computed in doubles rounds onto the point, which would lose that edge's crossing.
 */
const DART: [number, number][] = [[115.9808, 36.447900000000004], [115.98, 36.45], [115.9809, 36.4484], [115.9818, 36.4523], [115.9808, 36.447900000000004]];
const NEAR_EDGE: [number, number] = [115.9812, 36.4497];

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

  it('counts the crossing of a segment that passes 1.8e-17° to the right of the point', () => {
    expect(rayCrossesSegment(NEAR_EDGE[0], NEAR_EDGE[1], ...DART[2], ...DART[3])).toBe(true);
  });
});

describe('locatePointInRing', () => {
  it('puts a point a hair off an edge on the side it is on', () => {
    expect(locatePointInRing(NEAR_EDGE[0], NEAR_EDGE[1], DART)).toBe(-1);
  });

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
