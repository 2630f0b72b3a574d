/**
 * Planar noding of hand-drawn road polylines: inserts a shared vertex wherever two at-grade
 * roads cross, splits every line at every junction, and checks that the result is one
 * connected graph. Lon/lat are treated as planar coordinates, which is accurate enough over
 * the few kilometres of a road segment.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LonLat } from './common';

/** Two computed coordinates closer than this (degrees, ~1 cm) are the same vertex. */
const SAME_VERTEX_DEG = 1e-7;

/** Computed intersection points are rounded to this many decimals so both lines get identical numbers. */
const ROUND_FACTOR = 1e7;

/** One polyline to be noded. */
export interface NodingLine {
  coords: LonLat[];
  /**
   * Grade-separated lines (expressways) cross other roads on bridges: they are only joined to
   * another line where both already hold the same vertex (an interchange), never at a crossing.
   */
  gradeSeparated: boolean;
}

/** One edge of the noded network: a piece of an input line between two junctions. */
export interface NodedEdge {
  lineIndex: number;
  coords: LonLat[];
}

/** Map key of a position, exact (no rounding): junctions must hold identical numbers. */
export function positionKey([lon, lat]: LonLat): string {
  return `${lon},${lat}`;
}

const sameVertex = (a: LonLat, b: LonLat): boolean =>
  Math.abs(a[0] - b[0]) < SAME_VERTEX_DEG && Math.abs(a[1] - b[1]) < SAME_VERTEX_DEG;

const roundPosition = ([lon, lat]: LonLat): LonLat => [
  Math.round(lon * ROUND_FACTOR) / ROUND_FACTOR,
  Math.round(lat * ROUND_FACTOR) / ROUND_FACTOR,
];

/**
 * Intersection of segments p1p2 and q1q2 as parameters along each (0..1), or null when they
 * don't meet. Collinear overlaps are reported as 'overlap'.
 */
export function segmentIntersection(
  p1: LonLat,
  p2: LonLat,
  q1: LonLat,
  q2: LonLat,
): { t: number; u: number; point: LonLat } | 'overlap' | null {
  const rx = p2[0] - p1[0];
  const ry = p2[1] - p1[1];
  const sx = q2[0] - q1[0];
  const sy = q2[1] - q1[1];
  const denominator = rx * sy - ry * sx;
  const qpx = q1[0] - p1[0];
  const qpy = q1[1] - p1[1];
  const eps = 1e-12;
  if (Math.abs(denominator) < eps) {
    if (Math.abs(qpx * ry - qpy * rx) > eps) return null;
    const rr = rx * rx + ry * ry;
    const t0 = (qpx * rx + qpy * ry) / rr;
    const t1 = t0 + (sx * rx + sy * ry) / rr;
    const overlap = Math.min(1, Math.max(t0, t1)) - Math.max(0, Math.min(t0, t1));
    return overlap > 1e-9 ? 'overlap' : null;
  }
  const t = (qpx * sy - qpy * sx) / denominator;
  const u = (qpx * ry - qpy * rx) / denominator;
  const tolerance = 1e-9;
  if (t < -tolerance || t > 1 + tolerance || u < -tolerance || u > 1 + tolerance) return null;
  return { t, u, point: [p1[0] + t * rx, p1[1] + t * ry] };
}

interface Insertion {
  t: number;
  point: LonLat;
}

/**
 * Inserts a vertex into both lines wherever two at-grade lines cross or touch.
 * Returns new coordinate arrays; the input is not modified.
 */
export function insertCrossings(lines: NodingLine[]): LonLat[][] {
  const insertions: Map<number, Insertion[]>[] = lines.map(() => new Map());
  const add = (line: number, segment: number, insertion: Insertion) => {
    const list = insertions[line].get(segment) ?? [];
    list.push(insertion);
    insertions[line].set(segment, list);
  };
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].gradeSeparated) continue;
    for (let j = i + 1; j < lines.length; j += 1) {
      if (lines[j].gradeSeparated) continue;
      const a = lines[i].coords;
      const b = lines[j].coords;
      for (let s = 0; s < a.length - 1; s += 1) {
        for (let k = 0; k < b.length - 1; k += 1) {
          const hit = segmentIntersection(a[s], a[s + 1], b[k], b[k + 1]);
          if (hit === null) continue;
          if (hit === 'overlap') {
            throw new Error(`lines ${i} and ${j} overlap along segments ${s} and ${k}: draw shared stretches once`);
          }
          // Reuse an existing vertex when the crossing falls on one, so both lines share its exact numbers.
          const existing = [a[s], a[s + 1], b[k], b[k + 1]].find((v) => sameVertex(v, hit.point));
          const point = existing ?? roundPosition(hit.point);
          if (!sameVertex(point, a[s]) && !sameVertex(point, a[s + 1])) add(i, s, { t: hit.t, point });
          if (!sameVertex(point, b[k]) && !sameVertex(point, b[k + 1])) add(j, k, { t: hit.u, point });
        }
      }
    }
  }
  return lines.map((line, index) => {
    const out: LonLat[] = [];
    line.coords.forEach((vertex, segment) => {
      out.push(vertex);
      const list = (insertions[index].get(segment) ?? []).sort((x, y) => x.t - y.t);
      for (const { point } of list) {
        if (!sameVertex(out[out.length - 1], point)) out.push(point);
      }
    });
    return out;
  });
}

/**
 * Splits lines into edges at every junction: line ends, vertices shared by two or more lines,
 * and the extra node positions given (checkpoints, toll plazas).
 */
export function splitAtJunctions(lines: LonLat[][], extraNodes: LonLat[] = []): NodedEdge[] {
  const linesAtVertex = new Map<string, Set<number>>();
  lines.forEach((coords, index) => {
    for (const vertex of coords) {
      const key = positionKey(vertex);
      const set = linesAtVertex.get(key) ?? new Set<number>();
      set.add(index);
      linesAtVertex.set(key, set);
    }
  });
  const extra = new Set(extraNodes.map(positionKey));
  const isJunction = (vertex: LonLat) => {
    const key = positionKey(vertex);
    return (linesAtVertex.get(key)?.size ?? 0) > 1 || extra.has(key);
  };
  const edges: NodedEdge[] = [];
  lines.forEach((coords, lineIndex) => {
    let current: LonLat[] = [coords[0]];
    for (let v = 1; v < coords.length; v += 1) {
      current.push(coords[v]);
      if (v === coords.length - 1 || isJunction(coords[v])) {
        if (current.length >= 2) edges.push({ lineIndex, coords: current });
        current = [coords[v]];
      }
    }
  });
  return edges;
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
