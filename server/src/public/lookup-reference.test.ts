import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bbox, booleanPointInPolygon, distance, pointToPolygonDistance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import Flatbush from 'flatbush';
import { distanceToOutline, greatCircleMetres, LookupReference, nearestZones, type ZoneShape } from './lookup-reference';
import { RegionGrid } from './region-grid';

const square = (lon: number, lat: number, d: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe('distanceToOutline', () => {
  it('agrees with the geodesic distance within 0.2 % across the city', () => {
    const zone = square(115.9, 36.4, 0.02);
    for (const [lon, lat] of [[115.93, 36.41], [115.905, 36.402], [115.99, 36.5], [116.3, 36.9], [115.3, 35.8]]) {
      const geodesic = Math.abs(pointToPolygonDistance([lon, lat], zone, { units: 'meters' }));
      expect(Math.abs(distanceToOutline(lon, lat, zone) - geodesic) / geodesic, `${lon},${lat}`).toBeLessThan(0.002);
    }
  });

  it('measures to a hole\'s edge from a point inside the hole', () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [square(115.9, 36.4, 0.02).coordinates[0], [[115.905, 36.405], [115.905, 36.415], [115.915, 36.415], [115.915, 36.405], [115.905, 36.405]]] };
    // 0.002° of latitude from the hole's south edge: about 222 m.
    expect(distanceToOutline(115.91, 36.407, withHole)).toBeCloseTo(222.4, 0);
  });
});

describe('nearestZones', () => {
  it('finds the nearest outline behind any number of zones whose boxes hold the point', () => {
    // Thirty thin diagonal strips about 7 km from the point, each with a box that holds it, and a
    // small square 1.8 km east: the square's box is farther than every strip's (which is 0), its
    // outline nearer than any.
    const [lon, lat] = [116.0, 36.4];
    const strips: Polygon[] = Array.from({ length: 30 }, (_, k) => {
      const c = 152.5 + k * 0.0005;
      return { type: 'Polygon', coordinates: [[[115.8, c - 115.8], [c - 36.2, 36.2], [c - 36.2 + 0.0002, 36.2], [115.8 + 0.0002, c - 115.8], [115.8, c - 115.8]]] };
    });
    const zones: ZoneShape<object>[] = [...strips, square(116.02, 36.3995, 0.001)].map((geometry, i) => ({ properties: { id: `zone-${String(i).padStart(2, '0')}`, kind: 'precaution' }, geometry }));
    const index = new Flatbush(zones.length);
    for (const zone of zones) {
      const [x0, y0, x1, y1] = bbox(zone.geometry);
      index.add(x0, y0, x1, y1);
    }
    index.finish();

    const nearest = nearestZones(zones, index, lon, lat, 3);
    expect(nearest.map((n) => n.zone.properties.id)).toEqual(['zone-30', 'zone-00', 'zone-01']);
    expect(nearest[0]!.distanceMeters).toBe(Math.round(distanceToOutline(lon, lat, zones[30]!.geometry)));
    expect(nearest[0]!.distanceMeters).toBeLessThan(2_000);
    expect(nearest[1]!.distanceMeters).toBeGreaterThan(6_000);
  });
});

