import type { Knex } from 'knex';
import { geomFromGeoJSON } from '../geo/sql';

export type TruckState = 'reported' | 'arrived' | 'en_route' | 'handed_over';
export const TRUCK_STATES: readonly TruckState[] = ['reported', 'arrived', 'en_route', 'handed_over'];

export interface TruckRow {
  id: string;
  plate: string;
  driver_name: string;
  driver_phone: string;
  origin_city: string;
  from_high_risk_area: boolean;
  destination_address: string;
  expected_arrival: Date;
  checkpoint_id: string | null;
  checkpoint_chosen_by_service: boolean;
  height_m: number | null;
  weight_t: number | null;
  state: TruckState;
  route: unknown;
  route_planned_at: Date | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  destination: string;
}

/** One step of the hand-over register: what, when (the database's clock) and who recorded it. */
export interface TruckEventRow {
  state: string;
  at: Date;
  by: string;
  note: string;
}

const COLUMNS = [
  'id', 'plate', 'driver_name', 'driver_phone', 'origin_city', 'from_high_risk_area', 'destination_address', 'expected_arrival',
  'checkpoint_id', 'checkpoint_chosen_by_service', 'height_m', 'weight_t', 'state', 'route', 'route_planned_at',
  'version', 'created_by', 'created_at', 'updated_at',
];

/** SQL for reported trucks and their hand-over register. */
export function trucksRepo(knex: Knex) {
  const select = (db: Knex | Knex.Transaction = knex) => db('trucks').select(...COLUMNS, db.raw('ST_AsGeoJSON(destination) as destination'));
  return {
    async checkpointExists(id: number | string): Promise<boolean> {
      return Boolean(await knex('checkpoints').where({ id }).first('id'));
    },
    async insert(trx: Knex.Transaction, t: {
      id: string; plate: string; driverName: string; driverPhone: string; originCity: string; fromHighRiskArea: boolean;
      destination: GeoJSON.Point; destinationAddress: string; expectedArrival: string; checkpointId: string | null;
      checkpointChosenByService: boolean; heightM: number | null; weightT: number | null; createdBy: string;
      route: unknown | null; routeLine: GeoJSON.LineString | null;
    }) {
      await trx('trucks').insert({
        id: t.id, plate: t.plate, driver_name: t.driverName, driver_phone: t.driverPhone, origin_city: t.originCity,
        from_high_risk_area: t.fromHighRiskArea, destination: geomFromGeoJSON(trx, t.destination), destination_address: t.destinationAddress,
        expected_arrival: t.expectedArrival, checkpoint_id: t.checkpointId, checkpoint_chosen_by_service: t.checkpointChosenByService,
        height_m: t.heightM, weight_t: t.weightT, state: 'reported', created_by: t.createdBy,
        route: t.route === null ? null : JSON.stringify(t.route),
        route_geom: t.routeLine ? geomFromGeoJSON(trx, t.routeLine) : null,
        route_planned_at: t.route === null ? null : trx.fn.now(),
      });
    },
    async get(id: string, db: Knex | Knex.Transaction = knex, forUpdate = false): Promise<TruckRow | undefined> {
      const q = select(db).where({ id }).first();
      if (forUpdate) q.forUpdate();
      return q;
    },
    async list(state?: TruckState): Promise<TruckRow[]> {
      const q = select().orderBy([{ column: 'expected_arrival', order: 'asc' }, 'id']);
      if (state) q.where({ state });
      return q;
    },
    async setState(trx: Knex.Transaction, id: string, state: TruckState) {
      await trx('trucks').where({ id }).update({ state, version: trx.raw('version + 1'), updated_at: trx.fn.now() });
    },
    async setRoute(trx: Knex.Transaction, id: string, t: { checkpointId: string | null; chosenByService: boolean; route: unknown; routeLine: GeoJSON.LineString }) {
      await trx('trucks').where({ id }).update({
        checkpoint_id: t.checkpointId, checkpoint_chosen_by_service: t.chosenByService, route: JSON.stringify(t.route),
        route_geom: geomFromGeoJSON(trx, t.routeLine), route_planned_at: trx.fn.now(),
        version: trx.raw('version + 1'), updated_at: trx.fn.now(),
      });
    },
    async addEvent(trx: Knex.Transaction, truckId: string, state: string, by: string, note: string) {
      await trx('truck_events').insert({ truck_id: truckId, state, by, note });
    },
    async events(truckId: string): Promise<TruckEventRow[]> {
      return knex('truck_events').where({ truck_id: truckId }).orderBy('id').select('state', 'at', 'by', 'note');
    },
    /** The registers of many trucks in one query (the truck list), each oldest first. */
    async eventsOf(truckIds: string[]): Promise<(TruckEventRow & { truck_id: string })[]> {
      if (!truckIds.length) return [];
      return knex('truck_events').whereIn('truck_id', truckIds).orderBy([{ column: 'truck_id' }, { column: 'id' }]).select('truck_id', 'state', 'at', 'by', 'note');
    },
  };
}
