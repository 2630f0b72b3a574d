import { describe, expect, it } from 'vitest';
import { bbox, pointToPolygonDistance } from '@turf/turf';
import type { Polygon } from 'geojson';
import Flatbush from 'flatbush';
import { distanceToOutline, nearestZones, type ZoneShape } from './lookup-reference';

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
