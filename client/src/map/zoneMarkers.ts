/**
 * Zones as markers: one point per zone, for the zoom levels where its shape is a few pixels. The
 * map's clustered marker layers (useZoneLayers.ts) and the phone's overview drawn before MapLibre
 * loads (PublicOverviewMap.vue) read the same points and cluster them with the same radius, so the
 * overview shows what the map will show.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ZoneKind } from '../api/types';
import { geometryBounds, labelPoint } from './geometry';
import type { MappableZones } from './useZoneLayers';

/**
 * Below this zoom a zone is drawn as a marker too (clustered with counts); from it on its shape
 * is large enough to see: a compound of 200 m is about 10 px at zoom 13 on a phone.
 */
export const ZONE_MARKER_MAX_ZOOM = 13;

/** Markers closer than this many pixels join one cluster. */
export const ZONE_CLUSTER_RADIUS = 36;

/** What a marker carries: the zone, and its extent (for the camera) as four numbers. */
export interface ZoneMarkerProps {
  id: string;
  name: string;
  kind: ZoneKind;
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * One marker per zone at its label point, with its extent as four numbers: cluster properties and
 * feature properties hold numbers well, arrays not at all.
 */
export function markerPoints(zones: MappableZones | null): FeatureCollection<Point, ZoneMarkerProps> {
  const features: Feature<Point, ZoneMarkerProps>[] = [];
  for (const zone of zones?.features ?? []) {
    const point = labelPoint(zone.geometry);
    const bounds = geometryBounds(zone.geometry);
    if (!point || !bounds) continue;
    features.push({
      type: 'Feature',
      properties: {
        id: zone.properties.id,
        name: zone.properties.name,
        kind: zone.properties.kind,
        west: bounds[0][0],
        south: bounds[0][1],
        east: bounds[1][0],
        north: bounds[1][1],
      },
      geometry: { type: 'Point', coordinates: point },
    });
  }
  return { type: 'FeatureCollection', features };
}
