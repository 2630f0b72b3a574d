import type { Config } from './config';
import type { Database } from './db/database';
import type { GeometryLimits } from './geo/geojson';
import { accountsService } from './accounts/accounts.service';
import { authService } from './auth/auth.service';
import { facilitiesService } from './facilities/facilities.service';
import { checkpointsService } from './checkpoints/checkpoints.service';
import { geodataService } from './geodata/geodata.service';
import { expiryService } from './expiry/expiry.service';
import { zonesService } from './zones/zones.service';
import { casesService } from './cases/cases.service';
import { bulletinsService } from './bulletins/bulletins.service';
import { publicService } from './public/public.service';

/** Everything a route needs: settings, the database, and the feature services built on them. */
export function createContext(config: Config, db: Database) {
  const limits: GeometryLimits = {
    maxVertices: config.limits.maxZoneVertices,
    maxDepth: config.limits.maxJsonDepth,
    serviceArea: config.serviceArea,
  };
  const notify = (channel: string, payload: string) => db.notify(channel, payload);
  const expiry = expiryService(db.knex, notify);
  const services = {
    expiry,
    zones: zonesService(db.knex, { limits, defaultEdition: config.defaultEdition, expiry, notify }),
    cases: casesService(db.knex, { limits, expiry }),
    bulletins: bulletinsService(db.knex, { expiry, notify }),
    public: publicService(db, { expiry, serviceArea: config.serviceArea }),
    accounts: accountsService(db.knex),
    auth: authService(db.knex, config.sessionTtlHours),
    facilities: facilitiesService(db.knex, limits),
    checkpoints: checkpointsService(db.knex, limits),
    geodata: geodataService(db.knex, limits),
  };
  return { config, db, limits, services };
}

export type AppContext = ReturnType<typeof createContext>;
