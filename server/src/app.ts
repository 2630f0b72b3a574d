import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import { PUBLIC_ZONES_PATH } from '../../contract/vocabulary';
import { ogcRouteDeps, type AppContext } from './context';
import { deferBody, errorHandler, headersSetBy, unknownRoute } from './http';
import { loadSession, sameOriginWrites } from './auth/auth.middleware';
import { accountsRepo } from './accounts/accounts.repo';
import { authRoutes } from './auth/auth.routes';
import { accountsRoutes } from './accounts/accounts.routes';
import { healthRoutes } from './health/health.routes';
import { regionsRoutes } from './regions/regions.routes';
import { facilitiesRoutes } from './facilities/facilities.routes';
import { checkpointsRoutes } from './checkpoints/checkpoints.routes';
import { roadsRoutes } from './roads/roads.routes';
import { zonesRoutes } from './zones/zones.routes';
import { casesRoutes } from './cases/cases.routes';
import { bulletinsRoutes } from './bulletins/bulletins.routes';
import { publicRoutes } from './public/public.routes';
import { searchRoutes } from './search/search.routes';
import { expiryRoutes } from './expiry/expiry.routes';
import { auditRoutes } from './audit/audit.routes';
import { ogcRoutes } from './ogc/ogc.routes';
import { tilesRoutes } from './tiles/tiles.routes';
import { trucksRoutes } from './trucks/trucks.routes';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { alertsRoutes } from './alerts/alerts.routes';
import { webhooksRoutes } from './webhooks/webhooks.routes';

const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');

/** Builds the Express application: security middleware, the feature routers, the client, errors. */
export function createApp(ctx: AppContext) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');
  // The public map's revalidation is the hottest path when a whole city reloads the page: a
  // current ETag is answered 304 here, before any other middleware runs.
  app.get('/api/public/zones', (req, res, next) => {
    const etag = ctx.services.public.currentEtag();
    if (etag === null || req.url !== '/api/public/zones' || req.headers['if-none-match'] !== etag) return next();
    res.writeHead(304, {
      ETag: etag,
      'Cache-Control': 'public, max-age=0, must-revalidate',
      Vary: ctx.config.allowedOrigins.length > 0 ? 'Origin, Accept-Encoding' : 'Accept-Encoding',
    }).end();
  });
  const security = helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:', ...(ctx.config.basemap?.tiles.map(originOf) ?? [])],
        'connect-src': ["'self'", ...(ctx.config.basemap?.tiles.map(originOf) ?? [])],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // The public reads answered before Express (server.ts, fastPaths) send these same headers.
  app.locals.securityHeaders = headersSetBy(security);
  app.use(security);
  app.use(compression());
  app.use(cookieParser());
  app.use(corsPolicy(ctx.config.allowedOrigins));
  // PUBLIC_URL is this service's own origin too, when a proxy in front of it rewrites Host.
  app.use(sameOriginWrites([new URL(ctx.config.publicUrl).origin, ...ctx.config.allowedOrigins]));
  app.use(loadSession(accountsRepo(ctx.db.knex)));
  // Cheap refusals first: no body is read here. A route reads its body once it has matched and its
  // guard has admitted the caller (requireRole; login reads its own after the address limit).
  app.use(deferBody(ctx.config.bodyLimit));
  if (ctx.config.logRequests) app.use((req, _res, next) => (console.log(req.method, req.originalUrl), next()));

  const s = ctx.services;
  app.use(healthRoutes({ health: s.health }));
  app.use(
    authRoutes({
      auth: s.auth,
      settings: {
        loginPer15Min: ctx.config.limits.loginPer15Min,
        loginFailuresPerAccount15Min: ctx.config.limits.loginFailuresPerAccount15Min,
        secureCookies: ctx.config.secureCookies,
        sessionTtlHours: ctx.config.sessionTtlHours,
      },
    }),
  );
  app.use(accountsRoutes({ accounts: s.accounts }));
  app.use(regionsRoutes({ regions: s.regions }));
  app.use(facilitiesRoutes({ facilities: ctx.services.facilities, limits: ctx.limits }));
  app.use(checkpointsRoutes({ checkpoints: ctx.services.checkpoints, limits: ctx.limits }));
  app.use(roadsRoutes({ roads: s.roads }));
  app.use(zonesRoutes({ zones: ctx.services.zones, limits: ctx.limits }));
  app.use(casesRoutes({ cases: s.cases, limits: ctx.limits, maxPageSize: ctx.config.limits.maxFeaturesPerPage }));
  app.use(bulletinsRoutes({ bulletins: ctx.services.bulletins }));
  app.use(publicRoutes({ public: s.public }));
  app.use(searchRoutes({ search: ctx.services.search }));
  app.use(expiryRoutes({ expiry: s.expiry }));
  app.use(auditRoutes({ audit: s.audit }));
  app.use(ogcRoutes(ogcRouteDeps(ctx)));
  app.use(tilesRoutes({ tiles: s.tiles, zonesInForce: () => s.public.zones(), publicUrl: ctx.config.publicUrl, serviceArea: ctx.config.serviceArea }));
  // Each new map is indexed for tiles on a worker thread when it is published, not by its first tile.
  s.public.onNewMap((map) => s.tiles.prepare(map).catch((err) => console.error('[tiles] could not index the new map:', err instanceof Error ? err.message : err)));
  app.use(alertsRoutes({ alerts: s.alerts }));
  app.use(webhooksRoutes({ webhooks: s.webhooks, startDelivery: ctx.startWebhookDelivery }));
  app.use(trucksRoutes({ trucks: s.trucks, limits: ctx.limits }));
  app.use(dashboardRoutes({ dashboard: s.dashboard }));
  app.use(['/api', '/ogc', '/tiles'], unknownRoute);

  if (fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|ogc\/|tiles\/).*/, (req, res) => {
      // The public map of today needs today's zones first: the browser starts that request with
      // the page's scripts instead of after them (client/src/public/openingZones.ts takes it).
      if (req.path === '/' && req.query.asOf === undefined) res.setHeader('Link', `<${PUBLIC_ZONES_PATH}>; rel=preload; as=fetch; crossorigin`);
      res.sendFile(path.join(CLIENT_DIST, 'index.html'));
    });
  }
  app.use(unknownRoute);
  app.use(errorHandler((msg, err) => console.error(`[error] ${msg}`, err)));
  return app;
}

function originOf(url: string): string {
  try {
    return new URL(url.replace(/\{[a-z]\}/g, 'x')).origin;
  } catch {
    return url;
  }
}

/** Strict CORS: only the configured origins get CORS headers; everyone else stays same-origin. */
function corsPolicy(allowed: string[]): express.RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    // With origins to allow, every answer depends on Origin: a shared cache must not hand one
    // origin's answer (with or without CORS headers) to another.
    if (allowed.length > 0) res.vary('Origin');
    if (origin && allowed.includes(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET,POST,PATCH,PUT,DELETE');
        res.set('Access-Control-Allow-Headers', 'Content-Type,If-Match,If-None-Match');
        return res.status(204).end();
      }
    }
    next();
  };
}
