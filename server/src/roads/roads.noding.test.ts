import { describe, expect, it } from 'vitest';
import { insertCrossings, nodeRoadLines } from './roads.noding';

describe('insertCrossings', () => {
  it('puts the same vertex into both of two crossing at-grade roads', () => {
    const [a, b] = insertCrossings([
      { coords: [[116.0, 36.4], [116.1, 36.4]], gradeSeparated: false },
      { coords: [[116.05, 36.35], [116.05, 36.45]], gradeSeparated: false },
    ]);
    expect([a[1], b[1]]).toEqual([[116.05, 36.4], [116.05, 36.4]]);
  });

  it('leaves an expressway crossing an ordinary road unjoined (a bridge)', () => {
    const [a, b] = insertCrossings([
      { coords: [[116.0, 36.4], [116.1, 36.4]], gradeSeparated: true },
      { coords: [[116.05, 36.35], [116.05, 36.45]], gradeSeparated: false },
    ]);
    expect([a.length, b.length]).toEqual([2, 2]);
  });

  it('refuses two roads drawn along the same stretch', () => {
    expect(() =>
      insertCrossings([
        { coords: [[0, 0], [2, 0]], gradeSeparated: false },
        { coords: [[1, 0], [3, 0]], gradeSeparated: false },
      ]),
    ).toThrow(/overlap/);
  });
});

describe('nodeRoadLines', () => {
  it('splits two crossing roads into four edges meeting at one junction', () => {
    const lines = insertCrossings([
      { coords: [[116.0, 36.4], [116.1, 36.4]], gradeSeparated: false },
      { coords: [[116.05, 36.35], [116.05, 36.45]], gradeSeparated: false },
    ]).map((coordinates, props) => ({ coordinates, props }));
    const edges = nodeRoadLines(lines);
    // Four road ends and one shared crossing.
    const junctions = new Set(edges.flatMap((e) => [e.source, e.target]));
    expect([edges.length, junctions.size]).toEqual([4, 5]);
  });

  it('splits a road at an extra junction such as a checkpoint', () => {
    const edges = nodeRoadLines([{ coordinates: [[0, 0], [1, 0], [2, 0]], props: 'a' }], { junctions: [[1, 0]] });
    expect(edges.map((e) => e.coordinates)).toEqual([[[0, 0], [1, 0]], [[1, 0], [2, 0]]]);
  });

  it('does not split a road at a vertex no other road shares', () => {
    const edges = nodeRoadLines([{ coordinates: [[0, 0], [1, 0], [2, 0]], props: 'a' }]);
    expect(edges.map((e) => [e.source, e.target])).toEqual([[1, 2]]);
  });
});
