// Consumer maps in China (Amap, Tencent: GCJ-02) show coordinates offset by hundreds
// of metres from WGS84, which the database stores (docs/rules.md, "Coordinates in China"). A position a
// resident copies from such a map is converted here before any lookup.

import gcoord from 'gcoord';
import { GeometryInputError } from './geojson';
import { POSITION_INVALID, POSITION_OUT_OF_RANGE } from './geojson-codes';

/** A WGS84 position. */
export interface LonLat {
  lon: number;
  lat: number;
}

function assertPosition(lon: number, lat: number): void {
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new GeometryInputError(POSITION_INVALID, 'Longitude and latitude must be finite numbers.');
  }
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw new GeometryInputError(
      POSITION_OUT_OF_RANGE,
      `[${lon}, ${lat}] is not a position: longitude must lie in [-180, 180] and latitude in [-90, 90].`,
    );
  }
}

/**
 * Converts a GCJ-02 position (Amap, Tencent, most Chinese phone maps) to WGS84. gcoord inverts the
 * offset iteratively to within 1e-6° (about 0.1 m). Positions outside mainland China's box are
 * returned unchanged, since GCJ-02 equals WGS84 there.
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  assertPosition(lon, lat);
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84);
  return { lon: x, lat: y };
}
