import { z } from 'zod';
import os from 'node:os';
import path from 'node:path';

/**
 * The service's settings, read once from the environment and validated at start.
 * This module is the only reader of `process.env`; `.env.example` documents every key.
 */
const bbox = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'expected minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    return parts as [number, number, number, number];
  });

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size such as `2mb`, `16kb` or `500000` (bytes), in bytes (units of 1024, as body-parser reads them). */
const byteSize = z.string().transform((s, ctx) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(s);
  const bytes = m ? Math.floor(Number(m[1]) * UNIT_BYTES[(m[2] ?? 'b').toLowerCase()]) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    ctx.addIssue({ code: 'custom', message: 'expected a size such as 2mb, 512kb or 100000 (bytes)' });
    return z.NEVER;
  }
  return bytes;
});

const int = (def: number) => z.coerce.number().int().positive().default(def);

/**
 * The address the public reaches the service at. Every absolute link is built from it, never from
 * the request's Host or X-Forwarded-* headers, which any client can set.
 */
const publicUrl = z.string().transform((s, ctx) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL, e.g. https://map.example.org' });
    return z.NEVER;
  }
  const problem =
    url.protocol !== 'http:' && url.protocol !== 'https:' ? 'must be an http:// or https:// URL'
    : url.username || url.password ? 'must not carry a user name or password'
    : url.search || url.hash || s.includes('?') || s.includes('#') ? 'must not have a query or a fragment'
    : null;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  // Without a trailing slash, so that links are `${publicUrl}/ogc/…`; a path prefix is kept.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: publicUrl.optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_REPLICA_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_MAX: int(10),
  ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must have at least 8 characters').optional(),
  ZONE_EDITION: z.enum(['protocol-8', 'shanghai-2022', 'protocol-9', 'twenty-measures']).default('protocol-8'),
  SERVICE_AREA: bbox.prefault('115.2,35.6,116.9,37.1'),
  LOAD_DEMO_DATA: bool.prefault('true'),
  LOAD_DEMO_OUTBREAK: bool.prefault('true'),
  SESSION_TTL_HOURS: int(12),
  BODY_LIMIT: byteSize.prefault('2mb'),
  MAX_ZONE_VERTICES: int(10000),
  MIN_ZONE_AREA_M2: z.coerce.number().nonnegative().default(10),
  MAX_JSON_DEPTH: int(16),
  MAX_FEATURES_PER_PAGE: int(1000),
  MAX_BBOX_AREA_DEG2: z.coerce.number().positive().default(4),
  ROUTE_MAX_SETTLED_NODES: int(2_000_000),
  STATEMENT_TIMEOUT_MS: int(15000),
  LOGIN_RATE_LIMIT_PER_15MIN: int(20),
  LOGIN_FAILURES_PER_ACCOUNT_15MIN: int(10),
  ALLOWED_ORIGINS: z.string().default(''),
  TRUST_PROXY: z.string().default('loopback'),
  BASEMAP_TILES: z.string().default(''),
  BASEMAP_ATTRIBUTION: z.string().default(''),
  EXPIRY_SCHEDULE: bool.prefault('true'),
  LOG_REQUESTS: bool.prefault('false'),
  WORKER_THREADS: int(Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  TILE_THREADS: int(Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  WORK_QUEUE_MAX: int(200),
  ROUTE_QUEUE_MAX: int(20),
});

export type Config = ReturnType<typeof loadConfig>;

/** Reads and validates the settings; throws a readable error listing every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    /** NODE_ENV=production: no demo accounts, Secure cookies. */
    production,
    port: e.PORT,
    host: e.HOST,
    /** Base of every absolute link, without a trailing slash. @defaultValue `http://localhost:<PORT>` */
    publicUrl,
    /** Session cookies are marked Secure in production and whenever the public address is https. */
    secureCookies: production || publicUrl.startsWith('https:'),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    replicaUrl: e.DATABASE_REPLICA_URL ?? null,
    poolMax: e.DATABASE_POOL_MAX,
    adminPassword: e.ADMIN_PASSWORD ?? null,
    defaultEdition: e.ZONE_EDITION,
    serviceArea: e.SERVICE_AREA,
    loadDemoData: e.LOAD_DEMO_DATA,
    loadDemoOutbreak: e.LOAD_DEMO_OUTBREAK,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    /** Largest request body, in bytes. @defaultValue 2 MiB */
    bodyLimit: e.BODY_LIMIT,
    limits: {
      maxZoneVertices: e.MAX_ZONE_VERTICES,
      /** Smallest zone, in m², measured after snapping to the served precision. @defaultValue 10 */
      minZoneAreaM2: e.MIN_ZONE_AREA_M2,
      maxJsonDepth: e.MAX_JSON_DEPTH,
      maxFeaturesPerPage: e.MAX_FEATURES_PER_PAGE,
      maxBboxAreaDeg2: e.MAX_BBOX_AREA_DEG2,
      routeMaxSettledNodes: e.ROUTE_MAX_SETTLED_NODES,
      statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
      loginPer15Min: e.LOGIN_RATE_LIMIT_PER_15MIN,
      loginFailuresPerAccount15Min: e.LOGIN_FAILURES_PER_ACCOUNT_15MIN,
    },
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    basemap: e.BASEMAP_TILES
      ? { tiles: e.BASEMAP_TILES.split(' ').filter(Boolean), attribution: e.BASEMAP_ATTRIBUTION }
      : null,
    expirySchedule: e.EXPIRY_SCHEDULE,
    logRequests: e.LOG_REQUESTS,
    /**
     * Heavy work (past-day maps, OGC pages and their gzip, tiles, route searches) runs on worker
     * threads so the event loop stays free for cheap answers. @defaultValue cores − 1, 1 to 4
     */
    workerThreads: e.WORKER_THREADS,
    /**
     * Threads that cut and compress vector tiles, each holding its own index of today's map (a few
     * MB per thousand zones). At nice 10 like the other workers, so the event loop comes first.
     * @defaultValue cores − 1, 1 to 4 (one or two made the same cold tiles/s on two cores)
     */
    tileThreads: e.TILE_THREADS,
    /**
     * Tasks waiting for a worker thread beyond which a request is refused at once with 503
     * `server_busy` and Retry-After, rather than queued without limit. @defaultValue 200
     */
    workQueueMax: e.WORK_QUEUE_MAX,
    /**
     * Route plans waiting for the routing worker (one thread; a plan from every checkpoint takes
     * up to a second or two on a city network) beyond which 503 `server_busy`. @defaultValue 20
     */
    routeQueueMax: e.ROUTE_QUEUE_MAX,
  };
}
