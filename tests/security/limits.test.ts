/**
 * Every limit the service enforces is a setting, and each is tested here with a small value: the
 * request body size, vertices per zone, JSON depth, features per response, the bbox area, the
 * routing search budget, and (PostgreSQL) the statement timeout, which must answer 503
 * `query_timeout`, not 500. The login rate limit and the session lifetime are in auth-session.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { needsPostgres } from '../helpers/requirements';

const LIMITS = {
  BODY_LIMIT: '16kb',
  MAX_ZONE_VERTICES: '50',
  MAX_JSON_DEPTH: '7',
  MAX_FEATURES_PER_PAGE: '3',
  MAX_BBOX_AREA_DEG2: '0.5',
  ROUTE_MAX_SETTLED_NODES: '5',
};

/** A closed ring of `n` distinct vertices on a small circle around (lon, lat): n + 1 positions. */
const circle = (n: number, lon = 115.98, lat = 36.45) => {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [lon + 0.003 * Math.cos(a), lat + 0.003 * Math.sin(a)];
  });
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
};
const zone = (geometry: unknown, name: string) => ({ type: 'Feature', geometry, properties: { kind: 'precaution', name } });

describe.each(backends())('configurable limits on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let admin: Client;
  let anon: Client;
  const zoneCount = async () => Number((await server.db.knex('zones').count({ n: '*' }).first())!.n);

  beforeAll(async () => {
    server = await startTestServer(backend, LIMITS);
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    admin = await loginAs(server.url, 'admin');
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BODY_LIMIT: a body over the limit is refused with 413 payload_too_large before anything is parsed or stored', async () => {
    const before = await zoneCount();
    const padded = zone(circle(8), '大请求');
    (padded.properties as Record<string, unknown>).reason = 'x'.repeat(17 * 1024);
    const r = await designer.post('/api/zones', padded);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect(await zoneCount()).toBe(before);
    (padded.properties as Record<string, unknown>).reason = 'x'.repeat(1500);
    expect((await designer.post('/api/zones', padded)).status).toBe(201);
  });

  it('MAX_ZONE_VERTICES: 50 positions are taken, 51 are refused with geometry_too_many_vertices', async () => {
    const atLimit = await designer.post('/api/zones', zone(circle(49, 116.1), '顶点上限'));
    expect(atLimit.status, atLimit.text).toBe(201);
    const before = await zoneCount();
    const over = await designer.post('/api/zones', zone(circle(50, 116.2), '顶点过多'));
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 'geometry_too_many_vertices', details: { maxVertices: 50 } });
    const patch = await designer.patch(`/api/zones/${atLimit.body.id}`, { geometry: circle(50, 116.1) }, { 'if-match': '1' });
    expect(patch.body.error.code).toBe('geometry_too_many_vertices');
    expect(await zoneCount()).toBe(before);
  });

  it('MAX_JSON_DEPTH: geometry nested deeper than the setting is refused with geojson_nesting_too_deep', async () => {
    // A Feature holding a MultiPolygon is 6 levels deep: within 7.
    const multi = { type: 'MultiPolygon', coordinates: [circle(8, 116.3).coordinates] };
    expect((await designer.post('/api/zones', zone(multi, '多面'))).status).toBe(201);
    // One array level more than a MultiPolygon has: 8 levels counted from the Feature.
    const deep = await designer.post('/api/zones', zone({ type: 'MultiPolygon', coordinates: [[[[[[115.98, 36.45]]]]]] }, '过深'));
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatchObject({ code: 'geojson_nesting_too_deep', details: { maxDepth: 7 } });
  });

  it('MAX_FEATURES_PER_PAGE: /api/cases serves at most the maximum, also when asked for more', async () => {
    for (let i = 0; i < 4; i++) {
      const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.9 + i * 0.01, 36.4] }, reportedOn: '2022-11-01' });
      expect(c.status, c.text).toBe(201);
    }
    expect((await designer.get('/api/cases')).body.features).toHaveLength(3);
    expect((await designer.get('/api/cases?limit=2')).body.features).toHaveLength(2);
    expect((await designer.get('/api/cases?limit=1000000')).body.features).toHaveLength(3);
    expect((await designer.get('/api/cases?limit=0')).status).toBe(400);
  });

  it('MAX_FEATURES_PER_PAGE: OGC items serve a larger limit at the maximum, with a next link', async () => {
    const r = await anon.get('/ogc/collections/facilities/items?limit=1000');
    expect(r.status).toBe(200);
    expect(r.body.features).toHaveLength(3);
    expect(r.body.numberReturned).toBe(3);
    expect(r.body.numberMatched).toBeGreaterThan(3);
    expect(r.body.links.some((l: { rel: string }) => l.rel === 'next')).toBe(true);
  });

  it('MAX_FEATURES_PER_PAGE: the audit log serves at most the maximum per page', async () => {
    expect(((await admin.get('/api/admin/audit?limit=1000')).body as unknown[]).length).toBe(3);
    expect(((await admin.get('/api/admin/audit?limit=2')).body as unknown[]).length).toBe(2);
  });

  it('MAX_BBOX_AREA_DEG2: a bbox over the area is refused with bbox_too_large, one within it is served', async () => {
    const big = await anon.get('/ogc/collections/facilities/items?bbox=115.5,36.0,116.5,37.0');
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({ code: 'bbox_too_large', details: { maxAreaDeg2: 0.5 } });
    const small = await anon.get('/ogc/collections/facilities/items?bbox=115.8,36.3,116.3,36.8');
    expect(small.status).toBe(200);
  });

  it('ROUTE_MAX_SETTLED_NODES: a search over the budget stops with 422 route_budget_exceeded', async () => {
    const checkpoint = (await coordinator.get('/api/coordinator/checkpoints')).body.features[0];
    const r = await coordinator.post('/api/routes', { from: checkpoint.id, to: { type: 'Point', coordinates: [115.98, 36.45] } });
    expect(r.status, r.text).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'route_budget_exceeded', details: { maxSettledNodes: 5 } });
  });
});

// The statement timeout is a PostgreSQL setting (PGlite runs in-process and has none). A designator's
// zone list is made slow for certain by holding a lock on the zones table from another session: the
// list waits for it, and the timeout, not the lock holder, ends the wait.
describe('STATEMENT_TIMEOUT_MS on postgres', needsPostgres, () => {
  let server: TestServer;
  let designer: Client;
  beforeAll(async () => {
    server = await startTestServer('postgres', { STATEMENT_TIMEOUT_MS: '1000' });
    designer = await loginAs(server.url, 'designer1');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 query_timeout with Retry-After when a query runs past the timeout, and 200 once it is fast again', async () => {
    const locker = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE zones IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const r = await designer.get('/api/zones');
      expect(r.status, r.text).toBe(503);
      expect(r.body.error.code).toBe('query_timeout');
      expect(r.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    expect((await designer.get('/api/zones')).status).toBe(200);
  });
});
