/** Endpoints of the coordinator workspace (role coordinator or admin). */
import { request } from './http';
import type {
  CoordinatorCheckpointCollection,
  NewTruck,
  ReportedTruck,
  RouteFeature,
  RouteRequest,
  Truck,
  TruckEventState,
  TruckState,
} from './types';

/** GET /api/coordinator/checkpoints: checkpoints with their point leaders and phones. */
export function getCoordinatorCheckpoints(signal?: AbortSignal): Promise<CoordinatorCheckpointCollection> {
  return request('/api/coordinator/checkpoints', { signal });
}

/** GET /api/trucks, optionally in one state. */
export async function listTrucks(state?: TruckState, signal?: AbortSignal): Promise<Truck[]> {
  const body = await request<Truck[] | { trucks: Truck[] }>('/api/trucks', { query: { state }, signal });
  return Array.isArray(body) ? body : body.trucks;
}

/**
 * POST /api/trucks: a truck reported before arrival (提前报备). The server plans its route at once;
 * `routeError` says why when it could not.
 */
export function reportTruck(truck: NewTruck): Promise<ReportedTruck> {
  return request('/api/trucks', { method: 'POST', body: truck });
}

/** POST /api/trucks/:id/events: the next hand-over step (arrived, left under escort, handed over). */
export function recordTruckEvent(id: string, state: TruckEventState, note?: string): Promise<Truck> {
  return request(`/api/trucks/${encodeURIComponent(id)}/events`, { method: 'POST', body: { state, note: note ?? '' } });
}

/** POST /api/trucks/:id/route: plans the truck's route again (after a new zone cut it). */
export function replanTruckRoute(id: string): Promise<Truck> {
  return request(`/api/trucks/${encodeURIComponent(id)}/route`, { method: 'POST' });
}

/** POST /api/routes; rejects with ApiError `route_not_found` (422) when every way is blocked. */
export function planRoute(route: RouteRequest): Promise<RouteFeature> {
  return request('/api/routes', { method: 'POST', body: route });
}
