import type { z } from 'zod';
import type { Knex } from 'knex';
import type { RouteResult } from './engine';
import { NoRouteError, RouteBudgetError } from './errors';
import { ZonePolygon, zoneRef, type AvoidedZone, type ZoneRef } from './zone-index';
import { routingRepo } from './routing.repo';
import type { LonLat } from './geometry';
import type { RouteBody, TruckLimits } from '../../../contract/schemas';
import { AppError, notFound } from '../errors';
import type { PublicSnapshot } from '../public/public.service';
import type { CheckpointsRepo } from '../checkpoints/checkpoints.repo';
import type { WorkerPool } from '../workers/pool';
import type { SharedMapCache } from '../workers/shared-maps';
import type { PlanInput, PlanReply, SearchFailure } from '../workers/routing-tasks';

/** A truck's height and weight (contract/schemas/trucks.ts). */
export type TruckLimitsInput = z.output<typeof TruckLimits>;

/** A route request: from a checkpoint id or a point, to a point (both checked by the point parser). */
export type RouteRequest = Omit<z.output<typeof RouteBody>, 'from' | 'to'> & { from: string | LonLat; to: LonLat };

export interface RouteFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: LonLat[] };
  properties: {
    from: { checkpointId: string | null; name: string | null; point: LonLat };
    to: { point: LonLat };
    distanceMeters: number;
    durationSeconds: number;
    roadNames: string[];
    avoid: string[];
    avoidedZones: ZoneRef[];
    enteredZones: (ZoneRef & { reason: string })[];
    snappedFrom: { point: LonLat; distanceMeters: number };
    snappedTo: { point: LonLat; distanceMeters: number };
    message: { zh: string; en: string } | null;
  };
}

/**
 * Truck routing: a graph of the roads table, kept in memory by the routing worker thread
 * (workers/routing-tasks.ts), with the zones in force applied as closures. The graph is rebuilt
 * when the roads change; only the changed zones are recomputed when the public map changes. The
 * main thread reads the roads and zones and hands them over; every search runs in the worker.
 */
