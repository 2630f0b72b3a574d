/** Small geometry helpers the map components need without pulling in turf. */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

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

function ringArea(ring: Position[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += (ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1]);
  }
  return area / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  const area = ringArea(ring);
  if (area === 0) return [ring[0][0], ring[0][1]];
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * cross;
    y += (ring[j][1] + ring[i][1]) * cross;
  }
  return [x / (6 * area), y / (6 * area)];
}

function insideRing(point: [number, number], ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * One label position per zone: the centroid of its largest part (or, for a part shaped so that
 * its centroid falls outside it, its first vertex). A symbol layer on the polygon itself would
 * repeat the name in every tile the zone covers.
 */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] | null {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: Position[] | null = null;
  let bestArea = -1;
  for (const part of parts) {
    const outer = part[0];
    if (!outer || outer.length < 4) continue;
    const area = Math.abs(ringArea(outer));
    if (area > bestArea) {
      best = outer;
      bestArea = area;
    }
  }
  if (!best) return null;
  const centroid = ringCentroid(best);
  return insideRing(centroid, best) ? centroid : [best[0][0], best[0][1]];
}

/**
 * Where a county's name goes: its seat when the geodata has one (a [lon, lat] pair), else a point
 * inside its outline.
 */
export function seatOf(geometry: Polygon | MultiPolygon, seat: unknown): [number, number] | null {
  return Array.isArray(seat) && seat.length === 2 ? (seat as [number, number]) : labelPoint(geometry);
}