/** A small seeded generator, so that a failure names points that can be tried again. */
function seeded(seed: number) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('RegionGrid', () => {
  const counties = (JSON.parse(fs.readFileSync(new URL('../../../geodata/regions.geojson', import.meta.url), 'utf8')) as {
    features: { properties: { code: string }; geometry: Polygon | MultiPolygon }[];
  }).features;
  const outlines = counties.map((f) => f.geometry);
  const exact = (lon: number, lat: number) => outlines.findIndex((g) => booleanPointInPolygon([lon, lat], g));
  const grid = new RegionGrid(outlines, exact);

  it('answers as the exact test does on the real county outlines: random points, vertices, and points a hair off the borders', () => {
    const [x0, y0, x1, y1] = bbox({ type: 'GeometryCollection', geometries: outlines });
    const random = seeded(42);
    const points: [number, number][] = [];
    for (let k = 0; k < 20_000; k++) points.push([x0 - 0.05 + random() * (x1 - x0 + 0.1), y0 - 0.05 + random() * (y1 - y0 + 0.1)]);
    for (const g of outlines) {
      for (const ring of (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat()) {
        for (let k = 1; k < ring.length; k += 7) {
          const [[ax, ay], [bx, by]] = [ring[k - 1], ring[k]];
          points.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2]);
          // About a centimetre and a metre to either side of the edge's middle.
          for (const d of [1e-7, -1e-7, 1e-5, -1e-5]) points.push([(ax + bx) / 2 + d, (ay + by) / 2 - d]);
        }
      }
    }
    const wrong = points.filter(([lon, lat]) => grid.at(lon, lat) !== exact(lon, lat));
    expect(wrong).toEqual([]);
    // Every county is found, and points outside all of them are told apart.
    expect(new Set(points.map(([lon, lat]) => grid.at(lon, lat)))).toEqual(new Set([-1, ...outlines.keys()]));
  });

  it('answers most of the area from its cells, not the exact test', () => {
    let asked = 0;
    const counted = new RegionGrid(outlines, (lon, lat) => (asked++, exact(lon, lat)));
    const atBuild = asked;
    const random = seeded(7);
    const [x0, y0, x1, y1] = bbox({ type: 'GeometryCollection', geometries: outlines });
    for (let k = 0; k < 10_000; k++) counted.at(x0 + random() * (x1 - x0), y0 + random() * (y1 - y0));
    // The build floods each area between outlines from one exact answer: a handful, not a cell each.
    expect(atBuild).toBeLessThan(50);
    expect(asked - atBuild).toBeLessThan(2_000);
    expect(counted.mixedShare).toBeLessThan(0.2);
  });

  it('asks every point exactly when there is nothing to index', () => {
    const empty = new RegionGrid([], () => -1);
    expect(empty.at(116, 36.4)).toBe(-1);
  });
});

describe('the nearest hospitals', () => {
  it('measures great-circle distances as turf does, to the last bit', () => {
    const random = seeded(3);
    for (let k = 0; k < 1_000; k++) {
      const [a, b, c, d] = [115 + random() * 2, 35.5 + random() * 2, 115 + random() * 2, 35.5 + random() * 2];
      expect(greatCircleMetres(a, b, c, d)).toBe(distance([a, b], [c, d], { units: 'meters' }));
    }
  });

  it('names the nearest first, equal distances in order of id, and writes the same JSON as its objects', () => {
    const hospital = (id: string, lon: number, lat: number) => ({ id, name: `医院 ${id}`, address: null, phone: '0635-1', approximate: true, lon, lat });
    // Given out of order: two at the same (approximate) point, one nearer, one farther.
    const ref = new LookupReference([], [hospital('h-c', 116.1, 36.5), hospital('h-b', 116.0, 36.45), hospital('h-a', 116.0, 36.45), hospital('h-d', 115.99, 36.4)], []);
    const nearest = ref.nearestHospitals(115.99, 36.41, 3);
    expect(nearest.map((h) => h.id)).toEqual(['h-d', 'h-a', 'h-b']);
    expect(nearest[0]!.distanceMeters).toBe(Math.round(distance([115.99, 36.41], [115.99, 36.4], { units: 'meters' })));
    expect(ref.nearestHospitalsText(115.99, 36.41, 3)).toBe(JSON.stringify(nearest));
    expect(ref.nearestHospitalsText(115.99, 36.41, 0)).toBe('[]');
  });
});

describe('LookupReference.fromRows', () => {
  const rows = () => ({
    regions: [{ code: '371502', name: '东昌府区', geometry: JSON.stringify(square(115.9, 36.4, 0.2)) }],
    hospitals: [{ id: 'h-a', name: '医院', address: null, phone: null, approximate: true, lon: 116, lat: 36.5 }],
    hotlines: [],
  });

  it('keeps the reference it is given when the rows read are the same, and builds a new one when they differ', () => {
    const first = LookupReference.fromRows(rows());
    expect(LookupReference.fromRows(rows(), first)).toBe(first);
    const moved = rows();
    moved.hospitals[0]!.lon = 116.01;
    const second = LookupReference.fromRows(moved, first);
    expect(second).not.toBe(first);
    expect(second.nearestHospitals(116, 36.5, 1)[0]!.distanceMeters).toBeGreaterThan(0);
    expect(first.regionAt(116, 36.5)).toEqual({ code: '371502', name: '东昌府区' });
  });
});
