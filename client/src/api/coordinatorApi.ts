/** Endpoints of the coordinator workspace (role coordinator or admin). */
import { request } from './http';
import type {
  CoordinatorCheckpointCollection,
  NewTruck,
  RouteFeature,
  RouteRequest,
  Truck,
  TruckEventState,
} from './types';

/** GET /api/coordinator/checkpoints: checkpoints with their point leaders and phones. */
export function getCoordinatorCheckpoints(signal?: AbortSignal): Promise<CoordinatorCheckpointCollection> {
  return request('/api/coordinator/checkpoints', { signal });
}

/** GET /api/trucks, optionally for one checkpoint. */
export async function listTrucks(checkpointId?: string, signal?: AbortSignal): Promise<Truck[]> {
  const body = await request<Truck[] | { trucks: Truck[] }>('/api/trucks', { query: { checkpointId }, signal });
  return Array.isArray(body) ? body : body.trucks;
}

/** POST /api/trucks: a truck reported before arrival. */
export function reportTruck(truck: NewTruck): Promise<Truck> {
  return request('/api/trucks', { method: 'POST', body: truck });
}

/** POST /api/trucks/:id/events: the truck arrived, left under escort, or was handed over. */
export function recordTruckEvent(id: string, state: TruckEventState, note?: string): Promise<Truck> {
  return request(`/api/trucks/${encodeURIComponent(id)}/events`, { method: 'POST', body: { state, note } });
}

/** POST /api/routes; rejects with ApiError `route_not_found` (422) when every way is blocked. */
export function planRoute(route: RouteRequest): Promise<RouteFeature> {
  return request('/api/routes', { method: 'POST', body: route });
}
