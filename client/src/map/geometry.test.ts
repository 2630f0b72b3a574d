import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { distanceMeters, geometryBounds, labelPoint } from './geometry';

describe('labelPoint', () => {
  it('puts the label at the centroid of a convex zone', () => {
    const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };
    const [x, y] = labelPoint(square)!;
    expect(x).toBeCloseTo(1, 9);
    expect(y).toBeCloseTo(1, 9);
  });

  it('labels the largest part of a multipolygon', () => {
    const parts: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[10, 10], [14, 10], [14, 14], [10, 14], [10, 10]]],
      ],
    };
    const [x, y] = labelPoint(parts)!;
    expect(x).toBeCloseTo(12, 9);
    expect(y).toBeCloseTo(12, 9);
  });

  it('keeps the label inside a U-shaped zone whose centroid falls in the gap', () => {
    const u: Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
    };
    expect(labelPoint(u)).toEqual([0, 0]);
  });
});

describe('geometryBounds', () => {
  it('boxes every vertex of a multipolygon', () => {
    const parts: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[[[115.9, 36.4], [116, 36.4], [116, 36.5], [115.9, 36.4]]], [[[116.2, 36.1], [116.3, 36.1], [116.3, 36.2], [116.2, 36.1]]]],
    };
    expect(geometryBounds(parts)).toEqual([[115.9, 36.1], [116.3, 36.5]]);
  });
});

describe('distanceMeters', () => {
  it('measures one degree of latitude as about 111 km', () => {
    expect(distanceMeters([116, 36], [116, 37]) / 1000).toBeCloseTo(111.2, 0);
  });
});
