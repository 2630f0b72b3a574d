/**
 * Snapping a requested position to the nearest open road.
 *
 * Candidates come from flatbush `neighbors` over the edge bboxes (in degrees); the exact distance
 * is point-to-segment in metres in an equirectangular projection centred on the requested point
 * and scaled by the WGS84 radii of curvature there (geometry.ts `metricScaleAt`). Within the few
 * hundred metres a snap spans, that projection is off by about Δlat·tan(lat) ≈ 1e-4 relative — a
 * decimetre at a kilometre — so it picks the same road a geodesic computation would, at a
 * fraction of the cost.
 */
import { metricScaleAt, projectOnSegment, type LonLat } from './geometry';
import type { RoadGraph } from './graph';

/** Where a position lands on the road network. */
export interface SnappedPosition {
  /** edge index in the graph */
  edge: number;
  /** original id of that edge */
  edgeId: number;
  /** position along the edge from source (0) to target (1), by length */
  fraction: number;
  /** index of the geometry segment the point lies on (0 = first segment) */
  segment: number;
  /** position along that segment, 0…1 */
  segmentT: number;
  /** the snapped position on the road */
  point: LonLat;
  /** the position that was asked for */
  requested: LonLat;
  /** metres from the requested position to the road */
  distanceMeters: number;
}

/**
 * The nearest point on the nearest edge for which `isOpen(edge)` holds, or null when no edge is
 * open.
 */
export function snapToRoad(
  graph: RoadGraph,
  point: LonLat,
  isOpen: (edge: number) => boolean,
): SnappedPosition | null {
  if (graph.edgeCount === 0) return null;
  const [lon, lat] = point;
  const { kx, ky } = metricScaleAt(lat);

  // First the edge whose bbox is nearest in degrees; its exact distance in metres then bounds the
  // search: any nearer edge has a bbox within that many metres, i.e. within d / min(kx, ky) degrees.
  const first = graph.edgeIndex.neighbors(lon, lat, 1, Infinity, isOpen);
  if (first.length === 0) return null;
  let best = measure(graph, first[0], lon, lat, kx, ky);
  const radiusDegrees = best.distanceMeters / Math.min(kx, ky);
  const nearby = graph.edgeIndex.neighbors(lon, lat, Infinity, radiusDegrees * (1 + 1e-9), isOpen);
  for (const e of nearby) {
    if (e === best.edge) continue;
    const candidate = measure(graph, e, lon, lat, kx, ky);
    // Ties go to the lower edge index so the same request always snaps the same way.
    if (
      candidate.distanceMeters < best.distanceMeters ||
      (candidate.distanceMeters === best.distanceMeters && candidate.edge < best.edge)
    ) {
      best = candidate;
    }
  }
  return best;
}

function measure(graph: RoadGraph, e: number, lon: number, lat: number, kx: number, ky: number): SnappedPosition {
  const { coords, geomStart } = graph;
  const from = geomStart[e];
  const to = geomStart[e + 1];
  let bestSquared = Infinity;
  let bestSegment = 0;
  let bestT = 0;
  let lengthBefore = 0;
  let lengthAtBest = 0;
  let total = 0;
  for (let k = from; k + 1 < to; k++) {
    const ax = (coords[k * 2] - lon) * kx;
    const ay = (coords[k * 2 + 1] - lat) * ky;
    const bx = (coords[k * 2 + 2] - lon) * kx;
    const by = (coords[k * 2 + 3] - lat) * ky;
    const segmentLength = Math.hypot(bx - ax, by - ay);
    const { t, distanceSquared } = projectOnSegment(0, 0, ax, ay, bx, by);
    if (distanceSquared < bestSquared) {
      bestSquared = distanceSquared;
      bestSegment = k - from;
      bestT = t;
      lengthAtBest = lengthBefore + t * segmentLength;
    }
    lengthBefore += segmentLength;
    total += segmentLength;
  }
  const k = from + bestSegment;
  const ax = coords[k * 2];
  const ay = coords[k * 2 + 1];
  const bx = coords[k * 2 + 2];
  const by = coords[k * 2 + 3];
  // At a vertex the fraction is exactly 0 or 1, so a position on a junction starts the search
  // exactly at that node.
  let fraction = total > 0 ? lengthAtBest / total : 0;
  if (bestT === 0 && bestSegment === 0) fraction = 0;
  if (bestT === 1 && bestSegment === to - from - 2) fraction = 1;
  return {
    edge: e,
    edgeId: graph.edgeIds[e],
    fraction: Math.min(Math.max(fraction, 0), 1),
    segment: bestSegment,
    segmentT: bestT,
    point: bestT === 0 ? [ax, ay] : bestT === 1 ? [bx, by] : [ax + bestT * (bx - ax), ay + bestT * (by - ay)],
    requested: [lon, lat],
    distanceMeters: Math.sqrt(bestSquared),
  };
}
