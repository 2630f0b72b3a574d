/** Endpoints anyone may call: the public risk map and its base data. */
import { request } from './http';
import type {
  Bulletin,
  BulletinSummary,
  CheckpointCollection,
  CoordinateSystem,
  FacilityCollection,
  FacilityKind,
  Health,
  LookupResult,
  PublicZoneCollection,
  RegionCollection,
  SearchResponse,
  ServiceConfig,
} from './types';

/** GET /api/health */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return request('/api/health', { signal });
}

/** GET /api/config: service area, editions, and whether an online base map may be shown. */
export function getConfig(signal?: AbortSignal): Promise<ServiceConfig> {
  return request('/api/config', { signal });
}

/** GET /api/regions: county-level divisions for the offline base map. */
export function getRegions(signal?: AbortSignal): Promise<RegionCollection> {
  return request('/api/regions', { signal });
}

/** GET /api/facilities, optionally of one kind. */
export function getFacilities(kind?: FacilityKind, signal?: AbortSignal): Promise<FacilityCollection> {
  return request('/api/facilities', { query: { kind }, signal });
}

/** GET /api/checkpoints (public view: no point leader or phone). */
export function getCheckpoints(signal?: AbortSignal): Promise<CheckpointCollection> {
  return request('/api/checkpoints', { signal });
}

/** GET /api/public/zones: the zones in force today, or as they stood on `asOf`. */
export function getPublicZones(asOf?: string, signal?: AbortSignal): Promise<PublicZoneCollection> {
  return request('/api/public/zones', { query: { asOf }, signal });
}

/** GET /api/public/lookup: zones, nearest designated hospitals and hotline at a point. */
export function lookupPoint(
  lon: number,
  lat: number,
  crs: CoordinateSystem = 'wgs84',
  signal?: AbortSignal,
): Promise<LookupResult> {
  return request('/api/public/lookup', {
    query: { lon, lat, crs: crs === 'wgs84' ? undefined : crs },
    signal,
  });
}

/**
 * GET /api/public/lookup for a place the public page keeps in its URL: a WGS84 point (with the
 * township the resident chose, if any), a township alone, or a county.
 */
export function lookupPlace(query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<LookupResult> {
  return request('/api/public/lookup', { query, signal });
}

/** GET /api/public/search: zones, townships, counties, hospitals, checkpoints and typed coordinates. */
export function searchPlaces(q: string, signal?: AbortSignal): Promise<SearchResponse> {
  return request('/api/public/search', { query: { q }, signal });
}

/** GET /api/public/publications/1: the record's first publication (where the map's history starts). */
export function getFirstPublication(signal?: AbortSignal): Promise<Bulletin> {
  return request('/api/public/publications/1', { signal });
}

/** GET /api/public/bulletins: the latest published bulletins first. */
export function getPublicBulletins(signal?: AbortSignal): Promise<BulletinSummary[]> {
  return request('/api/public/bulletins', { signal });
}

/** GET /api/bulletins/:id: one bulletin with its full Chinese text. */
export function getBulletin(id: string | number, signal?: AbortSignal): Promise<Bulletin> {
  return request(`/api/bulletins/${encodeURIComponent(String(id))}`, { signal });
}
