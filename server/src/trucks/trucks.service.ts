import crypto from 'node:crypto';
import { z } from 'zod';
import type { Knex } from 'knex';
import { trucksRepo, TRUCK_STATES, type TruckRow, type TruckState } from './trucks.repo';
import { parsePoint, type GeometryLimits } from '../geo/geojson';
import { parseInput } from '../http';
import { AppError, notFound } from '../errors';
import { auditRepo } from '../audit/audit.repo';
import { TruckLimitsSchema, type RouteFeature, type RoutingService } from '../routing/routing.service';
import type { LonLat } from '../routing/geometry';

const TruckBody = z
  .object({
    plate: z.string().trim().min(2).max(20),
    driverName: z.string().trim().min(1).max(50),
    driverPhone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'a phone number: digits, spaces, + and -'),
    originCity: z.string().trim().min(1).max(100),
    fromHighRiskArea: z.boolean().default(false),
    destination: z.unknown(),
    destinationAddress: z.string().trim().max(300).default(''),
    expectedArrival: z.iso.datetime({ offset: true }),
    checkpointId: z.string().max(60).nullable().default(null),
    truck: TruckLimitsSchema.optional(),
  })
  .strict();

const EventBody = z.object({ state: z.enum(['arrived', 'en_route', 'handed_over']), note: z.string().trim().max(1000).default('') }).strict();

/** The next state of the hand-over sequence (reported → arrived → en route → handed over). */
const NEXT: Record<TruckState, TruckState | null> = { reported: 'arrived', arrived: 'en_route', en_route: 'handed_over', handed_over: null };

/** Trucks reported to the checkpoints, their routes, and the point-to-point hand-over register. */
export function trucksService(knex: Knex, deps: { limits: GeometryLimits; routing: RoutingService }) {
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

  const plan = async (checkpointId: string | null, destination: LonLat, truck?: z.infer<typeof TruckLimitsSchema>) => {
    try {
      return { route: await deps.routing.planForTruck(checkpointId, destination, truck), error: null };
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return { route: null, error: { code: err.code, message: err.message, details: err.details } };
      throw err;
    }
  };

  return {
    async list(state?: TruckState) {
      return Promise.all((await repo.list(state)).map((r) => view(r)));
    },
    async get(id: string) {
      const row = await repo.get(id);
      if (!row) throw notFound(`No truck ${id}.`);
      return view(row, await repo.events(id));
    },
    /** Records a truck's report before arrival and plans its route (from the shortest checkpoint when none is given). */
    async report(body: unknown, actor: string) {
      const input = parseInput(TruckBody, body);
      const destination = parsePoint(input.destination, deps.limits);
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
      const route = await deps.routing.planForTruck(keepCheckpoint, JSON.parse(row.destination).coordinates, truck);
      await knex.transaction(async (trx) => {
        await repo.setRoute(trx, id, { checkpointId: route.properties.from.checkpointId, chosenByService: !keepCheckpoint, route, routeLine: route.geometry });
        await repo.addEvent(trx, id, 'route_planned', actor, route.properties.roadNames.join(' → '));
        await audit.record(trx, { actor, action: 'replan', entity: 'truck', entityId: id, before: { route: row.route ? 'planned' : null }, after: { distanceMeters: route.properties.distanceMeters } });
      });
      return this.get(id);
    },
    /** The next step of the hand-over register, timestamped with who recorded it. */
    async advance(id: string, body: unknown, actor: string) {
      const input = parseInput(EventBody, body);
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
