/** Endpoints of the designator workspace (role designator or admin). */
import type { FeatureCollection } from 'geojson';
import { request } from './http';
import type {
  BulletinPreview,
  BulletinSummary,
  CaseCollection,
  CreatedZone,
  Dashboard,
  ImportAnswer,
  NewCase,
  NewZoneProperties,
  PublishedBulletin,
  RecordedCase,
  ScreeningResult,
  ZoneCollection,
  ZoneFeature,
  ZoneGeometry,
  ZoneHistoryEntry,
  ZonePatch,
  ZoneStatus,
} from './types';

const zonePath = (id: string) => `/api/zones/${encodeURIComponent(id)}`;

/** GET /api/zones, optionally filtered by status. */
export function listZones(status?: ZoneStatus, signal?: AbortSignal): Promise<ZoneCollection> {
  return request('/api/zones', { query: { status }, signal });
}

/** GET /api/zones/:id */
export function getZone(id: string, signal?: AbortSignal): Promise<ZoneFeature> {
  return request(zonePath(id), { signal });
}

/** POST /api/zones: a new draft zone; the answer may carry rule warnings. */
export function createZone(geometry: ZoneGeometry, properties: NewZoneProperties): Promise<CreatedZone> {
  return request('/api/zones', {
    method: 'POST',
    body: { type: 'Feature', geometry, properties },
  });
}

/**
 * PATCH /api/zones/:id with If-Match; a stale version rejects with ApiError `version_conflict`
 * whose details.current holds the zone as it now is.
 */
export function updateZone(id: string, version: number, patch: ZonePatch): Promise<ZoneFeature> {
  return request(zonePath(id), {
    method: 'PATCH',
    headers: { 'If-Match': String(version) },
    body: { type: 'Feature', ...patch },
  });
}

/** DELETE /api/zones/:id (drafts only). */
export function deleteZone(id: string): Promise<void> {
  return request(zonePath(id), { method: 'DELETE' });
}

/** GET /api/zones/:id/history, oldest first (accepts a bare array or `{ entries }`). */
export async function getZoneHistory(id: string, signal?: AbortSignal): Promise<ZoneHistoryEntry[]> {
  const body = await request<ZoneHistoryEntry[] | { entries: ZoneHistoryEntry[] }>(`${zonePath(id)}/history`, { signal });
  return Array.isArray(body) ? body : body.entries;
}

/** POST /api/zones/:id/lift: lift a zone by hand, with the reason on record. */
export function liftZone(id: string, reason: string, on?: string): Promise<ZoneFeature> {
  return request(`${zonePath(id)}/lift`, { method: 'POST', body: { reason, on } });
}

/** POST /api/zones/:id/screenings: record a screening round of everyone in the zone. */
export function recordScreening(id: string, on: string, negative: boolean): Promise<ScreeningResult> {
  return request(`${zonePath(id)}/screenings`, { method: 'POST', body: { on, negative } });
}

/** POST /api/bulletins/preview: the notice text the bulletin would publish. */
export function previewBulletin(zoneIds: string[], title: string): Promise<BulletinPreview> {
  return request('/api/bulletins/preview', { method: 'POST', body: { zoneIds, title } });
}

/** POST /api/bulletins: publish the drafts and pending edits together (all or none). */
export function publishBulletin(zoneIds: string[], title: string): Promise<PublishedBulletin> {
  return request('/api/bulletins', { method: 'POST', body: { zoneIds, title } });
}

/** GET /api/bulletins */
export function listBulletins(signal?: AbortSignal): Promise<BulletinSummary[]> {
  return request('/api/bulletins', { signal });
}

/** POST /api/cases: record a case; the answer lists what it does to the zones around it. */
export function recordCase(newCase: NewCase): Promise<RecordedCase> {
  return request('/api/cases', { method: 'POST', body: newCase });
}

/** GET /api/cases (never public). */
export function listCases(signal?: AbortSignal): Promise<CaseCollection> {
  return request('/api/cases', { signal });
}

/** GET /api/dashboard */
export function getDashboard(signal?: AbortSignal): Promise<Dashboard> {
  return request('/api/dashboard', { signal });
}

/** POST /api/zones/import: all-or-nothing import of a FeatureCollection of zones. */
export function importZones(collection: FeatureCollection): Promise<ImportAnswer> {
  return request('/api/zones/import', { method: 'POST', body: collection });
}

/** GET /api/zones/export */
export function exportZones(): Promise<ZoneCollection> {
  return request('/api/zones/export');
}

