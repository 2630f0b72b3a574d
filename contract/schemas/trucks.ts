/** Coordinators: routes around the zones, reported trucks and their hand-over (`/api/routes`, `/api/trucks…`). */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { TRUCK_STATES } from '../vocabulary';
import { Instant, LocalizedText, LonLat, PointGeometry, ZoneKind, geometryInput } from './common';

export const TruckState = z.enum(TRUCK_STATES);

// ---------------------------------------------------------------------------------------------
// Requests

/** A truck's height and weight, checked against the roads' limits. */
export const TruckLimits = z
  .object({
    heightM: z.number().positive().max(10).optional(),
    weightT: z.number().positive().max(200).optional(),
  })
  .strict();

/** POST /api/routes: from a checkpoint id or a Point to a Point, around the avoided kinds. */
export const RouteBody = z
  .object({
    from: z.union([z.string().min(1).max(60), geometryInput<GeoJSON.Point>()]),
    to: geometryInput<GeoJSON.Point>(),
    avoid: z.array(ZoneKind).max(3).default(['sealed', 'controlled']),
    truck: TruckLimits.optional(),
  })
  .strict();

/** POST /api/trucks: a truck reported before arrival (提前报备). */
export const TruckBody = z
  .object({
    plate: z.string().trim().min(2).max(20),
    driverName: z.string().trim().min(1).max(50),
    driverPhone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'a phone number: digits, spaces, + and -'),
    originCity: z.string().trim().min(1).max(100),
    fromHighRiskArea: z.boolean().default(false),
    destination: geometryInput<GeoJSON.Point>(),
    destinationAddress: z.string().trim().max(300).default(''),
    /** ISO date-time with its offset. */
    expectedArrival: z.iso.datetime({ offset: true }),
    /** null: the service picks the checkpoint with the fastest route. */
    checkpointId: z.string().max(60).nullable().default(null),
    truck: TruckLimits.optional(),
  })
  .strict();

/** The steps a coordinator records after the report. */
export const TruckEventState = z.enum(['arrived', 'en_route', 'handed_over']);

/** POST /api/trucks/:id/events */
export const TruckEventBody = z.object({ state: TruckEventState, note: z.string().trim().max(1000).default('') }).strict();

/** GET /api/trucks */
export const TruckListQuery = z.object({ state: TruckState.optional() }).strict();

/** A truck in a path: anything but a UUID is a 404. */
export const TruckId = z.string().regex(/^[0-9a-f-]{36}$/i);

// ---------------------------------------------------------------------------------------------
// Responses

/** A zone named in a route or truck answer. */
export const ZoneRef = z.object({ id: z.string(), kind: ZoneKind, name: z.string() });

const Snapped = z.object({ point: LonLat, distanceMeters: z.number() });

export const RouteProps = z.object({
  from: z.object({ checkpointId: z.string().nullable(), name: z.string().nullable(), point: LonLat }),
  to: z.object({ point: LonLat }),
  distanceMeters: z.number(),
  durationSeconds: z.number(),
  roadNames: z.array(z.string()),
  avoid: z.array(ZoneKind),
  avoidedZones: z.array(ZoneRef),
  /** Zones the route enters because its start or destination lies inside them. */
  enteredZones: z.array(ZoneRef.extend({ reason: z.string() })),
  snappedFrom: Snapped,
  snappedTo: Snapped,
  /** Why the route enters a zone, when it does; it names the zone each end lies in first. */
  message: LocalizedText.nullable(),
  /**
   * The zone in force the start / the destination lies in (strictest kind, then smallest), or
   * null; absent on routes planned before the service named them.
   */
  originZone: ZoneRef.nullable().optional(),
  destinationZone: ZoneRef.nullable().optional(),
});

/** POST /api/routes */
export const RouteFeature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(LonLat) }),
  properties: RouteProps,
});

export const TruckEvent = z.object({
  at: Instant,
  state: z.union([TruckState, z.literal('route_planned')]),
  by: z.string().nullable(),
  note: z.string().nullable(),
});

/** A truck reported before arrival, with its planned route and hand-over state. */
export const Truck = z.object({
  id: z.string(),
  plate: z.string(),
  driverName: z.string(),
  driverPhone: z.string(),
  originCity: z.string(),
  fromHighRiskArea: z.boolean(),
  destination: PointGeometry,
  destinationAddress: z.string(),
  expectedArrival: Instant,
  checkpointId: z.string().nullable(),
  /** True when the service chose the checkpoint (the fastest route). */
  checkpointChosenByService: z.boolean(),
  truck: z.object({ heightM: z.number().nullable(), weightT: z.number().nullable() }),
  state: TruckState,
  route: RouteFeature.nullable(),
  routePlannedAt: Instant.nullable(),
  /** Set when a zone in force now crosses the planned route (computed when the truck is read). */
  routeFlag: z.object({ zones: z.array(ZoneRef), message: LocalizedText }).nullable(),
  version: z.number().int(),
  createdBy: z.string(),
  /** The hand-over register, oldest first (GET /api/trucks/:id and the answers of writes). */
  events: z.array(TruckEvent).optional(),
});

/** GET /api/trucks */
export const TruckList = z.array(Truck);

/** POST /api/trucks */
export const ReportedTruck = z.object({
  truck: Truck,
  /** Why no route could be planned at report time (e.g. route_not_found), or null. */
  routeError: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
});
