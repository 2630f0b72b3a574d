import crypto from 'node:crypto';
import { area as turfArea, booleanPointInPolygon } from '@turf/turf';
import type { z } from 'zod';
import type { Knex } from 'knex';
import { trucksRepo, TRUCK_STATES, type TruckEventRow, type TruckRow, type TruckState } from './trucks.repo';
import type { TruckBody, TruckEventBody } from '../../../contract/schemas';
import { AppError, notFound } from '../errors';
import { auditRepo } from '../audit/audit.repo';
import type { RouteFeature, RouteRequest, RoutingService, TruckLimitsInput } from '../routing/routing.service';
import type { LonLat } from '../routing/geometry';
import type { ZoneRef } from '../routing/zone-index';
import { innermostFirst } from '../public/lookup-reference';
import { KIND_NAMES } from '../expiry/measures';

/** A truck's report (contract/schemas/trucks.ts), its destination checked by the point parser. */
export type NewTruck = Omit<z.output<typeof TruckBody>, 'destination'> & { destination: GeoJSON.Point };
/** The next step of the hand-over register. */
export type TruckEventInput = z.output<typeof TruckEventBody>;

/** The next state of the hand-over sequence (reported → arrived → en route → handed over). */
const NEXT: Record<TruckState, TruckState | null> = { reported: 'arrived', arrived: 'en_route', en_route: 'handed_over', handed_over: null };

/** A route answer that names the zone in force each end lies in (null where none does). */
export type RouteWithEndZones = RouteFeature & {
  properties: RouteFeature['properties'] & { originZone: ZoneRef | null; destinationZone: ZoneRef | null };
};

/**
 * The message of a route whose start or destination lies in a zone. It names the strictest zone
 * there: a destination in a sealed zone inside a controlled one is in the sealed zone, even when
 * the only roads the route drives inside a zone are the controlled zone's.
 */
function endZoneMessage(origin: ZoneRef | null, destination: ZoneRef | null, entered: ZoneRef[]): { zh: string; en: string } | null {
  if (!origin && !destination) return null;
  const zh: string[] = [];
  const en: string[] = [];
  if (destination) {
    zh.push(`目的地位于${KIND_NAMES[destination.kind].zh}「${destination.name}」内`);
    en.push(`The destination lies inside the ${KIND_NAMES[destination.kind].en} "${destination.name}"`);
  }
  if (origin) {
    zh.push(`起点位于${KIND_NAMES[origin.kind].zh}「${origin.name}」内`);
    en.push(`The start lies inside the ${KIND_NAMES[origin.kind].en} "${origin.name}"`);
  }
  if (entered.length) {
    zh.push(`路线仅进入${entered.map((z) => `${KIND_NAMES[z.kind].zh}「${z.name}」`).join('、')}，并以最短路径进出`);
    en.push(`the route enters only ${entered.map((z) => `the ${KIND_NAMES[z.kind].en} "${z.name}"`).join(', ')}, by the shortest way`);
  }
  return { zh: `${zh.join('；')}。`, en: `${en.join('; ')}.` };
}

/** A register step as served: an instant (ISO, UTC) the client shows in Asia/Shanghai time. */
const eventView = (e: TruckEventRow) => ({ state: e.state, at: new Date(e.at).toISOString(), by: e.by, note: e.note });

