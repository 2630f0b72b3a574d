/**
 * The database going away and coming back: on a PostgreSQL cluster of this test's own (initdb in a
 * temporary directory), the service answers 503 `database_unavailable` with Retry-After while the
 * server is stopped (`pg_ctl stop -m immediate`, like a crash), never 500, keeps serving the public
 * map it has in memory, and recovers by itself once PostgreSQL is back: no restart of the service.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/server';
import { PG_BIN, canRunOwnCluster, createThrowawayCluster, waitFor, type ThrowawayCluster } from './processes';
import { inCi, requires } from '../helpers/requirements';

const ADMIN_PASSWORD = 'outage-admin-password';
const available = canRunOwnCluster();

const square = (lon: number, lat: number, d = 0.004) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

// In CI the binaries must be there: a missing server is a broken pipeline, not a reason to skip.
describe(
  'PostgreSQL stopped and started under a running service',
  requires(available || inCi, `needs the PostgreSQL server binaries in ${PG_BIN} (install postgresql-15 and postgresql-15-postgis-3, or set PG_BIN)`),
  () => {
  let cluster: ThrowawayCluster;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    expect(available, `PostgreSQL server binaries are required in CI (looked in ${PG_BIN})`).toBe(true);
    cluster = await createThrowawayCluster();
    const c = new pg.Client({ connectionString: cluster.url() });
    await c.connect();
    await c.query('CREATE DATABASE risk');
    await c.end();
    server = await startTestServer('postgres', { DATABASE_URL: cluster.url('risk'), LOAD_DEMO_DATA: 'false', ADMIN_PASSWORD });
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    cluster?.destroy();
  });

  const publishZone = async (name: string, lon: number) => {
    const z = await admin.post('/api/zones', { type: 'Feature', geometry: square(lon, 36.4), properties: { kind: 'controlled', name } });
    expect(z.status, z.text).toBe(201);
    expect((await admin.post('/api/bulletins', { zoneIds: [z.body.id], title: name })).status).toBe(201);
    return z.body.id as string;
  };

  it('answers 503 database_unavailable while PostgreSQL is down and 200 again once it is back, without a restart', async () => {
    const anon = new Client(server.url);
    // This database has no county outlines (no geodata loaded): a lookup cannot tell where a place
    // lies and says so, rather than calling a place in Liaocheng outside it.
    const noOutlines = await anon.get('/api/public/lookup?lon=115.902&lat=36.402');
    expect(noOutlines.status, noOutlines.text).toBe(503);
    expect(noOutlines.body.error.code).toBe('county_outlines_missing');
    const before = await publishZone('停库前', 115.9);
    expect((await anon.get('/api/health')).status).toBe(200);
    // The public map is asked for all the time; this process has built it before the outage.
    expect((await anon.get('/api/public/zones')).body.features.map((f: { id: string }) => f.id)).toContain(before);

    cluster.stopImmediately();
    const down = await waitFor('the health check to report the database away', async () => {
      const r = await anon.get('/api/health');
      return r.status === 503 ? r : null;
    }, 20_000, 100);
    expect(down.body.error.code).toBe('database_unavailable');
    expect(down.headers.get('retry-after')).toBe('5');

    for (const [client, method, path, body] of [
      [admin, 'GET', '/api/zones', undefined],
      [admin, 'POST', '/api/zones', { type: 'Feature', geometry: square(116, 36.4), properties: { kind: 'sealed', name: '停库中' } }],
      [anon, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }],
      [anon, 'GET', '/api/public/lookup?lon=115.902&lat=36.402', undefined],
      [anon, 'GET', '/ogc/collections/facilities/items', undefined],
    ] as const) {
      const r = await (client as Client).request(method, path, body);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(503);
      expect(r.body.error.code).toBe('database_unavailable');
    }
    // The public map already built stays served from memory while the database is away.
    const map = await anon.get('/api/public/zones');
    expect(map.status).toBe(200);
    expect(map.body.features.map((f: { id: string }) => f.id)).toContain(before);

    cluster.start();
    await waitFor('the service to reach the database again', async () => (await anon.get('/api/health')).status === 200, 30_000, 200);
    // The session made before the outage is still good, and writes work again.
    expect((await admin.get('/api/zones')).status).toBe(200);
    const after = await publishZone('恢复后', 116.1);
    await waitFor('the public map to show the zone published after the outage', async () =>
      (await anon.get('/api/public/zones')).body.features.some((f: { id: string }) => f.id === after), 10_000);
  });
  },
);
