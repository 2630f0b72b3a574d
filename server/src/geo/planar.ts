/**
 * Planar geometry primitives shared by GeoJSON validation, the routing engine's zone index and the
 * geodata build scripts. Lon/lat degrees are treated as a plane — the same plane PostGIS uses for
 * `ST_Intersects` on `geometry(…, 4326)` — so these tests agree with SQL on the same data.
 */

import { orient2d } from 'robust-predicates';

/** A position in the plane: x (longitude), y (latitude). */
export type PlanarPoint = readonly [number, number] | readonly number[];

/**
 * Sign of the turn a→b→c: 1 left (counter-clockwise), -1 right, 0 collinear. Exact for any
 * doubles (Shewchuk's adaptive predicate): a point 1e-17° off an edge is on the side it is on,
 * as GEOS's extended-precision test finds, so the parser and PostGIS judge such shapes alike.
 * `orient2d`'s sign is the opposite of this one's (positive when clockwise).
 */
export function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = orient2d(ax, ay, bx, by, cx, cy);
  return v < 0 ? 1 : v > 0 ? -1 : 0;
}

/** Whether c lies inside the bounding box of a–b (meaningful when a, b, c are collinear). */
export function withinSegmentBox(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return cx >= Math.min(ax, bx) && cx <= Math.max(ax, bx) && cy >= Math.min(ay, by) && cy <= Math.max(ay, by);
}

/**
 * Whether segments a–b and c–d share at least one point. Touching (an end on the other segment)
 * and collinear overlap count, like `ST_Intersects`.
 */
export function segmentsIntersect(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  if (o1 === 0 && withinSegmentBox(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && withinSegmentBox(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && withinSegmentBox(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && withinSegmentBox(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/** Where two segments meet: parameters along each (0 at the start, 1 at the end) and the point. */
export interface SegmentHit {
  t: number;
  u: number;
  point: [number, number];
}

/**
 * Intersection of segments p1–p2 and q1–q2 as parameters along each, `'overlap'` when they are
 * collinear and share a stretch, or null when they don't meet. Ends within 1e-9 of a segment
 * count as on it, so a crossing computed at a shared vertex is not lost to rounding.
 */
export function segmentIntersection(
  p1: PlanarPoint,
  p2: PlanarPoint,
  q1: PlanarPoint,
  q2: PlanarPoint,
): SegmentHit | 'overlap' | null {
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

/**
 * One step of the crossing-number (ray casting) test: whether the ray from p towards +x crosses
 * segment a–b. Half-open in y, so a ray through a vertex counts it once. The crossing lies right
 * of p exactly when p is left of an upward segment (right of a downward one): decided by the
 * exact `orientation` rather than by computing the crossing's x, which rounds.
 */
export function rayCrossesSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): boolean {
  if (ay > py === by > py) return false;
  const side = orientation(ax, ay, bx, by, px, py);
  return by > ay ? side > 0 : side < 0;
}

/** Where a point lies relative to a closed ring: 1 inside, 0 on its boundary, -1 outside. */
export function locatePointInRing(px: number, py: number, ring: readonly PlanarPoint[]): number {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[j];
    const [bx, by] = ring[i];
    if (orientation(ax, ay, bx, by, px, py) === 0 && withinSegmentBox(ax, ay, bx, by, px, py)) return 0;
    if (rayCrossesSegment(px, py, ax, ay, bx, by)) inside = !inside;
  }
  return inside ? 1 : -1;
}
