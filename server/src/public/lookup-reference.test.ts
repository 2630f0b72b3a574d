import { describe, expect, it } from 'vitest';
import { pointToPolygonDistance } from '@turf/turf';
import type { Polygon } from 'geojson';
import { distanceToOutline } from './lookup-reference';

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
