/**
 * Who may do what (OWASP API Security Top 10: API1 object and API5 function level authorization).
 * The whole route table of the Express app is walked: every write route carries a `requireRole`
 * guard as its first handler unless it is on the short allow-list of intentionally public writes,
 * every read is either guarded or on the list of public reads, and each guard really answers 401
 * to an anonymous caller and 403 to every role it does not admit. A route added without a guard
 * fails this file until someone decides, in the lists below, that it is public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { createApp } from '../../server/src/app';
import type { Role } from '../../server/src/accounts/accounts.repo';
import { fillPath, isWrite, routeTable, type RouteEntry } from './route-table';

/** Writes anyone may send: logging in and out. */
const PUBLIC_WRITES = new Set(['POST /api/auth/login', 'POST /api/auth/logout']);

/**
 * Reads anyone may send: the public map and what it is drawn from. GET /api/auth/me is here because
 * it answers 401 by itself and only ever shows callers their own account.
 */
const PUBLIC_READS = new Set([
  'GET /api/health',
  'GET /api/config',
  'GET /api/auth/me',
  'GET /api/regions',
  'GET /api/regions/outlines',
  'GET /api/facilities',
  'GET /api/facilities/:id',
  'GET /api/checkpoints',
  'GET /api/roads',
  'GET /api/public/bulletins',
  'GET /api/public/publications',
  'GET /api/public/publications/:id',
  'GET /api/bulletins/:id',
  'GET /api/public/zones',
  'GET /api/public/lookup',
  'GET /api/public/search',
  'GET /ogc',
  'GET /ogc/api',
  'GET /ogc/conformance',
  'GET /ogc/collections',
  'GET /ogc/collections/:collectionId',
  'GET /ogc/collections/:collectionId/queryables',
  'GET /ogc/collections/:collectionId/items',
  'GET /ogc/collections/:collectionId/items/:featureId',
  'GET /tiles/zones.json',
  'GET /tiles/zones/:z/:x/:y.mvt',
  'GET /cap/feed.atom',
  'GET /cap/:number.xml',
  'GET /feed.atom',
  'GET /feed/:countyCode.atom',
]);

/** The test account of each non-admin role (admin passes every guard). */
const ACCOUNT_OF: Record<Exclude<Role, 'admin'>, string> = { designator: 'designer1', coordinator: 'coord1' };

const key = (r: RouteEntry) => `${r.method} ${r.path}`;

describe.each(backends())('route guards on %s', (backend) => {
  let server: TestServer;
  let table: RouteEntry[];
  const clients = {} as Record<Exclude<Role, 'admin'>, Client>;
  beforeAll(async () => {
    server = await startTestServer(backend);
    table = routeTable(createApp(server.ctx));
    for (const [role, username] of Object.entries(ACCOUNT_OF)) clients[role as Exclude<Role, 'admin'>] = await loginAs(server.url, username);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is read from the app: it lists the routes every role works with', () => {
    const keys = table.map(key);
    expect(keys).toEqual(expect.arrayContaining(['POST /api/zones', 'PATCH /api/zones/:id', 'POST /api/bulletins', 'GET /api/public/zones', 'POST /api/admin/expiry/run']));
    expect(table.filter(isWrite).length).toBeGreaterThan(15);
  });

  it('guards every write route with requireRole as its first handler, apart from login and logout', () => {
    const unguarded = table.filter((r) => isWrite(r) && !r.requiredRoles && !PUBLIC_WRITES.has(key(r))).map(key);
    expect(unguarded, 'write routes without requireRole(...)').toEqual([]);
    const guardNotFirst = table.filter((r) => r.requiredRoles && !r.guardFirst).map(key);
    expect(guardNotFirst, 'routes where a handler runs before the guard').toEqual([]);
  });

  it('guards every read that is not on the list of public reads', () => {
    const unlisted = table.filter((r) => !isWrite(r) && !r.requiredRoles && !PUBLIC_READS.has(key(r))).map(key);
    expect(unlisted, 'GET routes that are neither guarded nor declared public').toEqual([]);
  });

  it('keeps the allow-lists honest: every listed route exists and none of them carries a guard', () => {
    const byKey = new Map(table.map((r) => [key(r), r]));
    for (const k of [...PUBLIC_WRITES, ...PUBLIC_READS]) {
      expect(byKey.has(k), `${k} is allow-listed but not a route`).toBe(true);
      expect(byKey.get(k)?.requiredRoles, `${k} is allow-listed but guarded`).toBeNull();
    }
  });

  it('admits only admins to the admin routes', () => {
    for (const r of table.filter((r) => r.path.startsWith('/api/admin/'))) expect(r.requiredRoles, key(r)).toEqual(['admin']);
  });

  it('answers 401 unauthenticated to an anonymous caller on every guarded route', async () => {
    const anon = new Client(server.url);
    const wrong: string[] = [];
    for (const r of table.filter((r) => r.requiredRoles)) {
      const res = await anon.request(r.method, fillPath(r.path), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      if (res.status !== 401 || res.body?.error?.code !== 'unauthenticated') wrong.push(`${key(r)} → ${res.status} ${res.text.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 forbidden to every logged-in role a guard does not admit', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of table.filter((r) => r.requiredRoles)) {
      for (const role of Object.keys(ACCOUNT_OF) as Exclude<Role, 'admin'>[]) {
        if (r.requiredRoles!.includes(role)) continue;
        checked++;
        const res = await clients[role].request(r.method, fillPath(r.path), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        if (res.status !== 403 || res.body?.error?.code !== 'forbidden') wrong.push(`${role} ${key(r)} → ${res.status} ${res.text.slice(0, 80)}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it('lets a disabled account do nothing with a session it still holds', async () => {
    const c = await loginAs(server.url, 'designer2');
    expect((await c.get('/api/zones')).status).toBe(200);
    await server.db.knex('accounts').where({ username: 'designer2' }).update({ disabled: true });
    try {
      expect((await c.get('/api/zones')).status).toBe(401);
      expect((await c.post('/api/zones', {})).status).toBe(401);
    } finally {
      await server.db.knex('accounts').where({ username: 'designer2' }).update({ disabled: false });
    }
  });
});
