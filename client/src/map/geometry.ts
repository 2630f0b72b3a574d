/** Small geometry helpers the map components need without pulling in turf. */
import type { Geometry, Position } from 'geojson';

export type Bounds = [[number, number], [number, number]];

function collectPositions(geometry: Geometry, out: Position[]): void {
  switch (geometry.type) {
    case 'Point':
      out.push(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      out.push(...geometry.coordinates);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) out.push(...line);
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) out.push(...ring);
      break;
    case 'GeometryCollection':
      for (const part of geometry.geometries) collectPositions(part, out);
      break;
  }
}

/** The [[west, south], [east, north]] box around a geometry, or null when it is empty. */
export function geometryBounds(geometry: Geometry): Bounds | null {
  const positions: Position[] = [];
  collectPositions(geometry, positions);
  if (!positions.length) return null;
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (const [lon, lat] of positions) {
    west = Math.min(west, lon);
    south = Math.min(south, lat);
    east = Math.max(east, lon);
    north = Math.max(north, lat);
  }
  return [[west, south], [east, north]];
}

/** Great-circle distance in metres (haversine), enough for "how far is the hospital". */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}
