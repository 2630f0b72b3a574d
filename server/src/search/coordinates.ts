// Coordinates a resident types into the search box: copied from a GPS app (WGS84), from Amap or
// Tencent (GCJ-02) or from Baidu (BD-09), often latitude first. DOMAIN.md, "Coordinates in China".
import gcoord from 'gcoord';

/** The coordinate systems a typed place may be in. */
export const COORDINATE_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

/**
 * Converts a BD-09 position (Baidu maps) to WGS84 with gcoord (BD-09 → GCJ-02 is closed-form, the
 * GCJ-02 step is inverted iteratively to about 0.1 m).
 */
export function bd09ToWgs84(lon: number, lat: number): { lon: number; lat: number } {
  const [x, y] = gcoord.transform([lon, lat], gcoord.BD09, gcoord.WGS84);
  return { lon: x, lat: y };
}

/** Converts a position of any accepted system to WGS84. */
export function toWgs84(lon: number, lat: number, crs: CoordinateSystem): { lon: number; lat: number } {
  if (crs === 'wgs84') return { lon, lat };
  if (crs === 'bd09') return bd09ToWgs84(lon, lat);
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84);
  return { lon: x, lat: y };
}

/** Two numbers typed as a place, in the order they make a position, and whether they were swapped. */
export interface TypedPosition {
  lon: number;
  lat: number;
  /** The text gave latitude first (as phone map apps copy them); the numbers were swapped. */
  swapped: boolean;
}

const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const PAIR = new RegExp(`^\\s*(${NUMBER})\\s*[,，\\s]\\s*(${NUMBER})\\s*$`, 'u');

/**
 * Reads "115.95, 36.42" (or "36.42 115.95") as a position; null when the text is not two numbers
 * or they are no position in either order. Latitude first is recognised when the first number
 * cannot be a latitude or, around Liaocheng (lon ≈ 116, lat ≈ 36), when the first is the smaller.
 */
export function parseTypedPosition(text: string): TypedPosition | null {
  const match = PAIR.exec(text);
  if (!match) return null;
  const a = Number(match[1]);
  const b = Number(match[2]);
  const asLonLat = Math.abs(a) <= 180 && Math.abs(b) <= 90;
  const asLatLon = Math.abs(b) <= 180 && Math.abs(a) <= 90;
  if (asLonLat && (!asLatLon || Math.abs(a) >= Math.abs(b))) return { lon: a, lat: b, swapped: false };
  if (asLatLon) return { lon: b, lat: a, swapped: true };
  return null;
}
