/**
 * Backups restore to the same map. PostgreSQL: `pg_dump -Fc` of a live database, `pg_restore`
 * into a new one, a service started on it serves the same public zones, accounts and audit log.
 * Embedded store: the data directory copied while the service is stopped starts as the same service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_PREFIX, RUN_DIR, databaseUrl } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { PG_BIN } from './processes';
import { needsPostgres } from '../helpers/requirements';

const square = (lon: number, lat: number, d = 0.004) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** The PostgreSQL client tool `name`, from the server's own bin directory when there is one. */
const tool = (name: string) => (fs.existsSync(path.join(PG_BIN, name)) ? path.join(PG_BIN, name) : name);

/** Publishes a few zones and returns what the public and the designators see. */
async function seed(server: TestServer) {
  const designer = await loginAs(server.url, 'designer1');
  const ids: string[] = [];
  for (const [i, kind] of (['sealed', 'controlled', 'precaution'] as const).entries()) {
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.9 + i * 0.01, 36.4), properties: { kind, name: `备份${kind}` } });
    expect(z.status, z.text).toBe(201);
    ids.push(z.body.id);
  }
  expect((await designer.post('/api/bulletins', { zoneIds: ids, title: '备份前发布' })).status).toBe(201);
  await designer.post('/api/zones', { type: 'Feature', geometry: square(116.2, 36.4), properties: { kind: 'sealed', name: '备份草稿' } });
  return views(server);
}

async function views(server: TestServer) {
  const designer = await loginAs(server.url, 'designer1');
  const admin = await loginAs(server.url, 'admin');
  const publicMap = (await new Client(server.url).get('/api/public/zones')).body;
  const zones = (await designer.get('/api/zones')).body.features.map((f: { id: string; properties: { name: string; status: string; version: number } }) => ({
    id: f.id, name: f.properties.name, status: f.properties.status, version: f.properties.version,
  }));
  const audit = (await admin.get('/api/admin/audit?limit=1000')).body.filter((e: { entity: string }) => e.entity !== 'account');
  return { publicMap, zones, audit };
}

describe('pg_dump and pg_restore', needsPostgres, () => {
  const servers: TestServer[] = [];
  const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-dump-'));
  afterAll(async () => {
    for (const s of servers) await s.close();
    fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it('restores a dump of a live database into a new database that serves the same zones', async () => {
    const original = await startTestServer('postgres');
    servers.push(original);
    const before = await seed(original);
    expect(before.publicMap.features).toHaveLength(3);

    const dump = path.join(dumpDir, 'risk.dump');
    // A dump is consistent while the service keeps running (it reads one snapshot).
    execFileSync(tool('pg_dump'), ['-Fc', '--no-owner', '-f', dump, `--dbname=${original.env.DATABASE_URL}`]);
    const restoredName = `${DB_PREFIX}restored_${crypto.randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(restoredName)} TEMPLATE template0`);
    await admin.end();
    execFileSync(tool('pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${databaseUrl(restoredName)}`, dump]);

    const restored = await startTestServer('postgres', { DATABASE_URL: databaseUrl(restoredName) });
    servers.push(restored);
    const after = await views(restored);
    expect(after.publicMap).toEqual(before.publicMap);
    expect(after.zones).toEqual(before.zones);
    expect(after.audit).toEqual(before.audit);
    // The restored audit log is still append-only (its trigger came back with it).
    await expect(restored.db.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });
});

describe('copying the embedded data directory while the service is stopped', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('starts a service on the copy that serves the same zones', async () => {
    const original = await startTestServer('pglite');
    servers.push(original);
    const before = await seed(original);
    await original.close();
    servers.pop();

    const copy = `${RUN_DIR}/backup-copy-${crypto.randomBytes(3).toString('hex')}`;
    fs.cpSync(original.env.DATA_DIR, copy, { recursive: true });
    const restored = await startTestServer('pglite', { DATA_DIR: copy });
    servers.push(restored);
    const after = await views(restored);
    expect(after.publicMap).toEqual(before.publicMap);
    expect(after.zones).toEqual(before.zones);
    expect(after.audit).toEqual(before.audit);
  });
});
