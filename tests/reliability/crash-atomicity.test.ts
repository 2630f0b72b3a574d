/**
 * Publishing a bulletin, running expiry and loading the geodata are single transactions: the service process is
 * killed with SIGKILL while one is in flight, and the database holds the old state or the new one,
 * never a mix; the service then starts again cleanly on the same database. PostgreSQL only (an
 * embedded PGlite data directory belongs to one process); for the embedded store, a kill -9 while
 * idle is followed by a clean restart with the data intact.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/backends';
import { Client, freshDatabase } from '../helpers/server';
import { EXPIRY_LOCK_KEY } from '../../server/src/expiry/expiry.repo';
import { spawnServiceProcess, startServiceProcess, waitFor, type ServiceProcess } from './processes';
import { needsPostgres } from '../helpers/requirements';

const DRAFTS = 300;
/** Locks of this test's database only: other databases on the server have the same lock keys. */
const HERE = 'database = (SELECT oid FROM pg_database WHERE datname = current_database())';

const square = (lon: number, lat: number, d = 0.0005) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

async function login(url: string, username: string): Promise<Client> {
  const c = new Client(url);
  const r = await c.post('/api/auth/login', { username, password: TEST_PASSWORD });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return c;
}

describe('a service killed in the middle of a transaction on postgres', needsPostgres, () => {
  let env: Record<string, string>;
  let db: pg.Client;
  const started: ServiceProcess[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const p = await startServiceProcess({ ...env, ...extra });
    started.push(p);
    return p;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    env = await freshDatabase('postgres');
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    for (const p of started) await p.kill();
    await db?.end();
  });

  it(`leaves all ${DRAFTS} drafts unpublished when killed while publishing them, and publishes them after a restart`, async () => {
    const first = await start();
    const designer = await login(first.url, 'designer1');
    const ids: string[] = [];
    // Four at a time: the drafts are many small squares in a grid west of the city centre.
    for (let batch = 0; batch < DRAFTS; batch += 4) {
      const made = await Promise.all(
        [0, 1, 2, 3].map((k) => {
          const i = batch + k;
          return designer.post('/api/zones', { type: 'Feature', geometry: square(115.6 + (i % 20) * 0.001, 36.2 + Math.floor(i / 20) * 0.001), properties: { kind: 'precaution', name: `草稿${i}` } });
        }),
      );
      for (const r of made) {
        expect(r.status, r.text).toBe(201);
        ids.push(r.body.id);
      }
    }
    const state = async () => ({
      published: await count(`SELECT count(*) AS n FROM zones WHERE id = ANY($1) AND status = 'published'`, [ids]),
      bulletins: await count('SELECT count(*) AS n FROM bulletins'),
      bulletinZones: await count('SELECT count(*) AS n FROM bulletin_zones'),
      history: await count('SELECT count(*) AS n FROM zone_history'),
      audit: await count('SELECT count(*) AS n FROM audit_log'),
    });
    const before = await state();
    expect(before.published).toBe(0);

    const publishing = designer.post('/api/bulletins', { zoneIds: ids, title: '大批量发布' }).catch((err: Error) => err);
    // The publishing lock is taken first in the publishing transaction: once PostgreSQL shows it
    // held, the transaction is open and the zones are being written.
    await waitFor('the publishing transaction to hold the publishing lock', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks WHERE ${HERE} AND locktype = 'advisory' AND objid = $1 AND granted`, [EXPIRY_LOCK_KEY])) > 0, 30_000, 5);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(await publishing).toBeInstanceOf(Error);
    // PostgreSQL rolls the dead session's transaction back once it notices the closed socket.
    await waitFor('the killed session to end', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks WHERE ${HERE} AND locktype = 'advisory' AND objid = $1`, [EXPIRY_LOCK_KEY])) === 0);
    expect(await state()).toEqual(before);

    const second = await start();
    const again = await (await login(second.url, 'designer1')).post('/api/bulletins', { zoneIds: ids, title: '大批量发布' });
    expect(again.status, again.text).toBe(201);
    const after = await state();
    expect(after).toMatchObject({ published: DRAFTS, bulletins: before.bulletins + 1, bulletinZones: before.bulletinZones + DRAFTS });
    await second.kill('SIGTERM');
  });

  it(`leaves all ${DRAFTS} due zones as they were when killed while running expiry, and applies them after a restart`, async () => {
    // Published twenty-measures zones from 2022-11-10 without cases, written straight into the
    // database so that no expiry run has seen them: each is long since due to be lifted.
    const { rows } = await db.query(
      `INSERT INTO zones (id, kind, designated_kind, status, name, designated_on, edition, created_by, published_at, geom)
       SELECT gen_random_uuid(), 'sealed', 'sealed', 'published', '到期' || i, '2022-11-10', 'twenty-measures', 'crash-test', now(),
              ST_Multi(ST_MakeEnvelope(116.4 + (i % 20) * 0.001, 36.9 + (i / 20) * 0.001, 116.4005 + (i % 20) * 0.001, 36.9005 + (i / 20) * 0.001, 4326))
       FROM generate_series(0, $1 - 1) AS i
       RETURNING id`,
      [DRAFTS],
    );
    const ids = rows.map((r: { id: string }) => r.id);
    const state = async () => ({
      lifted: await count(`SELECT count(*) AS n FROM zones WHERE id = ANY($1) AND status = 'lifted'`, [ids]),
      history: await count(`SELECT count(*) AS n FROM zone_history WHERE zone_id = ANY($1)`, [ids]),
      audit: await count(`SELECT count(*) AS n FROM audit_log WHERE entity_id = ANY($1::text[])`, [ids]),
    });
    const before = await state();
    expect(before).toEqual({ lifted: 0, history: 0, audit: 0 });

    const first = await start();
    const admin = await login(first.url, 'admin');
    const running = admin.post('/api/admin/expiry/run').catch((err: Error) => err);
    await waitFor('the expiry transaction to hold the expiry lock', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks WHERE ${HERE} AND locktype = 'advisory' AND objid = $1 AND granted`, [EXPIRY_LOCK_KEY])) > 0, 30_000, 5);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(await running).toBeInstanceOf(Error);
    await waitFor('the killed session to end', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks WHERE ${HERE} AND locktype = 'advisory' AND objid = $1`, [EXPIRY_LOCK_KEY])) === 0);
    expect(await state()).toEqual(before);

    const second = await start();
    const run = await (await login(second.url, 'admin')).post('/api/admin/expiry/run');
    expect(run.status, run.text).toBe(200);
    const after = await state();
    expect(after.lifted).toBe(DRAFTS);
    expect(after.audit).toBe(DRAFTS);
    await second.kill('SIGTERM');
  });

  it('keeps the old geodata when killed while loading new geodata, and loads it on the next start', async () => {
    const tables = ['regions', 'facilities', 'hotlines', 'checkpoints', 'roads'];
    const snapshot = async () => {
      const rows: Record<string, number> = {};
      for (const t of tables) rows[t] = await count(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(t)}`);
      const fingerprint = (await db.query(`SELECT value->>'fingerprint' AS f FROM app_state WHERE key = 'geodata'`)).rows[0].f as string;
      return { rows, stale: fingerprint === 'stale' };
    };
    // Marks the loaded geodata as out of date, so the next start loads the files again.
    await db.query(`UPDATE app_state SET value = jsonb_set(value, '{fingerprint}', '"stale"') WHERE key = 'geodata'`);
    const before = await snapshot();
    expect(before.stale).toBe(true);
    expect(before.rows.regions).toBe(8);

    const loading = await spawnServiceProcess(env);
    started.push(loading);
    // The load deletes and rewrites the regions first, inside its one transaction.
    await waitFor('the geodata transaction to hold the regions table', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE ${HERE} AND c.relname = 'regions' AND l.mode = 'RowExclusiveLock' AND l.granted`)) > 0, 60_000, 5);
    expect(await loading.kill('SIGKILL')).toBe('SIGKILL');
    await expect(loading.ready).rejects.toThrow();
    await waitFor('the killed session to end', async () =>
      (await count(`SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE ${HERE} AND c.relname = 'regions' AND l.mode = 'RowExclusiveLock'`)) === 0);
    expect(await snapshot()).toEqual(before);

    const restarted = await start();
    const after = await snapshot();
    expect(after).toEqual({ rows: before.rows, stale: false });
    expect((await new Client(restarted.url).get('/api/regions')).body.features).toHaveLength(8);
    await restarted.kill('SIGTERM');
  });
});

describe('the embedded store after kill -9', () => {
  const started: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of started) await p.kill();
  });

  it('starts again cleanly on the same data directory, with what was published before the kill', async () => {
    const env = await freshDatabase('pglite');
    const first = await startServiceProcess(env);
    started.push(first);
    const designer = await login(first.url, 'designer1');
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.97, 36.44, 0.004), properties: { kind: 'controlled', name: '断电前发布' } });
    expect(z.status, z.text).toBe(201);
    expect((await designer.post('/api/bulletins', { zoneIds: [z.body.id], title: '断电前' })).status).toBe(201);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');

    const second = await startServiceProcess(env);
    started.push(second);
    const map = await new Client(second.url).get('/api/public/zones');
    expect(map.status).toBe(200);
    expect(map.body.features.map((f: { id: string }) => f.id)).toContain(z.body.id);
    expect((await login(second.url, 'designer1').then((c) => c.get(`/api/zones/${z.body.id}`))).body.properties.status).toBe('published');
    await second.kill('SIGTERM');
  });
});

