/**
 * The contract's response schemas describe what the running service really answers: the real
 * service over HTTP on each database, its main writes done by the roles that do them, then every
 * public and staff GET endpoint read and parsed with its schema (contract/schemas). The client's
 * types are inferred from these schemas, so a drift between them and the server fails here, not
 * in a browser. The route table is read from the application itself, so a GET endpoint added
 * later without a schema fails the last test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as S from '../../contract/schemas';
import { ERRORS } from '../../contract/errors';
import { createApp } from '../../server/src/app';
import { addDays, todayInShanghai } from '../../contract/dates';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { routeTable } from '../security/route-table';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const zone = (geometry: unknown, properties: Record<string, unknown>) => ({ type: 'Feature', geometry, properties });

/**
 * GET endpoints whose answers are not this contract's JSON: OGC API – Features documents (their
 * own standard's schemas, checked by tests/api/ogc*.test.ts), vector tiles and their TileJSON
 * (tests/api/tile*.test.ts), CAP alerts and Atom feeds (XML, validated in tests/api/alerts.test.ts).
 */
const NOT_CONTRACT_JSON = /^\/(ogc|tiles|cap|feed)\b|^\/feed\//;

type Answer = Awaited<ReturnType<Client['get']>>;

/** Fails with the zod issues (path and message) when a real answer does not parse. */
function expectParses(schema: z.ZodType, r: Answer, what: string): void {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeLessThan(300);
  const parsed = schema.safeParse(r.body);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`), what).toEqual([]);
}

describe.each(backends())('response schemas against the running service on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  let designer: Client;
  let coordinator: Client;
  let admin: Client;
  /** Ids made by the writes, read back by the GET endpoints. */
  const made = { controlled: '', sealed: '', lifted: '', publication: 0, truck: '', webhook: '', facility: 'contract-test-clinic' };
  /** The GET route patterns this file has read, to compare with the application's route table. */
  const read = new Set<string>();

  beforeAll(async () => {
    server = await startTestServer(backend);
    anon = new Client(server.url);
    [designer, coordinator, admin] = await Promise.all([loginAs(server.url, 'designer1'), loginAs(server.url, 'coord1'), loginAs(server.url, 'admin')]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('describes the answers of the designators\' writes: zones, bulletins, edits, cases, screenings, imports, lifts', async () => {
    const controlled = await designer.post('/api/zones', zone(square(116.06, 36.93, 0.01), { kind: 'controlled', name: '契约测试管控区', reason: 'contract' }));
    expectParses(S.SavedZone, controlled, 'POST /api/zones');
    made.controlled = controlled.body.id;
    const sealed = await designer.post('/api/zones', zone(square(116.063, 36.933, 0.002), { kind: 'sealed', name: '契约测试封控区' }));
    expectParses(S.SavedZone, sealed, 'POST /api/zones (sealed)');
    made.sealed = sealed.body.id;
    const lifted = await designer.post('/api/zones', zone(square(116.1, 36.95, 0.005), { kind: 'precaution', name: '契约测试防范区' }));
    made.lifted = lifted.body.id;

    const zoneIds = [made.controlled, made.sealed, made.lifted];
    expectParses(S.BulletinPreview, await designer.post('/api/bulletins/preview', { zoneIds, title: '契约测试通告' }), 'POST /api/bulletins/preview');
    const bulletin = await designer.post('/api/bulletins', { zoneIds, title: '契约测试通告' });
    expectParses(S.PublishedBulletin, bulletin, 'POST /api/bulletins');
    made.publication = bulletin.body.number;

    const version = (await designer.get(`/api/zones/${made.controlled}`)).body.properties.version;
    const edit = await designer.patch(`/api/zones/${made.controlled}`, { type: 'Feature', properties: { name: '契约测试管控区（更名）' } }, { 'If-Match': String(version) });
    expectParses(S.SavedZone, edit, 'PATCH /api/zones/:id');
    expect(edit.body.properties.pending).toMatchObject({ name: '契约测试管控区（更名）' });

    const recorded = await designer.post('/api/cases', { location: point(116.064, 36.934), note: 'contract' });
    expectParses(S.RecordedCase, recorded, 'POST /api/cases');
    expect(recorded.body.effects.length).toBeGreaterThan(0);
    expectParses(S.ScreeningResult, await designer.post(`/api/zones/${made.sealed}/screenings`, { on: todayInShanghai(), negative: true }), 'POST /api/zones/:id/screenings');
    expectParses(S.LiftedZone, await designer.post(`/api/zones/${made.lifted}/lift`, { reason: '契约测试解除' }), 'POST /api/zones/:id/lift');
    const imported = await designer.post('/api/zones/import', { type: 'FeatureCollection', features: [zone(square(116.2, 36.9, 0.003), { kind: 'precaution', name: '契约测试导入' })] });
    expectParses(S.ImportResult, imported, 'POST /api/zones/import');
  });

  it('describes the answers of the coordinators\' and admins\' writes: routes, trucks, checkpoints, facilities, webhooks, runs, sessions', async () => {
    expectParses(S.RouteFeature, await coordinator.post('/api/routes', { from: 'cp-01', to: point(115.985, 36.455) }), 'POST /api/routes');
    const truck = await coordinator.post('/api/trucks', {
      plate: '鲁P·C0001', driverName: '契约', driverPhone: '13800000000', originCity: '济南',
      destination: point(115.985, 36.455), expectedArrival: '2026-11-23T08:00:00+08:00', checkpointId: 'cp-01', truck: { heightM: 3.5, weightT: 20 },
    });
    expectParses(S.ReportedTruck, truck, 'POST /api/trucks');
    made.truck = truck.body.truck.id;
    expectParses(S.Truck, await coordinator.post(`/api/trucks/${made.truck}/events`, { state: 'arrived', note: 'contract' }), 'POST /api/trucks/:id/events');
    expectParses(S.Truck, await coordinator.post(`/api/trucks/${made.truck}/route`), 'POST /api/trucks/:id/route');

    const checkpoint = await coordinator.post('/api/checkpoints', zone(point(115.9, 36.5), { id: 'cp-contract', name: '契约测试服务点', road: 'G309', direction: '西' }));
    expectParses(S.CoordinatorCheckpointFeature, checkpoint, 'POST /api/checkpoints');
    expectParses(S.CoordinatorCheckpointFeature, await coordinator.patch('/api/checkpoints/cp-contract', { properties: { phone: '0635-0000000' } }), 'PATCH /api/checkpoints/:id');

    const facility = zone(point(115.99, 36.46), { id: made.facility, kind: 'fever_clinic', name: '契约测试发热门诊', approximate: true });
    expectParses(S.SavedFacility, await admin.post('/api/facilities', facility), 'POST /api/facilities');
    expectParses(S.SavedFacility, await admin.put(`/api/facilities/${made.facility}`, facility), 'PUT /api/facilities/:id');

    const webhook = await admin.post('/api/admin/webhooks', { url: 'https://hooks.example.org/contract', area: { countyCode: '371502' } });
    expectParses(S.CreatedWebhook, webhook, 'POST /api/admin/webhooks');
    made.webhook = webhook.body.id;
    expectParses(S.ExpiryRunResult, await admin.post('/api/admin/expiry/run'), 'POST /api/admin/expiry/run');

    const other = await loginAs(server.url, 'designer2');
    expectParses(S.SessionsEnded, await admin.post('/api/admin/accounts/designer2/logout-all'), 'POST /api/admin/accounts/:username/logout-all');
    const again = await loginAs(server.url, 'designer2');
    expectParses(S.LogoutAllAnswer, await again.post('/api/auth/logout-all'), 'POST /api/auth/logout-all');
    expect((await other.get('/api/auth/me')).status).toBe(401);
    const login = await new Client(server.url).post('/api/auth/login', { username: 'coord1', password: 'test-password-1' });
    expectParses(S.SessionAnswer, login, 'POST /api/auth/login');
  });

  it('describes every public and staff GET endpoint', async () => {
    const yesterday = addDays(todayInShanghai(), -1);
    const reads: [pattern: string, path: string, client: Client, schema: z.ZodType][] = [
      ['/api/health', '/api/health', anon, S.Health],
      ['/api/config', '/api/config', anon, S.ServiceConfig],
      ['/api/regions', '/api/regions', anon, S.RegionCollection],
      ['/api/regions/outlines', '/api/regions/outlines', anon, S.RegionOutlines],
      ['/api/roads', '/api/roads', anon, S.RoadCollection],
      ['/api/facilities', '/api/facilities', anon, S.FacilityCollection],
      ['/api/facilities/:id', `/api/facilities/${made.facility}`, anon, S.FacilityFeature],
      ['/api/checkpoints', '/api/checkpoints', anon, S.CheckpointCollection],
      ['/api/public/zones', '/api/public/zones', anon, S.PublicZoneCollection],
      ['/api/public/zones', `/api/public/zones?asOf=${yesterday}`, anon, S.PublicZoneCollection],
      ['/api/public/zones', `/api/public/zones?asOf=${yesterday}&view=corrected`, anon, S.CorrectedZoneCollection],
      ['/api/public/lookup', '/api/public/lookup?lon=116.064&lat=36.934', anon, S.LookupResult],
      ['/api/public/lookup', '/api/public/lookup?lon=121.47&lat=31.23', anon, S.LookupResult],
      ['/api/public/search', `/api/public/search?q=${encodeURIComponent('契约测试')}`, anon, S.SearchResponse],
      ['/api/public/search', `/api/public/search?q=${encodeURIComponent('东昌府')}`, anon, S.SearchResponse],
      ['/api/public/publications', '/api/public/publications', anon, S.PublicationList],
      ['/api/public/bulletins', '/api/public/bulletins', anon, S.PublicationList],
      ['/api/public/publications/:id', `/api/public/publications/${made.publication}`, anon, S.Publication],
      ['/api/bulletins/:id', `/api/bulletins/${made.publication}`, anon, S.Publication],
      ['/api/auth/me', '/api/auth/me', designer, S.SessionAnswer],
      ['/api/bulletins', '/api/bulletins', designer, S.PublicationList],
      ['/api/zones', '/api/zones', designer, S.ZoneCollection],
      ['/api/zones/export', '/api/zones/export', designer, S.ZoneExport],
      ['/api/zones/:id', `/api/zones/${made.controlled}`, designer, S.ZoneFeature],
      ['/api/zones/:id/history', `/api/zones/${made.sealed}/history`, designer, S.ZoneHistory],
      ['/api/cases', '/api/cases', designer, S.CaseCollection],
      ['/api/dashboard', '/api/dashboard', designer, S.Dashboard],
      ['/api/coordinator/checkpoints', '/api/coordinator/checkpoints', coordinator, S.CoordinatorCheckpointCollection],
      ['/api/trucks', '/api/trucks', coordinator, S.TruckList],
      ['/api/trucks/:id', `/api/trucks/${made.truck}`, coordinator, S.Truck],
      ['/api/admin/audit', '/api/admin/audit', admin, S.AuditLog],
      ['/api/admin/webhooks', '/api/admin/webhooks', admin, S.WebhookList],
      ['/api/admin/webhooks/:id/deliveries', `/api/admin/webhooks/${made.webhook}/deliveries`, admin, S.WebhookDeliveries],
    ];
    for (const [pattern, path, client, schema] of reads) {
      const r = await client.get(path);
      expectParses(schema, r, `GET ${path}`);
      if (r.status === 200) read.add(pattern);
    }
  });

  it('describes refusals: one error body whose code is in the contract\'s table, with its status', async () => {
    const refusals: [what: string, answer: Promise<Answer>][] = [
      ['a property the schema refuses', designer.post('/api/zones', zone(square(116.3, 36.9, 0.003), { kind: 'nowhere', name: 'x' }))],
      ['a ring that is not closed', designer.post('/api/zones', zone({ type: 'Polygon', coordinates: [[[116.3, 36.9], [116.31, 36.9], [116.31, 36.91], [116.3, 36.91]]] }, { kind: 'sealed', name: 'x' }))],
      ['an unknown zone', designer.get('/api/zones/00000000-0000-4000-8000-000000000000')],
      ['no session', anon.get('/api/zones')],
      ['a role that may not', anon.post('/api/admin/expiry/run')],
    ];
    for (const [what, answer] of refusals) {
      const r = await answer;
      const parsed = S.ErrorBody.safeParse(r.body);
      expect(parsed.success, `${what}: ${r.text.slice(0, 200)}`).toBe(true);
      const code = r.body.error.code as keyof typeof ERRORS;
      expect(ERRORS[code], `${what}: ${code}`).toBe(r.status);
    }
  });

  it('fails an answer that does not match (the check itself works)', async () => {
    // A public zone lacks the designators' fields (version, reason, …): it must not pass as one.
    const map = await anon.get('/api/public/zones');
    expect(map.body.features.length).toBeGreaterThan(0);
    expect(S.ZoneFeature.safeParse(map.body.features[0]).success).toBe(false);
    expect(S.PublicZoneFeature.safeParse(map.body.features[0]).success).toBe(true);
  });

  it('leaves no GET endpoint of the application without a schema', () => {
    const gets = routeTable(createApp(server.ctx)).filter((r) => r.method === 'GET' && !NOT_CONTRACT_JSON.test(r.path));
    expect(gets.length).toBeGreaterThan(25);
    expect(gets.map((r) => r.path).filter((p) => !read.has(p))).toEqual([]);
  });
});