/** Trucks reported to the checkpoints, their routes, and the point-to-point hand-over register. */
export function trucksService(knex: Knex, deps: { routing: RoutingService }) {
  const repo = trucksRepo(knex);
  const audit = auditRepo(knex);

  const view = async (row: TruckRow, events?: unknown[]) => {
    const route = row.route as RouteFeature | null;
    // The flag is computed against the zones in force right now, so it is never stale.
    const crossed = route && row.state !== 'handed_over' ? await deps.routing.zonesCrossed(route.geometry.coordinates) : [];
    return {
      id: row.id,
      plate: row.plate,
      driverName: row.driver_name,
      driverPhone: row.driver_phone,
      originCity: row.origin_city,
      fromHighRiskArea: row.from_high_risk_area,
      destination: JSON.parse(row.destination),
      destinationAddress: row.destination_address,
      expectedArrival: new Date(row.expected_arrival).toISOString(),
      checkpointId: row.checkpoint_id,
      checkpointChosenByService: row.checkpoint_chosen_by_service,
      truck: { heightM: row.height_m, weightT: row.weight_t },
      state: row.state,
      route,
      routePlannedAt: row.route_planned_at ? new Date(row.route_planned_at).toISOString() : null,
      routeFlag: crossed.length ? { zones: crossed, message: { zh: '新发布的风险区切断了已规划路线，请重新规划。', en: 'A zone now in force crosses the planned route; plan it again.' } } : null,
      version: row.version,
      createdBy: row.created_by,
      ...(events ? { events } : {}),
    };
  };

  /** The zone in force a point lies in: the strictest kind, then the smallest (DOMAIN.md). */
  const zoneAt = async (point: LonLat): Promise<ZoneRef | null> => {
    const snap = await deps.routing.zonesInForce();
    const candidates = snap.index ? snap.index.search(point[0], point[1], point[0], point[1]) : [];
    const containing = candidates
      .map((i) => snap.features[i])
      .filter((f) => booleanPointInPolygon(point, f.geometry))
      .map((zone) => ({ zone, areaM2: turfArea(zone.geometry) }));
    const [inner] = innermostFirst(containing);
    return inner ? { id: inner.zone.properties.id, kind: inner.zone.properties.kind, name: inner.zone.properties.name } : null;
  };

  /** Names the zone each end of the route lies in, and says so in the route's message. */
  const withEndZones = async (route: RouteFeature): Promise<RouteWithEndZones> => {
    // The requested points, not the snapped ones: the truck goes to the address, not to the road.
    const [originZone, destinationZone] = await Promise.all([zoneAt(route.properties.from.point), zoneAt(route.properties.to.point)]);
    const entered = route.properties.enteredZones.map(({ id, kind, name }) => ({ id, kind, name }));
    return {
      ...route,
      properties: {
        ...route.properties,
        originZone,
        destinationZone,
        message: endZoneMessage(originZone, destinationZone, entered) ?? route.properties.message,
      },
    };
  };

  const plan = async (checkpointId: string | null, destination: LonLat, truck?: TruckLimitsInput) => {
    try {
      return { route: await withEndZones(await deps.routing.planForTruck(checkpointId, destination, truck)), error: null };
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return { route: null, error: { code: err.code, message: err.message, details: err.details } };
      throw err;
    }
  };

  return {
    /** POST /api/routes: a route around the zones in force, naming the zone each end lies in. */
    async route(input: RouteRequest): Promise<RouteWithEndZones> {
      return withEndZones(await deps.routing.route(input));
    },
    /** Every reported truck with its hand-over register (who recorded each step, and when). */
    async list(state?: TruckState) {
      const rows = await repo.list(state);
      const events = new Map<string, ReturnType<typeof eventView>[]>();
      for (const e of await repo.eventsOf(rows.map((r) => r.id))) {
        const list = events.get(e.truck_id) ?? [];
        list.push(eventView(e));
        events.set(e.truck_id, list);
      }
      return Promise.all(rows.map((r) => view(r, events.get(r.id) ?? [])));
    },
    async get(id: string) {
      const row = await repo.get(id);
      if (!row) throw notFound(`No truck ${id}.`);
      return view(row, (await repo.events(id)).map(eventView));
    },
    /** Records a truck's report before arrival and plans its route (from the shortest checkpoint when none is given). */
    async report(input: NewTruck, actor: string) {
      const { destination } = input;
      if (input.checkpointId && !(await repo.checkpointExists(input.checkpointId))) throw notFound(`No checkpoint ${input.checkpointId}.`);
      const planned = await plan(input.checkpointId, destination.coordinates as LonLat, input.truck);
      const id = crypto.randomUUID();
      await knex.transaction(async (trx) => {
        await repo.insert(trx, {
          id, plate: input.plate, driverName: input.driverName, driverPhone: input.driverPhone, originCity: input.originCity,
          fromHighRiskArea: input.fromHighRiskArea, destination, destinationAddress: input.destinationAddress,
          expectedArrival: input.expectedArrival, checkpointId: input.checkpointId ?? planned.route?.properties.from.checkpointId ?? null,
          checkpointChosenByService: !input.checkpointId && Boolean(planned.route), heightM: input.truck?.heightM ?? null,
          weightT: input.truck?.weightT ?? null, createdBy: actor, route: planned.route, routeLine: planned.route?.geometry ?? null,
        });
        await repo.addEvent(trx, id, 'reported', actor, '');
        await audit.record(trx, { actor, action: 'create', entity: 'truck', entityId: id, after: { plate: input.plate, originCity: input.originCity, checkpointId: input.checkpointId } });
      });
      return { truck: await this.get(id), routeError: planned.error };
    },
    /** Plans the route again (e.g. after a new zone cut it). */
    async replan(id: string, actor: string) {
      const row = await repo.get(id);
      if (!row) throw notFound(`No truck ${id}.`);
      if (row.state === 'handed_over') throw new AppError('truck_handed_over', 409, 'This truck has been handed over; its route is closed.');
      const truck = row.height_m || row.weight_t ? { heightM: row.height_m ?? undefined, weightT: row.weight_t ?? undefined } : undefined;
      const keepCheckpoint = row.checkpoint_chosen_by_service ? null : row.checkpoint_id;
      const route = await withEndZones(await deps.routing.planForTruck(keepCheckpoint, JSON.parse(row.destination).coordinates, truck));
      await knex.transaction(async (trx) => {
        await repo.setRoute(trx, id, { checkpointId: route.properties.from.checkpointId, chosenByService: !keepCheckpoint, route, routeLine: route.geometry });
        await repo.addEvent(trx, id, 'route_planned', actor, route.properties.roadNames.join(' → '));
        await audit.record(trx, { actor, action: 'replan', entity: 'truck', entityId: id, before: { route: row.route ? 'planned' : null }, after: { distanceMeters: route.properties.distanceMeters } });
      });
      return this.get(id);
    },
    /** The next step of the hand-over register, timestamped with who recorded it. */
    async advance(id: string, input: TruckEventInput, actor: string) {
      await knex.transaction(async (trx) => {
        const row = await repo.get(id, trx, true);
        if (!row) throw notFound(`No truck ${id}.`);
        if (NEXT[row.state] !== input.state) {
          throw new AppError('truck_state_invalid', 409, `A truck that is ${row.state} cannot become ${input.state}; the next step is ${NEXT[row.state] ?? 'none'}.`, { state: row.state, allowed: NEXT[row.state] });
        }
        await repo.setState(trx, id, input.state);
        await repo.addEvent(trx, id, input.state, actor, input.note);
        await audit.record(trx, { actor, action: 'state', entity: 'truck', entityId: id, before: { state: row.state }, after: { state: input.state, note: input.note } });
      });
      return this.get(id);
    },
  };
}
export type TrucksService = ReturnType<typeof trucksService>;
export { TRUCK_STATES };
