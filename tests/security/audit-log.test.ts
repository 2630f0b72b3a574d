/**
 * Every change to zones, cases, bulletins, trucks and accounts (and checkpoints and facilities)
 * lands in the append-only audit log: who, when, what, before and after. Only admins read it
 * (GET /api/admin/audit), and the database itself refuses UPDATE and DELETE on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, TEST_PASSWORD } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: any;
  after: any;
}

const square = (lon: number, lat: number, d = 0.004) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe.each(backends())('the audit log on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    admin = await loginAs(server.url, 'admin');
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The audit entries of one record, oldest first, as an admin reads them. */
  const entriesOf = async (entity: string, entityId: string): Promise<AuditRow[]> => {
    const r = await admin.get(`/api/admin/audit?entity=${entity}&entityId=${encodeURIComponent(entityId)}`);
    expect(r.status, r.text).toBe(200);
    return (r.body as AuditRow[]).reverse();
  };
  const recent = (at: string) => Math.abs(Date.now() - new Date(at).getTime()) < 5 * 60_000;

  it('records a zone being created, edited, published, lifted and deleted, with who and before/after', async () => {
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.9, 36.4), properties: { kind: 'controlled', name: '审计区' } });
    const edit = await designer.patch(`/api/zones/${z.body.id}`, { properties: { name: '审计区（改）' } }, { 'if-match': '1' });
    expect(edit.status).toBe(200);
    const b = await designer.post('/api/bulletins', { zoneIds: [z.body.id], title: '审计通告' });
    expect(b.status).toBe(201);
    const s = await designer.post(`/api/zones/${z.body.id}/screenings`, { on: z.body.properties.designatedOn, negative: true });
    expect(s.status, s.text).toBe(201);
    expect((await designer.post(`/api/zones/${z.body.id}/lift`, { reason: '审计解除' })).status).toBe(200);

    const entries = await entriesOf('zone', z.body.id);
    expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'lift']);
    for (const e of entries) {
      expect(e.actor).toBe('designer1');
      expect(recent(e.at)).toBe(true);
    }
    expect(entries[0]).toMatchObject({ before: null, after: { name: '审计区', status: 'draft', kind: 'controlled' } });
    expect(entries[1]).toMatchObject({ before: { name: '审计区' }, after: { name: '审计区（改）' } });
    expect(entries[2]).toMatchObject({ before: { status: 'published' }, after: { status: 'lifted' } });
    expect((await entriesOf('screening', z.body.id)).map((e) => e.action)).toEqual(['create']);
    const bulletin = await entriesOf('bulletin', String(b.body.id));
    expect(bulletin).toHaveLength(1);
    expect(bulletin[0]).toMatchObject({ actor: 'designer1', action: 'publish', after: { title: '审计通告', zoneIds: [z.body.id] } });

    const draft = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.95, 36.4), properties: { kind: 'sealed', name: '将删除' } });
    expect((await designer.delete(`/api/zones/${draft.body.id}`)).status).toBe(204);
    const deleted = await entriesOf('zone', draft.body.id);
    expect(deleted.map((e) => e.action)).toEqual(['create', 'delete']);
    expect(deleted[1]).toMatchObject({ before: { name: '将删除' }, after: null });
  });

  it('records case reports', async () => {
    const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.91, 36.41] }, reportedOn: '2022-11-01', note: '审计病例' });
    expect(c.status).toBe(201);
    const entries = await entriesOf('case', String(c.body.case.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'designer1', action: 'create', after: { reportedOn: '2022-11-01', location: { type: 'Point' } } });
  });

  it('records trucks being reported and moving through the hand-over register', async () => {
    const checkpoint = (await coordinator.get('/api/coordinator/checkpoints')).body.features[0].id;
    const t = await coordinator.post('/api/trucks', {
      plate: '鲁P审计1',
      driverName: '审计司机',
      driverPhone: '13800000001',
      originCity: '济南',
      destination: { type: 'Point', coordinates: [115.98, 36.45] },
      expectedArrival: '2022-11-20T08:00:00+08:00',
      checkpointId: checkpoint,
    });
    expect(t.status, t.text).toBe(201);
    expect((await coordinator.post(`/api/trucks/${t.body.truck.id}/events`, { state: 'arrived', note: '到达' })).status).toBe(201);
    const entries = await entriesOf('truck', t.body.truck.id);
    expect(entries.map((e) => e.action)).toEqual(['create', 'state']);
    expect(entries.every((e) => e.actor === 'coord1')).toBe(true);
    expect(entries[1]).toMatchObject({ before: { state: 'reported' }, after: { state: 'arrived' } });
  });

  it('records checkpoints and facilities being changed by coordinators and admins', async () => {
    const cp = (await coordinator.get('/api/coordinator/checkpoints')).body.features[1];
    expect((await coordinator.patch(`/api/checkpoints/${cp.id}`, { properties: { pointLeader: '审计负责人' } })).status).toBe(200);
    const cpEntries = await entriesOf('checkpoint', cp.id);
    expect(cpEntries.at(-1)).toMatchObject({ actor: 'coord1', action: 'update', after: { pointLeader: '审计负责人' } });
    const f = await admin.post('/api/facilities', { type: 'Feature', geometry: { type: 'Point', coordinates: [115.97, 36.46] }, properties: { id: 'f-audit', kind: 'fever_clinic', name: '审计发热门诊' } });
    expect(f.status, f.text).toBe(201);
    expect((await admin.delete('/api/facilities/f-audit')).status).toBe(204);
    expect((await entriesOf('facility', 'f-audit')).map((e) => [e.actor, e.action])).toEqual([['admin', 'create'], ['admin', 'delete']]);
  });

  it('records accounts being created and their passwords being reset', async () => {
    const created = await server.ctx.services.accounts.create('auditee', TEST_PASSWORD, 'coordinator', 'admin');
    expect(await entriesOf('account', String(created.id))).toMatchObject([{ actor: 'admin', action: 'create', after: { username: 'auditee', role: 'coordinator' } }]);
    // The embedded demo's accounts get new passwords at every start (the first start creates them).
    await server.ctx.services.accounts.resetDemoAccounts();
    const demo = await server.db.knex('accounts').where({ username: 'designator' }).first('id');
    const before = await entriesOf('account', String(demo.id));
    await server.ctx.services.accounts.resetDemoAccounts();
    const after = await entriesOf('account', String(demo.id));
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toMatchObject([{ actor: 'system', action: 'reset_password', after: { username: 'designator' } }]);
    // What a password became is never recorded.
    const all = JSON.stringify((await admin.get('/api/admin/audit?entity=account')).body);
    expect(all).not.toMatch(/password_hash|\$argon2/);
  });

  it('lets only admins read the log', async () => {
    expect((await new Client(server.url).get('/api/admin/audit')).status).toBe(401);
    expect((await designer.get('/api/admin/audit')).status).toBe(403);
    expect((await coordinator.get('/api/admin/audit')).status).toBe(403);
    expect((await admin.get('/api/admin/audit')).status).toBe(200);
  });

  it('is append-only at the database: UPDATE, DELETE and TRUNCATE fail and change nothing', async () => {
    const knex = server.db.knex;
    const before = await knex('audit_log').orderBy('id').select('*');
    expect(before.length).toBeGreaterThan(5);
    await expect(knex('audit_log').update({ actor: 'someone-else' })).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').where({ id: before[0].id }).update({ after: null })).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').where({ id: before[0].id }).delete()).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').delete()).rejects.toThrow(/append-only/);
    await expect(knex.raw('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await knex('audit_log').orderBy('id').select('*')).toEqual(before);
  });
});
