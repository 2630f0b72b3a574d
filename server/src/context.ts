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
import { searchService } from './search/search.service';
import type { OgcRouteDeps } from './ogc/ogc.routes';
import { publicService } from './public/public.service';
import { routingService } from './routing/routing.service';
import { trucksService } from './trucks/trucks.service';
import { checkpointsRepo } from './checkpoints/checkpoints.repo';
import { PUBLISHED, publicationsService, type Published } from './publications/publications.service';
import { auditService } from './audit/audit.service';
import { tilesService } from './tiles/tiles.service';
import { ogcService } from './ogc/ogc.service';
import { dashboardService } from './dashboard/dashboard.service';
import { healthService } from './health/health.service';
import { regionsService } from './regions/regions.service';
import { roadsService } from './roads/roads.service';
import { alertsService } from './alerts/alerts.service';
import { webhooksConfig } from './webhooks/webhooks.config';
import { webhooksRepo } from './webhooks/webhooks.repo';
import { webhooksService } from './webhooks/webhooks.service';
import { ensureWebhookWorker, startWebhookWorker } from './webhooks/webhooks.worker';
import { Task, asBuffer, createWorkers, type RenderDayInput } from './workers';
import { sharedMaps } from './workers/shared-maps';

/**
 * Builds every service, once, in one place: the feature services on the database and settings,
 * and the services they depend on. `createApp` hands each router only the services it uses.
 */
export function createContext(config: Config, db: Database) {
  const limits: GeometryLimits = {
    maxVertices: config.limits.maxZoneVertices,
    maxDepth: config.limits.maxJsonDepth,
    serviceArea: config.serviceArea,
  };
  const notify = (channel: string, payload: string) => db.notify(channel, payload);
  const webhookSettings = webhooksConfig();
  const publications = publicationsService(db.knex, { notify });
  // After a write commits: every process is told, and this one's public map includes it before
  // the write is answered.
  const afterPublish = async (published: Published[]) => {
    if (!published.length) return;
    await publications.announce(published);
    await publicMap.refresh();
  };
  const expiry = expiryService(db.knex, { publications, afterPublish });
  // Heavy work runs on worker threads (server/src/workers/): the event loop stays free for cheap answers.
  const workers = createWorkers(config);
  // Each map's gzip copied once into memory the worker threads share, for the OGC pages, the tiles
  // and the routing thread alike.
  const sharedMap = sharedMaps();
  const renderDay = async (input: RenderDayInput) => {
    const out = await workers.heavy.run<{ json: Uint8Array; gzip: Uint8Array; etag: string }>(Task.renderDay, input);
    return { json: asBuffer(out.json), gzip: asBuffer(out.gzip), etag: out.etag };
  };
  const publicMap = publicService(db, { expiry, serviceArea: config.serviceArea, renderDay });
  const services = {
    expiry,
    publications,
    zones: zonesService(db.knex, { minAreaM2: config.limits.minZoneAreaM2, defaultEdition: config.defaultEdition, expiry, afterPublish }),
    cases: casesService(db.knex, { expiry, afterPublish }),
    bulletins: bulletinsService(db.knex, { expiry, publications, afterPublish }),
    public: publicMap,
    accounts: accountsService(db.knex),
    auth: authService(db.knex, config.sessionTtlHours),
    facilities: facilitiesService(db.knex, notify),
    checkpoints: checkpointsService(db.knex),
    geodata: geodataService(db.knex, limits),
    dashboard: dashboardService(db.knex),
    audit: auditService(db.knex, { maxPageSize: config.limits.maxFeaturesPerPage }),
    health: healthService(db.knex, { database: db.kind, config }),
    regions: regionsService(db.reader),
    roads: roadsService(db.reader),
    // Links from the configured public address (PUBLIC_URL, else http://localhost:PORT), never from
    // the request's Host header: anyone can send any Host, and an alert once fetched is kept for good.
    alerts: alertsService(db.knex, { baseUrl: config.publicUrl }),
    tiles: tilesService({ zones: () => publicMap.zones(), workers: workers.tiles, sharedMap }),
    ogc: ogcService({
      reader: db.reader,
      zones: () => publicMap.zones(),
      zonesOn: (day) => publicMap.zones(day),
      pastMapOn: (day) => publicMap.publishedMapOn(day),
      serviceArea: config.serviceArea,
      publicUrl: config.publicUrl,
      workers: workers.heavy,
      sharedMap,
    }),
    webhooks: webhooksService({ repo: webhooksRepo(db.knex), config: webhookSettings, limits, publicUrl: config.publicUrl }),
    search: searchService(db, { zones: () => publicMap.zones() }),
  };
  /** Starts this process's webhook delivery loop, once per database (WEBHOOK_DELIVERIES=false: never). */
  const startWebhookDelivery = () => {
    if (!webhookSettings.deliver) return;
    ensureWebhookWorker(db, () => {
      const worker = startWebhookWorker(services.webhooks, { pollMs: webhookSettings.pollMs });
      // Without the notice the loop still polls every WEBHOOK_POLL_MS; the failure is logged, not lost.
      db.listen(PUBLISHED, () => worker.kick()).catch((err) => console.error('[webhooks] could not listen for publications:', err));
      return worker;
    });
  };
  const routing = routingService(db.knex, {
    maxSettledNodes: config.limits.routeMaxSettledNodes,
    zonesInForce: () => services.public.zones(),
    checkpoints: checkpointsRepo(db.knex),
    worker: workers.routing,
    sharedMap,
    roadsFrom: config.databaseUrl ? { databaseUrl: config.databaseUrl, statementTimeoutMs: config.limits.statementTimeoutMs } : null,
  });
  const trucks = trucksService(db.knex, { routing });
  const all = { ...services, routing, trucks };
  // A planned route that a zone published since cuts is flagged when a truck is read (its
  // `routeFlag` is computed against the zones in force), so a publication needs no recheck here.
  return {
    config,
    db,
    limits,
    services: all,
    startWebhookDelivery,
    workers,
    /** Stops the timers that would otherwise run after the database is closed. */
    close() {
      publicMap.close();
      void workers.close();
    },
  };
}

export type AppContext = ReturnType<typeof createContext>;

/** What the OGC routes and their fast path receive from the context. */
export function ogcRouteDeps(ctx: AppContext): OgcRouteDeps {
  return {
    ogc: ctx.services.ogc,
    limits: { maxFeaturesPerPage: ctx.config.limits.maxFeaturesPerPage, maxBboxAreaDeg2: ctx.config.limits.maxBboxAreaDeg2 },
    corsOrigins: ctx.config.allowedOrigins.length > 0,
  };
}
