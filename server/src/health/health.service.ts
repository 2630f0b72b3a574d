import type { Knex } from 'knex';
import type { Config } from '../config';
import { EDITION_IDS, getEdition } from '../expiry/editions';
import { healthRepo } from './health.repo';

/** The service's health and the settings the client reads at start. */
export function healthService(knex: Knex, opts: { database: 'pglite' | 'postgres'; config: Config }) {
  const repo = healthRepo(knex);
  const { config } = opts;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    /** Asks the database every time (cheap): a health check that does not touch it would lie. */
    async health() {
      return { status: 'ok' as const, database: opts.database, postgis: await repo.postgisVersion() };
    },
    /** GET /api/config: the service area, the editions, the base map, and whether this is the demo. */
    serviceConfig() {
      const [minLon, minLat, maxLon, maxLat] = config.serviceArea;
      return {
        serviceArea: config.serviceArea,
        center: [clamp(115.98, minLon, maxLon), clamp(36.45, minLat, maxLat)],
        defaultEdition: config.defaultEdition,
        editions: EDITION_IDS.map((id) => {
          const e = getEdition(id);
          return { id, nameZh: e.names.zh, nameEn: e.names.en, kinds: e.zoneKinds };
        }),
        basemap: { online: config.basemap },
        demo: opts.database === 'pglite' && config.loadDemoData,
      };
    },
  };
}
export type HealthService = ReturnType<typeof healthService>;
