import { describe, expect, it } from 'vitest';
import type { LonLat } from './common';
import { connectedComponents, insertCrossings, segmentIntersection, splitAtJunctions } from './network';

const westEast: LonLat[] = [[116.0, 36.4], [116.1, 36.4]];
const southNorth: LonLat[] = [[116.05, 36.35], [116.05, 36.45]];

describe('segmentIntersection', () => {
  it('finds the crossing point of two segments', () => {
    const hit = segmentIntersection(westEast[0], westEast[1], southNorth[0], southNorth[1]);
    expect(hit).not.toBeNull();
    expect(hit !== 'overlap' && hit!.point).toEqual([116.05, 36.4]);
  });

  it('reports collinear overlapping segments', () => {
    expect(segmentIntersection([0, 0], [2, 0], [1, 0], [3, 0])).toBe('overlap');
  });
});

describe('insertCrossings', () => {
  it('puts the same vertex into both of two crossing at-grade roads', () => {
    const [a, b] = insertCrossings([
      { coords: westEast, gradeSeparated: false },
      { coords: southNorth, gradeSeparated: false },
    ]);
    expect(a[1]).toEqual([116.05, 36.4]);
    expect(b[1]).toEqual([116.05, 36.4]);
  });

  it('leaves an expressway crossing an ordinary road unjoined (a bridge)', () => {
    const [a, b] = insertCrossings([
      { coords: westEast, gradeSeparated: true },
      { coords: southNorth, gradeSeparated: false },
    ]);
    expect([a.length, b.length]).toEqual([2, 2]);
  });
});

describe('splitAtJunctions', () => {
  it('splits two crossing roads into four edges meeting at the crossing', () => {
    const lines = insertCrossings([
      { coords: westEast, gradeSeparated: false },
      { coords: southNorth, gradeSeparated: false },
    ]);
    const edges = splitAtJunctions(lines);
    expect(edges).toHaveLength(4);
    expect(edges.filter((e) => e.coords.some((p) => p[0] === 116.05 && p[1] === 36.4))).toHaveLength(4);
  });

  it('splits a road at an extra node such as a checkpoint', () => {
    const edges = splitAtJunctions([[[0, 0], [1, 0], [2, 0]]], [[1, 0]]);
    expect(edges.map((e) => e.coords)).toEqual([[[0, 0], [1, 0]], [[1, 0], [2, 0]]]);
  });
});

describe('connectedComponents', () => {
  it('counts roads that share no node as separate components', () => {
    const components = connectedComponents([{ coords: westEast }, { coords: southNorth }]);
    expect(components).toHaveLength(2);
  });
});
