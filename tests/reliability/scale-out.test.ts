/**
 * Several service processes on one PostgreSQL, the way the service scales out: sessions are shared
 * (log in on A, work on B, log out on B and A forgets you too), the daily expiry run is claimed once
 * per day across processes, and the public map cached in each process is rebuilt in every process
 * when any of them publishes or lifts a zone (LISTEN/NOTIFY).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, freshDatabase, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { expiryRepo } from '../../server/src/expiry/expiry.repo';
import { addDays, todayInShanghai } from '../../contract/dates';
import { waitFor } from './processes';
import { needsPostgres } from '../helpers/requirements';

const square = (lon: number, lat: number, d = 0.004) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe('several processes on one PostgreSQL', needsPostgres, () => {
  let env: Record<string, string>;
  const servers: TestServer[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const s = await startTestServer('postgres', { ...env, ...extra });
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    env = await freshDatabase('postgres');
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  /**
   * A published zone written straight into the database, so no expiry run has seen it yet: a
   * twenty-measures high-risk zone from 2022-11-10 without cases, long since due to be lifted.
   */
  const insertDueZone = async (server: TestServer, name: string, lon: number) => {
    const id = crypto.randomUUID();
    await server.db.knex('zones').insert({
      id, kind: 'sealed', designated_kind: 'sealed', status: 'published', name, designated_on: '2022-11-10', edition: 'twenty-measures',
      created_by: 'scale-out-test', published_at: server.db.knex.fn.now(),
      geom: server.db.knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(square(lon, 36.7))]),
    });
    return id;
  };
  const storedStatus = async (server: TestServer, id: string) => (await server.db.knex('zones').where({ id }).first('status')).status as string;

  it('claims the daily expiry run once when two processes start together, and a later process leaves the day alone', async () => {
    const [a] = await Promise.all([start(), start()]);
    const first = await insertDueZone(a, '两进程同日', 116.2);
    for (const s of servers) await s.close();
    servers.length = 0;

    const [p, q] = await Promise.all([start({ EXPIRY_SCHEDULE: 'true' }), start({ EXPIRY_SCHEDULE: 'true' })]);
    await waitFor('the daily run to lift the due zone', async () => (await storedStatus(p, first)) === 'lifted', 20_000);
    const history = await p.db.knex('zone_history').where({ zone_id: first }).orderBy('id').select('by', 'action', 'rule', 'effective_on');
    expect(history.filter((h) => h.action === 'state_applied')).toHaveLength(1);
    const transitions = history.filter((h) => h.action === 'rule_transition');
    expect(transitions.length).toBeGreaterThan(0);
    expect(new Set(transitions.map((t) => `${t.rule}|${t.effective_on}`)).size).toBe(transitions.length);
    expect(history.every((h) => h.by === 'expiry-daily')).toBe(true);
    const claim = await p.db.knex('app_state').where({ key: 'expiry_daily_run' }).first('value');
    expect(claim.value).toEqual({ day: todayInShanghai() });
    // The day is taken; a new day can be claimed again (and the claim is put back).
    const repo = expiryRepo(q.db.knex);
    expect(await q.db.knex.transaction((trx) => repo.tryLockDailyRun(trx, todayInShanghai()))).toBe(false);
    expect(await q.db.knex.transaction((trx) => repo.tryLockDailyRun(trx, addDays(todayInShanghai(), 1)))).toBe(true);
    await q.db.knex('app_state').where({ key: 'expiry_daily_run' }).update({ value: JSON.stringify({ day: todayInShanghai() }) });

    // A third process starting later the same day finds the day claimed and does not run it: a zone
    // that became due in between stays as stored until someone runs expiry on purpose.
    const second = await insertDueZone(p, '当日后启动', 116.3);
    const late = await start({ EXPIRY_SCHEDULE: 'true' });
    const admin = await loginAs(late.url, 'admin');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await storedStatus(late, second)).toBe('published');
    expect((await admin.post('/api/admin/expiry/run')).status).toBe(200);
    expect(await storedStatus(late, second)).toBe('lifted');
  });

  it('leaves no connection behind when a process stops (its LISTEN connection included)', async () => {
    // A database of its own: the other processes of this file keep theirs open.
    const own = await freshDatabase('postgres');
    const s = await startTestServer('postgres', own);
    const dbName = new URL(own.DATABASE_URL).pathname.slice(1);
    const watcher = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await watcher.connect();
    try {
      const listening = async () =>
        Number((await watcher.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'risk-zones-listen'`, [dbName])).rows[0].n);
      // Several parts of the service subscribe at start-up; they share one connection.
      await waitFor('the LISTEN connection', async () => (await listening()) === 1);
      const before = Number((await watcher.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1`, [dbName])).rows[0].n);
      expect(before).toBeGreaterThan(0);
      await s.close();
      await waitFor('every connection of the stopped process to end', async () => (await listening()) === 0, 5000);
    } finally {
      await watcher.end();
    }
  });

  it('shares sessions: logged in on A, working on B, logged out on B is logged out on A', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const onA = await loginAs(a.url, 'designer1');
    const onB = new Client(b.url);
    onB.cookie = onA.cookie;
    expect((await onB.get('/api/auth/me')).body.user.username).toBe('designer1');
    const z = await onB.post('/api/zones', { type: 'Feature', geometry: square(115.6, 36.2), properties: { kind: 'precaution', name: '跨进程' } });
    expect(z.status, z.text).toBe(201);
    expect((await onA.get(`/api/zones/${z.body.id}`)).status).toBe(200);
    expect((await onB.post('/api/auth/logout')).status).toBe(204);
    expect((await onA.get('/api/auth/me')).status).toBe(401);
  });

  it('rebuilds the public map in every process when one of them publishes or lifts a zone', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const designer = await loginAs(a.url, 'designer1');
    const anonB = new Client(b.url);
    const onB = async () => (await anonB.get('/api/public/zones')).body.features.map((f: { id: string }) => f.id) as string[];
    const ogcOnB = async () => (await anonB.get('/ogc/collections/zones/items?limit=1000')).body.features.map((f: { id: string }) => f.id) as string[];
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.7, 36.2), properties: { kind: 'controlled', name: '通知失效' } });
    // B builds and caches its map before the publication.
    expect(await onB()).not.toContain(z.body.id);
    expect(await ogcOnB()).not.toContain(z.body.id);

    expect((await designer.post('/api/bulletins', { zoneIds: [z.body.id], title: '跨进程发布' })).status).toBe(201);
    await waitFor('B to show the zone published on A', async () => (await onB()).includes(z.body.id), 5000);
    await waitFor('B to serve it through OGC too', async () => (await ogcOnB()).includes(z.body.id), 5000);

    expect((await designer.post(`/api/zones/${z.body.id}/lift`, { reason: '跨进程解除' })).status).toBe(200);
    await waitFor('B to drop the zone lifted on A', async () => !(await onB()).includes(z.body.id), 5000);
  });
});
