import { describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { cutZonesTile, zonesTiler } from './zones-tiler';

/** Longitude/latitude of a point in tile units of z/x/y (Web Mercator). */
const lonLatAt = (z: number, x: number, y: number, u: number, v: number): [number, number] => {
  const n = 2 ** z;
  const lon = ((x + u / 4096) / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + v / 4096)) / n))) * 180) / Math.PI;
  return [lon, lat];
};
const Z = 14;
const [X, Y] = [13476, 6413];
/** A square zone given by its corners in tile units of the test tile. */
const squareZone = (id: string, u0: number, v0: number, u1: number, v1: number, nextChangeOn: string | null = null) => ({
  geometry: {
    type: 'MultiPolygon' as const,
    coordinates: [[[lonLatAt(Z, X, Y, u0, v0), lonLatAt(Z, X, Y, u1, v0), lonLatAt(Z, X, Y, u1, v1), lonLatAt(Z, X, Y, u0, v1), lonLatAt(Z, X, Y, u0, v0)]]],
  },
  properties: { id, kind: 'sealed', name: `区${id}`, nextChangeOn },
});
const layerOf = (bytes: Uint8Array) => new VectorTile(new Pbf(bytes)).layers.zones;

describe('cutting zones tiles in memory', () => {
  it('clips a zone to the tile and its 64-unit buffer, exterior ring of positive area', () => {
    const tile = layerOf(cutZonesTile(zonesTiler([squareZone('a', -1000, 1000, 2000, 3000)]), Z, X, Y));
    expect(tile.length).toBe(1);
    const ring = tile.feature(0).loadGeometry()[0];
    expect(Math.min(...ring.map((p) => p.x))).toBe(-64);
    expect(Math.max(...ring.map((p) => p.x))).toBe(2000);
    let area = 0;
    for (let i = 0; i + 1 < ring.length; i++) area += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
    area += ring[ring.length - 1].x * ring[0].y - ring[0].x * ring[ring.length - 1].y;
    expect(area).toBeGreaterThan(0);
  });

  it('carries id, kind, name and nextChangeOn, leaving out a null one', () => {
    const tiler = zonesTiler([squareZone('a', 100, 100, 900, 900, '2026-12-20'), squareZone('b', 1000, 1000, 1900, 1900)]);
    const tile = layerOf(cutZonesTile(tiler, Z, X, Y));
    const props = Array.from({ length: tile.length }, (_, i) => tile.feature(i).properties);
    expect(props).toContainEqual({ id: 'a', kind: 'sealed', name: '区a', nextChangeOn: '2026-12-20' });
    expect(props).toContainEqual({ id: 'b', kind: 'sealed', name: '区b' });
  });

  it('leaves out a zone that only reaches the buffer by less than a unit, as ST_AsMVTGeom does', () => {
    // Its edge lies 0.3 units inside the buffer: snapped to the grid, nothing of it is left.
    const tiler = zonesTiler([squareZone('graze', -600, 500, -64.3, 900)]);
    expect(cutZonesTile(tiler, Z, X, Y).length).toBe(0);
  });

  it('answers empty bytes for a tile no zone reaches', () => {
    const tiler = zonesTiler([squareZone('a', 100, 100, 900, 900)]);
    expect(cutZonesTile(tiler, Z, X + 3, Y).length).toBe(0);
  });
});
