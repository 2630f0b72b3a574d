import { booleanIntersects, lineString, multiPolygon } from '@turf/turf';
import fc from 'fast-check';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { LonLat } from './geometry';
import { buildRoadGraph } from './graph';
import { gridEdge, gridPoint, gridRoads, rectangleZone } from './test-roads';
import { ZoneClosures, ZonePolygon, kindBit, routeCrossesZones, type AvoidedZone } from './zone-index';

/** A star-shaped (so simple) polygon around a centre, radii given per vertex. */
function star(center: LonLat, radii: number[]): MultiPolygon {
  const ring: LonLat[] = radii.map((r, k) => {
    const angle = (2 * Math.PI * k) / radii.length;
    return [center[0] + r * Math.cos(angle), center[1] + r * Math.sin(angle)];
  });
  ring.push(ring[0]);
  return { type: 'MultiPolygon', coordinates: [[ring]] };
}

/** A square with a square hole, both in grid units around the origin. */
function squareWithHole(): MultiPolygon {
  const square = (lo: number, hi: number): LonLat[] => [gridPoint(lo, lo), gridPoint(hi, lo), gridPoint(hi, hi), gridPoint(lo, hi), gridPoint(lo, lo)];
  return { type: 'MultiPolygon', coordinates: [[square(0, 10), square(3, 7)]] };
}

