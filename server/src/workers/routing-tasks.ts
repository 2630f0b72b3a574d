/**
 * The routing worker: the one copy of the road graph (CSR typed arrays, landmarks, zone closures)
 * lives in this thread, and every route search runs here, so a truck report that searches from
 * every checkpoint never holds up the event loop.
 *
 * Why the worker owns the graph rather than sharing it (SharedArrayBuffer) with the main thread:
 * the main thread never searches, so it needs no copy at all; the graph is about 250 MB for a
 * million edges, and one owner keeps it at one copy without the bookkeeping of read-only sharing
 * (zone closures and the search's scratch arrays are written on every request and cannot be
 * shared between threads anyway). It is one thread, not a pool of them: searches ran one at a
 * time on the event loop before too, and a second thread would need a second 250 MB graph.
 */
import { RoutingEngine, type RouteResult } from '../routing/engine';
import type { RoadEdge } from '../routing/graph';
import type { LonLat } from '../routing/geometry';
import type { AvoidedZone, ZoneKind } from '../routing/zone-index';
import { NoRouteError, RouteBudgetError } from '../routing/errors';
import { routingRepo } from '../routing/routing.repo';
import { openDatabase } from '../db/database';
import type { SharedMap } from './tasks';
import { readSharedMap } from './shared-maps';

let engine: RoutingEngine | null = null;

/** A search's failure, as data the main thread turns back into its error. */
export type SearchFailure =
  | { kind: 'no_route'; message: string; details: NoRouteError['details'] }
  | { kind: 'budget'; message: string; details: RouteBudgetError['details'] };

/** The answer to {@link handlers.plan}: the quickest route and which start it left from, or why none. */
export type PlanReply = { ok: true; start: number; route: RouteResult } | { ok: false; failure: SearchFailure } | { ok: false; notReady: true };

/** A plan: from each start to `to`, keeping the quickest (one start for a given checkpoint). */
export interface PlanInput {
  starts: LonLat[];
  to: LonLat;
  avoid: ZoneKind[];
  truck?: { heightM?: number; weightT?: number };
}

const failureOf = (err: unknown): SearchFailure => {
  if (err instanceof NoRouteError) return { kind: 'no_route', message: err.message, details: err.details };
  if (err instanceof RouteBudgetError) return { kind: 'budget', message: err.message, details: err.details };
  throw err;
};

export const handlers = {
  /** Replaces the road network (a full rebuild); the zones in force are kept. */
  setRoads({ edges, maxSettledNodes }: { edges: RoadEdge[]; maxSettledNodes: number }) {
    if (engine) engine.setRoads(edges);
    else engine = new RoutingEngine(edges, [], { maxSettledNodes });
    return { edges: engine.graph.edgeCount };
  },

  /**
   * Reads the road network itself and builds the graph (PostgreSQL only: the embedded PGlite lives
   * in the main thread): a million edges are then neither parsed nor copied on the event loop.
   */
  async loadRoads({ databaseUrl, statementTimeoutMs, maxSettledNodes }: { databaseUrl: string; statementTimeoutMs: number; maxSettledNodes: number }) {
    const db = await openDatabase({ databaseUrl, dataDir: '', poolMax: 1, statementTimeoutMs });
    try {
      return handlers.setRoads({ edges: await routingRepo(db.knex).roadEdges(), maxSettledNodes });
    } finally {
      await db.close();
    }
  },

  /**
   * Makes the map's zones the zones in force (only changed zones are recomputed), read here from
   * the map's shared gzip: a structured clone of thousands of outlines (arrays of arrays of
   * numbers) held the event loop for 250 ms at each publication under the mixed bench.
   */
  setZones({ map }: { map: SharedMap }) {
    if (!engine) return { notReady: true };
    const features = readSharedMap<{ id: string; properties: { kind: ZoneKind; name: string }; geometry: AvoidedZone['geometry'] }>(map);
    engine.setZones(features.map((f) => ({ id: f.id, kind: f.properties.kind, name: f.properties.name, geometry: f.geometry })));
    return { zones: features.length };
  },

  /** Searches from every start and keeps the quickest route (rounded seconds, first start on a tie). */
  plan({ starts, to, avoid, truck }: PlanInput): PlanReply {
    if (!engine) return { ok: false, notReady: true };
    let best: { start: number; route: RouteResult } | null = null;
    let lastFailure: SearchFailure | null = null;
    starts.forEach((from, start) => {
      try {
        const route = engine!.route({ from, to, avoid, ...(truck ? { truck } : {}) });
        if (!best || Math.round(route.durationSeconds) < Math.round(best.route.durationSeconds)) best = { start, route };
      } catch (err) {
        lastFailure = failureOf(err);
      }
    });
    if (best) return { ok: true, ...(best as { start: number; route: RouteResult }) };
    return { ok: false, failure: lastFailure ?? { kind: 'no_route', message: 'No start has a route to this destination.', details: { reason: 'not_connected', blockingZones: [] } } };
  },
};
