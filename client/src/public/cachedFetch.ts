/**
 * GETs that the public page keeps for offline use. The service worker (client/public/sw.js) stores
 * each answer with the time it was fetched (`X-Fetched-At`) and, when the network is gone, answers
 * from its cache with that header still on: so the page can say plainly how old what it shows is.
 */
import { requestWithResponse, type QueryValue } from '../api/http';

/** The header the service worker puts on the answers it serves from its cache. */
export const FETCHED_AT_HEADER = 'X-Fetched-At';

/** An answer and, when it came from the offline cache, when it was fetched (ISO instant). */
export interface MaybeCached<T> {
  body: T;
  /** Null when the answer is fresh from the server. */
  cachedAt: string | null;
}

/** GET `path` as JSON, saying whether the answer came from the offline cache and how old it is. */
export async function getMaybeCached<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<MaybeCached<T>> {
  const { response, headers } = await requestWithResponse<T>(path, { query, signal });
  return { body: response, cachedAt: headers.get(FETCHED_AT_HEADER) };
}
