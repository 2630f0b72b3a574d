import type { Knex } from 'knex';
import { roadsRepo, type RoadInsert } from '../roads/roads.repo';
import { facilitiesRepo, type Facility } from '../facilities/facilities.repo';
import type { Checkpoint } from '../checkpoints/checkpoints.repo';

export interface RegionInsert {
  code: string;
  name: string;
  nameEn: string;
  sourceName: string | null;
  source: string;
  seat: [number, number];
  geometry: GeoJSON.MultiPolygon;
}
export interface HotlineInsert {
  county: string;
  township: string;
  phones: string[];
  approximate: boolean;
  placement: string | null;
  source: string;
  point: [number, number];
}
export interface GeodataSet {
  regions: RegionInsert[];
  facilities: Facility[];
  hotlines: HotlineInsert[];
  checkpoints: Checkpoint[];
  roads: RoadInsert[];
}

/** SQL for loading the reference geodata in one transaction. */
export function geodataRepo(knex: Knex) {
  const json = (v: unknown) => JSON.stringify(v);
  return {
    /**
     * Replaces regions, facilities, hotlines, checkpoints and roads atomically: a crash half-way
     * leaves the old data, never a mix (the whole load is one transaction).
     */
    async replaceAll(set: GeodataSet, stateValue: unknown): Promise<void> {
      await knex.transaction(async (trx) => {
        for (const table of ['regions', 'facilities', 'hotlines']) await trx(table).delete();
        for (const r of set.regions) {
          await trx('regions').insert({
            code: r.code,
            name: r.name,
            name_en: r.nameEn,
            source_name: r.sourceName,
            source: r.source,
            seat: trx.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', r.seat),
            geom: trx.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [json(r.geometry)]),
          });
        }
        const facilities = facilitiesRepo(trx);
        for (const f of set.facilities) await facilities.insert(trx, f);
        for (const h of set.hotlines) {
          await trx('hotlines').insert({
            county: h.county,
            township: h.township,
            phones: h.phones,
            approximate: h.approximate,
            placement: h.placement,
            source: h.source,
            geom: trx.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', h.point),
          });
        }
        // Checkpoints keep the point leaders and phones that coordinators have entered.
        for (const c of set.checkpoints) {
          await trx.raw(
            `INSERT INTO checkpoints (id, name, road, direction, point_leader, phone, sample, geom)
             VALUES (?, ?, ?, ?, ?, ?, ?, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, road = excluded.road, direction = excluded.direction,
               sample = excluded.sample, geom = excluded.geom, updated_at = now()`,
            [c.id, c.name, c.road, c.direction, c.pointLeader, c.phone, c.sample, json(c.geometry)],
          );
        }
        // Roads imported from OpenStreetMap are the real network: the sample roads never replace them.
        const imported = await trx('roads').whereNotNull('osm_way_id').first('id');
        if (!imported) await roadsRepo(trx).replaceAll(trx, set.roads);
        await trx.raw(
          `INSERT INTO app_state (key, value) VALUES ('geodata', ?::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
          [json(stateValue)],
        );
      });
    },
    async loadedState(): Promise<unknown | null> {
      const row = await knex('app_state').where({ key: 'geodata' }).first('value');
      return row?.value ?? null;
    },
  };
}
