/**
 * Today's zones, asked for as soon as the public page's scripts run rather than once the page has
 * been built: on a slow phone the request then travels while the app mounts, and the zone list
 * (the largest thing the first screen shows) appears that much sooner. The service also names
 * the request in a preload `Link` header on the page itself, so the browser has usually started
 * it with the scripts; this request then takes the preloaded response.
 */
import { PUBLIC_ZONES_PATH } from '../../../contract/vocabulary';
import type { PublicZoneCollection } from '../api/types';
import { getMaybeCached, type MaybeCached } from './cachedFetch';

let early: Promise<MaybeCached<PublicZoneCollection>> | null = null;

/** Starts the request when the page opening is the public map of today (no `asOf` in the URL). */
export function askForOpeningZones(): void {
  if (window.location.pathname !== '/' || new URLSearchParams(window.location.search).has('asOf')) return;
  early = getMaybeCached<PublicZoneCollection>(PUBLIC_ZONES_PATH);
  // Whoever takes it handles its failure; until then it must not count as unhandled.
  early.catch(() => undefined);
}

/** The request started early, once: later loads (another day, back to today) ask anew. */
export function takeOpeningZones(): Promise<MaybeCached<PublicZoneCollection>> | null {
  const taken = early;
  early = null;
  return taken;
}
