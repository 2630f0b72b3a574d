/**
 * Snapping to neighbouring zones while drawing: the cursor jumps to a nearby vertex of an existing
 * zone, or else onto its nearest edge, so adjacent zones share borders instead of leaving slivers.
 * Distances are measured on screen (pixels), as terra-draw's own snapping does.
 */
import type { Position } from 'geojson';
import type { SnapToCustom } from 'terra-draw';
import type { ZoneGeometry } from '../api/types';

/** How close (in pixels) the cursor must be to a vertex or an edge to snap to it. @defaultValue 12 */
export const SNAP_TOLERANCE_PX = 12;

interface ScreenPoint {
  x: number;
  y: number;
}

function ringsOf(geometry: ZoneGeometry): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** The point of segment a–b nearest to p, and how far it is (screen space). */
function nearestOnSegment(p: ScreenPoint, a: ScreenPoint, b: ScreenPoint): { point: ScreenPoint; distance: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  const point = { x: a.x + t * dx, y: a.y + t * dy };
  return { point, distance: Math.hypot(p.x - point.x, p.y - point.y) };
}

/**
 * A terra-draw `snapping.toCustom` function snapping to the vertices, then the edges, of
 * `targets()` (read at every pointer move, so it follows the zone list as it changes).
 */
export function snapToZones(targets: () => ZoneGeometry[], tolerancePx = SNAP_TOLERANCE_PX): SnapToCustom {
  return (event, context) => {
    const cursor = { x: event.containerX, y: event.containerY };
    // A lon/lat box around the cursor skips every ring far away without projecting it.
    const corner1 = context.unproject(cursor.x - tolerancePx, cursor.y - tolerancePx);
    const corner2 = context.unproject(cursor.x + tolerancePx, cursor.y + tolerancePx);
    const west = Math.min(corner1.lng, corner2.lng);
    const east = Math.max(corner1.lng, corner2.lng);
    const south = Math.min(corner1.lat, corner2.lat);
    const north = Math.max(corner1.lat, corner2.lat);

    let bestVertex: { position: Position; distance: number } | null = null;
    let bestEdge: { point: ScreenPoint; distance: number } | null = null;

    for (const geometry of targets()) {
      for (const ring of ringsOf(geometry)) {
        for (let i = 0; i < ring.length - 1; i++) {
          const a = ring[i];
          const b = ring[i + 1];
          const outside =
            (a[0] < west && b[0] < west) ||
            (a[0] > east && b[0] > east) ||
            (a[1] < south && b[1] < south) ||
            (a[1] > north && b[1] > north);
          if (outside) continue;
          const pa = context.project(a[0], a[1]);
          const pb = context.project(b[0], b[1]);
          const vertexDistance = Math.hypot(cursor.x - pa.x, cursor.y - pa.y);
          if (vertexDistance <= tolerancePx && (!bestVertex || vertexDistance < bestVertex.distance)) {
            bestVertex = { position: [a[0], a[1]], distance: vertexDistance };
          }
          const onEdge = nearestOnSegment(cursor, pa, pb);
          if (onEdge.distance <= tolerancePx && (!bestEdge || onEdge.distance < bestEdge.distance)) {
            bestEdge = onEdge;
          }
        }
      }
    }
    if (bestVertex) return bestVertex.position;
    if (bestEdge) {
      const { lng, lat } = context.unproject(bestEdge.point.x, bestEdge.point.y);
      return [lng, lat];
    }
    return undefined;
  };
}
