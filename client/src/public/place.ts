/**
 * The place an answer is about, as the URL keeps it (`?place=`), so a shared link asks the same
 * question: a point (`115.954,36.424`, always WGS84: typed GCJ-02/BD-09 positions are converted
 * first), a township chosen in the search (`township:371502001`) or a county (`county:371502`).
 */
export type Place =
  | { type: 'point'; lon: number; lat: number }
  | { type: 'township'; code: string }
  | { type: 'county'; code: string };

/** The URL's words for a place. */
export function placeToQuery(place: Place): string {
  if (place.type === 'point') return `${place.lon.toFixed(6)},${place.lat.toFixed(6)}`;
  return `${place.type}:${place.code}`;
}

/** Reads `?place=`; null for anything else (a mangled link shows the map, not an error). */
export function placeFromQuery(value: unknown): Place | null {
  if (typeof value !== 'string') return null;
  const township = /^township:(\d{9})$/.exec(value);
  if (township) return { type: 'township', code: township[1]! };
  const county = /^county:(\d{6})$/.exec(value);
  if (county) return { type: 'county', code: county[1]! };
  const point = /^(-?\d{1,3}(?:\.\d+)?),(-?\d{1,2}(?:\.\d+)?)$/.exec(value);
  if (!point) return null;
  const lon = Number(point[1]);
  const lat = Number(point[2]);
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? { type: 'point', lon, lat } : null;
}

/** The lookup's query for a place (plus the township the resident chose, if any). */
export function lookupQuery(place: Place, township?: string | null): Record<string, string | number | undefined> {
  if (place.type === 'point') return { lon: place.lon, lat: place.lat, township: township ?? undefined };
  if (place.type === 'township') return { township: place.code };
  return { county: place.code };
}
