/**
 * Small planar and local-metric geometry used by the routing engine.
 *
 * Two coordinate spaces are used on purpose:
 * - lon/lat degrees, planar, for every topological test (does a road cross a zone), through the
 *   shared primitives of `geo/planar.ts`, so the engine and SQL agree on which roads a zone closes.
 * - local metres, for distances (snapping, heuristic bounds), through an equirectangular projection
 *   scaled by the WGS84 radii of curvature at a reference latitude.
 */

/** A position as GeoJSON writes it: longitude, latitude in degrees (WGS84 / CGCS2000). */
export type LonLat = [number, number];

const WGS84_A = 6378137;
const WGS84_E2 = 6.69437999014e-3;
const DEG = Math.PI / 180;

/** Metres per degree of longitude and latitude at a latitude. */
export interface MetricScale {
  /** metres per degree of longitude */
  kx: number;
  /** metres per degree of latitude */
  ky: number;
}

/**
 * Metres per degree at `lat`, from the WGS84 meridional (M) and prime-vertical (N) radii.
 *
 * Over the few kilometres a snap or a zone test spans, the equirectangular error grows with
 * Δlat·tan(lat): about 1e-4 relative at 1 km near Liaocheng (36.5°N), i.e. 0.1 m — far below
 * road-centreline accuracy, and using the ellipsoid radii removes the ~0.3 % error a sphere gives.
 */
export function metricScaleAt(lat: number): MetricScale {
  const s = Math.sin(lat * DEG);
  const w = 1 - WGS84_E2 * s * s;
  const n = WGS84_A / Math.sqrt(w);
  const m = (WGS84_A * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return { kx: n * Math.cos(lat * DEG) * DEG, ky: m * DEG };
}

/** Closest point of a segment to a point, in a planar metric space. */
export interface SegmentProjection {
  /** position along the segment, 0 at a, 1 at b */
  t: number;
  /** squared distance from the point to the closest point */
  distanceSquared: number;
}

/** Projects p onto segment a–b (all in the same planar units). */
export function projectOnSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): SegmentProjection {
  const vx = bx - ax;
  const vy = by - ay;
  const lengthSquared = vx * vx + vy * vy;
  let t = 0;
  if (lengthSquared > 0) {
    t = ((px - ax) * vx + (py - ay) * vy) / lengthSquared;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
  }
  const qx = ax + t * vx - px;
  const qy = ay + t * vy - py;
  return { t, distanceSquared: qx * qx + qy * qy };
}
