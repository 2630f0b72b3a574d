/**
 * Checks and measures on the noded sample road network: connectivity, points along a line, and
 * where a segment crosses an area's boundary. The noding itself is the server's
 * (server/src/roads/roads.noding.ts), so the sample network is split exactly as an import is.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LonLat } from './common';

/** Map key of a position, exact (no rounding): junctions must hold identical numbers. */
export function positionKey([lon, lat]: LonLat): string {
  return `${lon},${lat}`;
}

/** Connected components of the graph whose nodes are edge end positions. */
export function connectedComponents(edges: { coords: LonLat[] }[]): string[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = key;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const edge of edges) {
    const a = positionKey(edge.coords[0]);
    const b = positionKey(edge.coords[edge.coords.length - 1]);
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  }
  const groups = new Map<string, string[]>();
  for (const key of parent.keys()) {
    const root = find(key);
    groups.set(root, [...(groups.get(root) ?? []), key]);
  }
  return [...groups.values()].sort((x, y) => y.length - x.length);
}

/** A point at `distanceKm` along a polyline, with the index of the segment it falls in. */
export function alongWithSegment(coords: LonLat[], distanceKm: number): { point: LonLat; segment: number } {
  let remaining = distanceKm;
  for (let i = 0; i < coords.length - 1; i += 1) {
    const length = turf.distance(coords[i], coords[i + 1], { units: 'kilometers' });
    if (remaining <= length) {
      const f = length === 0 ? 0 : remaining / length;
      return {
        point: [coords[i][0] + f * (coords[i + 1][0] - coords[i][0]), coords[i][1] + f * (coords[i + 1][1] - coords[i][1])],
        segment: i,
      };
    }
    remaining -= length;
  }
  throw new Error(`line is shorter than ${distanceKm} km`);
}

/** Where a segment crosses the boundary of an area; points in segment order. */
export function boundaryCrossings(
  from: LonLat,
  to: LonLat,
  area: Feature<Polygon | MultiPolygon>,
): LonLat[] {
  const segment = turf.lineString([from, to]);
  const hits = turf.lineIntersect(segment, turf.polygonToLine(area) as Parameters<typeof turf.lineIntersect>[1]);
  return hits.features
    .map((hit) => hit.geometry.coordinates as LonLat)
    .sort((a, b) => turf.distance(from, a) - turf.distance(from, b));
}
