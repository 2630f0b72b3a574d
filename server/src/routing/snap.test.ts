import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from './graph';
import { snapToRoad } from './snap';
import { gridPoint, road } from './test-roads';

describe('snapToRoad', () => {
  it('snaps to the nearest point of the nearest road, with the fraction along it by length', () => {
    // A road with a bend: 2 steps east, then 2 steps north.
    const graph = buildRoadGraph([road(7, 1, 2, [gridPoint(0, 0), gridPoint(2, 0), gridPoint(2, 2)])]);
    const snapped = snapToRoad(graph, [116.0021, 36.4515], () => true)!;
    expect(snapped.edgeId).toBe(7);
    expect(snapped.segment).toBe(1);
    expect(snapped.point[0]).toBeCloseTo(116.002, 12);
    expect(snapped.point[1]).toBeCloseTo(36.4515, 12);
    // 0.0001° of longitude at 36.45°N ≈ 8.96 m.
    expect(snapped.distanceMeters).toBeCloseTo(8.96, 1);
    const east = 2 * 0.001 * 89_649;
    const north = 1.5 * 0.001 * 110_967;
    expect(snapped.fraction).toBeCloseTo((east + north) / (east + 2 * 0.001 * 110_967), 3);
  });

  it('prefers a road that is nearer in metres even when another is nearer in degrees', () => {
    // At 36°N a degree of longitude is ~20 % shorter than one of latitude: 0.0010° east (≈ 90 m)
    // is nearer than 0.0009° north (≈ 100 m).
    const graph = buildRoadGraph([
      road(1, 1, 2, [gridPoint(0, 0.9), gridPoint(0.5, 0.9)]),
      road(2, 3, 4, [gridPoint(1, -0.5), gridPoint(1, 0.5)]),
    ]);
    expect(snapToRoad(graph, gridPoint(0, 0), () => true)?.edgeId).toBe(2);
  });

  it('gives fraction 0 and 1 exactly at the ends', () => {
    const graph = buildRoadGraph([road(1, 1, 2, [gridPoint(0, 0), gridPoint(0.5, 0.3), gridPoint(1, 0)])]);
    expect(snapToRoad(graph, gridPoint(0, 0), () => true)?.fraction).toBe(0);
    expect(snapToRoad(graph, gridPoint(1, 0), () => true)?.fraction).toBe(1);
  });

  it('skips roads that are not open', () => {
    const graph = buildRoadGraph([road(1, 1, 2, [gridPoint(0, 0), gridPoint(1, 0)]), road(2, 3, 4, [gridPoint(0, 3), gridPoint(1, 3)])]);
    expect(snapToRoad(graph, gridPoint(0.5, 0), (e) => graph.edgeIds[e] !== 1)?.edgeId).toBe(2);
    expect(snapToRoad(graph, gridPoint(0.5, 0), () => false)).toBeNull();
  });
});