describe('ZonePolygon', () => {
  it('agrees with turf booleanIntersects on random roads against random zones', () => {
    // Roads a few tens of metres long, like real edges: short against the grid cells of a zone
    // with many vertices, so the grid decides many of them and the exact test the rest.
    const step = fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }));
    const road = fc
      .tuple(fc.tuple(fc.integer({ min: -1200, max: 1200 }), fc.integer({ min: -1200, max: 1200 })), fc.array(step, { minLength: 1, maxLength: 3 }))
      .map(([start, steps]) => {
        const line: LonLat[] = [[116 + start[0] / 100_000, 36.45 + start[1] / 100_000]];
        for (const [dx, dy] of steps) line.push([line[line.length - 1][0] + dx / 100_000, line[line.length - 1][1] + dy / 100_000]);
        return line;
      });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 300, max: 1000 }), { minLength: 3, maxLength: 80 }),
        road,
        (radii, line) => {
          fc.pre(line.some((p) => p[0] !== line[0][0] || p[1] !== line[0][1]));
          const geometry = star([116, 36.45], radii.map((r) => r / 100_000));
          const flat = line.flat();
          const own = new ZonePolygon(geometry).intersectsPolyline(flat, 0, line.length);
          expect(own).toBe(booleanIntersects(lineString(line), multiPolygon(geometry.coordinates)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('treats a hole as outside', () => {
    const zone = new ZonePolygon(squareWithHole());
    expect(zone.containsPoint(...gridPoint(1, 1))).toBe(true);
    expect(zone.containsPoint(...gridPoint(5, 5))).toBe(false);
    expect(zone.containsPoint(...gridPoint(12, 5))).toBe(false);
  });

  it('does not close a road lying wholly inside a hole', () => {
    const zone = new ZonePolygon(squareWithHole());
    expect(zone.intersectsPolyline([...gridPoint(4, 5), ...gridPoint(6, 5)], 0, 2)).toBe(false);
    expect(zone.intersectsPolyline([...gridPoint(4, 5), ...gridPoint(8, 5)], 0, 2)).toBe(true);
  });
});

describe('ZoneClosures', () => {
  it('recomputes only new, changed and removed zones, and keeps a renamed one', () => {
    const graph = buildRoadGraph(gridRoads(4, 4));
    const closures = new ZoneClosures(graph);
    const a = rectangleZone('a', 'sealed', [0.4, -0.2], [0.6, 0.2]);
    const b = rectangleZone('b', 'controlled', [2.4, 2.8], [2.6, 3.2]);
    expect(closures.setZones([a, b])).toEqual({ added: ['a', 'b'], removed: [], changed: [], unchanged: 0 });
    const movedB: AvoidedZone = { ...rectangleZone('b', 'controlled', [0.8, 1.4], [1.2, 1.6]) };
    expect(closures.setZones([{ ...a, name: 'renamed' }, movedB])).toEqual({ added: [], removed: [], changed: ['b'], unchanged: 1 });
    expect(closures.get('a')?.zone.name).toBe('renamed');
    expect(closures.setZones([movedB])).toEqual({ added: [], removed: ['a'], changed: [], unchanged: 1 });
  });

  it('marks the edges a zone closes with its kind and clears them when it is lifted', () => {
    const edges = gridRoads(4, 4);
    const graph = buildRoadGraph(edges);
    const closures = new ZoneClosures(graph);
    const crossing = graph.edgeIndexOf(gridEdge(edges, 4, [0, 0], [1, 0]).id);
    closures.setZones([rectangleZone('a', 'sealed', [0.4, -0.2], [0.6, 0.2])]);
    expect(closures.kindMask[crossing]).toBe(kindBit('sealed'));
    expect([...closures.kindMask].filter((bits) => bits !== 0)).toHaveLength(1);
    closures.setZones([]);
    expect(closures.kindMask[crossing]).toBe(0);
  });

  it('keeps an edge closed while another zone of the same kind still closes it', () => {
    const edges = gridRoads(4, 4);
    const graph = buildRoadGraph(edges);
    const closures = new ZoneClosures(graph);
    const crossing = graph.edgeIndexOf(gridEdge(edges, 4, [0, 0], [1, 0]).id);
    const first = rectangleZone('first', 'sealed', [0.4, -0.2], [0.6, 0.2]);
    const second = rectangleZone('second', 'sealed', [0.3, -0.1], [0.7, 0.1]);
    closures.setZones([first, second]);
    closures.setZones([second]);
    expect(closures.kindMask[crossing]).toBe(kindBit('sealed'));
    expect(closures.zonesClosingEdge(crossing, kindBit('sealed')).map((c) => c.zone.id)).toEqual(['second']);
  });

  it('finds the zones of the requested kinds that contain a point', () => {
    const closures = new ZoneClosures(buildRoadGraph(gridRoads(4, 4)));
    closures.setZones([
      rectangleZone('outer', 'controlled', [0, 0], [3, 3]),
      rectangleZone('inner', 'sealed', [1, 1], [2, 2]),
    ]);
    const ids = (bits: number) => closures.zonesContaining(...gridPoint(1.5, 1.5), bits).map((c) => c.zone.id).sort();
    expect(ids(kindBit('sealed') | kindBit('controlled'))).toEqual(['inner', 'outer']);
    expect(ids(kindBit('sealed'))).toEqual(['inner']);
  });
});

describe('routeCrossesZones', () => {
  const zone = () => rectangleZone('z', 'sealed', [1, 1], [2, 2]);
  const ref = { id: 'z', name: 'Test zone z', kind: 'sealed' };

  it('flags a route that crosses a zone', () => {
    expect(routeCrossesZones([gridPoint(0, 1.5), gridPoint(3, 1.5)], [zone()])).toEqual([ref]);
  });

  it('flags a route that runs wholly inside a zone', () => {
    expect(routeCrossesZones([gridPoint(1.2, 1.5), gridPoint(1.8, 1.5)], [zone()])).toEqual([ref]);
  });

  it('flags a route that only touches a zone corner', () => {
    expect(routeCrossesZones([gridPoint(0, 0), gridPoint(1, 1), gridPoint(2, 0)], [zone()])).toEqual([ref]);
  });

  it('does not flag a route that passes by', () => {
    expect(routeCrossesZones([gridPoint(0, 0), gridPoint(3, 0), gridPoint(3, 3)], [zone()])).toEqual([]);
  });
});