export function routingService(knex: Knex, deps: {
  maxSettledNodes: number;
  zonesInForce: () => Promise<PublicSnapshot>;
  checkpoints: CheckpointsRepo;
  /** The routing worker (one thread): it holds the graph and runs the searches. */
  worker: WorkerPool;
  /** Maps shared with the worker threads (one cache per context). */
  sharedMap: SharedMapCache;
  /** On PostgreSQL the worker reads the roads itself (null on the embedded store, whose database is in this thread). */
  roadsFrom?: { databaseUrl: string; statementTimeoutMs: number } | null;
}) {
  const repo = routingRepo(knex);
  let loaded = false;
  let engineRoads = '';
  let engineZones = '';
  let roadsCheckedAt = 0;
  let building: Promise<void> | null = null;

  // One list per published snapshot: the truck list checks every route against the same zones.
  const zonesBySnapshot = new WeakMap<PublicSnapshot, AvoidedZone[]>();
  const polygonsBySnapshot = new WeakMap<PublicSnapshot, (ZonePolygon | undefined)[]>();
  const zonesOf = (snap: PublicSnapshot): AvoidedZone[] => {
    let zones = zonesBySnapshot.get(snap);
    if (!zones) {
      zones = snap.features.map((f) => ({ id: f.id, kind: f.properties.kind, name: f.properties.name, geometry: f.geometry }));
      zonesBySnapshot.set(snap, zones);
    }
    return zones;
  };

  // State updates are `urgent`: a full queue refuses searches, never the state they depend on.
  const refresh = async (): Promise<void> => {
    // The network is checked at most every 10 s: a cheap query, but not one per route.
    const now = Date.now();
    if (!loaded || now - roadsCheckedAt > 10_000) {
      roadsCheckedAt = now;
      const version = await repo.roadsVersion();
      if (!loaded || version !== engineRoads) {
        if (deps.roadsFrom) await deps.worker.run('loadRoads', { ...deps.roadsFrom, maxSettledNodes: deps.maxSettledNodes }, { urgent: true });
        else await deps.worker.run('setRoads', { edges: await repo.roadEdges(), maxSettledNodes: deps.maxSettledNodes }, { urgent: true });
        loaded = true;
        engineRoads = version;
        engineZones = '';
      }
    }
    const snap = await deps.zonesInForce();
    if (snap.etag !== engineZones) {
      // Today's map's shared gzip: the routing thread reads the zones from it.
      await deps.worker.run('setZones', { map: await deps.sharedMap(snap) }, { urgent: true });
      engineZones = snap.etag;
    }
  };
  const ready = async () => {
    // One build at a time: concurrent first requests share it.
    if (!building) building = refresh().finally(() => (building = null));
    return building;
  };

  const toFeature = (r: RouteResult, from: { checkpointId: string | null; name: string | null; point: LonLat }, avoid: string[]): RouteFeature => ({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: r.coordinates },
    properties: {
      from,
      to: { point: r.snappedTo.requested },
      distanceMeters: Math.round(r.distanceMeters),
      durationSeconds: Math.round(r.durationSeconds),
      roadNames: r.roadNames,
      avoid,
      avoidedZones: r.avoidedZones,
      enteredZones: r.enteredZones,
      snappedFrom: { point: r.snappedFrom.point, distanceMeters: Math.round(r.snappedFrom.distanceMeters) },
      snappedTo: { point: r.snappedTo.point, distanceMeters: Math.round(r.snappedTo.distanceMeters) },
      message: r.enteredZones.length
        ? {
            zh: `起点或终点位于风险区内，路线仅进入该区域：${r.enteredZones.map((z) => z.name).join('、')}，并以最短路径进出。`,
            en: `The start or destination lies inside a zone; the route enters only ${r.enteredZones.map((z) => z.name).join(', ')}, by the shortest way.`,
          }
        : null,
    },
  });

  const toAppError = (err: unknown): never => {
    if (err instanceof NoRouteError) {
      const names = err.details.blockingZones.map((z) => z.name).join('、');
      const message = err.details.reason === 'blocked_by_zones'
        ? `No route avoids the zones in force: ${names} cut every way to the destination.`
        : err.message;
      throw new AppError(err.code, 422, message, { reason: err.details.reason, blockingZones: err.details.blockingZones });
    }
    if (err instanceof RouteBudgetError) throw new AppError(err.code, 422, err.message, { ...err.details });
    throw err;
  };

  const errorOf = (failure: SearchFailure): Error =>
    failure.kind === 'no_route' ? new NoRouteError(failure.message, failure.details) : new RouteBudgetError(failure.details);

  type Start = { checkpointId: string | null; name: string | null; point: LonLat };
  /** Searches from each start in the worker and keeps the quickest route. */
  const planFromAny = async (starts: Start[], to: LonLat, avoid: string[], truck?: TruckLimitsInput): Promise<RouteFeature> => {
    const input: PlanInput = { starts: starts.map((s) => s.point), to, avoid: avoid as PlanInput['avoid'], ...(truck ? { truck } : {}) };
    await ready();
    let reply = await deps.worker.run<PlanReply>('plan', input);
    if (!reply.ok && 'notReady' in reply) {
      // The worker thread was replaced (it died): it is given the roads and zones again, once.
      loaded = false;
      await ready();
      reply = await deps.worker.run<PlanReply>('plan', input);
    }
    if (reply.ok) return toFeature(reply.route, starts[reply.start], avoid);
    if ('failure' in reply) return toAppError(errorOf(reply.failure));
    throw new AppError('internal_error', 500, 'The routing worker has no road network.');
  };
  const planFrom = (from: Start, to: LonLat, avoid: string[], truck?: TruckLimitsInput) => planFromAny([from], to, avoid, truck);

  const checkpointStart = async (id: string) => {
    const cp = await deps.checkpoints.get(id);
    if (!cp) throw notFound(`No checkpoint ${id}.`);
    return { checkpointId: cp.id, name: cp.name, point: JSON.parse(cp.geometry).coordinates as LonLat };
  };

  return {
    /** POST /api/routes: from a checkpoint id or a point to a point, around the avoided zones. */
    async route(input: RouteRequest): Promise<RouteFeature> {
      const from = typeof input.from === 'string' ? await checkpointStart(input.from) : { checkpointId: null, name: null, point: input.from };
      return planFrom(from, input.to, input.avoid, input.truck);
    },

    /** Plans from a given checkpoint, or from every checkpoint keeping the shortest ("choose for me"). */
    async planForTruck(checkpointId: string | null, to: LonLat, truck?: TruckLimitsInput): Promise<RouteFeature> {
      const avoid = ['sealed', 'controlled'];
      if (checkpointId) return planFrom(await checkpointStart(checkpointId), to, avoid, truck);
      const all = await deps.checkpoints.list();
      if (!all.length) throw new AppError('route_not_found', 422, 'No checkpoint has a route to this destination.');
      // One task searches from every checkpoint: the worker keeps the quickest.
      return planFromAny(all.map((cp) => ({ checkpointId: cp.id, name: cp.name, point: JSON.parse(cp.geometry).coordinates })), to, avoid, truck);
    },

    /** The avoided zones in force that a planned route now crosses. */
    async zonesCrossed(coordinates: LonLat[], avoid: readonly string[] = ['sealed', 'controlled']): Promise<ZoneRef[]> {
      const snap = await deps.zonesInForce();
      if (!coordinates.length || !snap.index) return [];
      // The truck list asks this for every truck: only the zones whose box meets the route's box
      // (the snapshot's index) get the exact test, with each zone's polygon prepared once per map.
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      const flat = new Float64Array(coordinates.length * 2);
      coordinates.forEach(([x, y], k) => {
        flat[k * 2] = x;
        flat[k * 2 + 1] = y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      });
      const zones = zonesOf(snap);
      let polygons = polygonsBySnapshot.get(snap);
      if (!polygons) polygonsBySnapshot.set(snap, (polygons = new Array(zones.length)));
      return snap.index
        .search(minX, minY, maxX, maxY)
        .sort((a, b) => a - b)
        .filter((i) => avoid.includes(zones[i].kind) && (polygons[i] ??= new ZonePolygon(zones[i].geometry)).intersectsPolyline(flat, 0, coordinates.length))
        .map((i) => zoneRef(zones[i]));
    },

    /** The zones in force that routes go around (today's public map, with its index). */
    zonesInForce: (): Promise<PublicSnapshot> => deps.zonesInForce(),

    /** Warms the graph so the first coordinator does not wait for it. */
    async warm(): Promise<void> {
      await ready();
    },
  };
}
export type RoutingService = ReturnType<typeof routingService>;
