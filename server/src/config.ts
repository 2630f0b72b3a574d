import { z } from 'zod';
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

const int = (def: number) => z.coerce.number().int().positive().default(def);

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
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
  BODY_LIMIT: z.string().default('2mb'),
  MAX_ZONE_VERTICES: int(10000),
  MAX_JSON_DEPTH: int(16),
  MAX_FEATURES_PER_PAGE: int(1000),
  MAX_BBOX_AREA_DEG2: z.coerce.number().positive().default(4),
  ROUTE_MAX_SETTLED_NODES: int(2_000_000),
  STATEMENT_TIMEOUT_MS: int(15000),
  LOGIN_RATE_LIMIT_PER_15MIN: int(20),
  ALLOWED_ORIGINS: z.string().default(''),
  TRUST_PROXY: z.string().default('loopback'),
  BASEMAP_TILES: z.string().default(''),
  BASEMAP_ATTRIBUTION: z.string().default(''),
  EXPIRY_SCHEDULE: bool.prefault('true'),
  LOG_REQUESTS: bool.prefault('false'),
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
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
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
    bodyLimit: e.BODY_LIMIT,
    limits: {
      maxZoneVertices: e.MAX_ZONE_VERTICES,
      maxJsonDepth: e.MAX_JSON_DEPTH,
      maxFeaturesPerPage: e.MAX_FEATURES_PER_PAGE,
      maxBboxAreaDeg2: e.MAX_BBOX_AREA_DEG2,
      routeMaxSettledNodes: e.ROUTE_MAX_SETTLED_NODES,
      statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
      loginPer15Min: e.LOGIN_RATE_LIMIT_PER_15MIN,
    },
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    basemap: e.BASEMAP_TILES
      ? { tiles: e.BASEMAP_TILES.split(' ').filter(Boolean), attribution: e.BASEMAP_ATTRIBUTION }
      : null,
    expirySchedule: e.EXPIRY_SCHEDULE,
    logRequests: e.LOG_REQUESTS,
  };
}
