/**
 * Public endpoints never reveal drafts, pending edits, cases, accounts or drivers' personal data
 * (OWASP API3: excessive data exposure). Unique markers are planted in every private text (a draft's
 * name, a pending edit, a case note, a truck's plate, driver and phone, a checkpoint leader's name
 * and phone, the acting account's name), then every public GET route of the app (walked from its
 * route table) is called with every plausible parameter, and no answer may contain any marker.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, TEST_PASSWORD } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { createApp } from '../../server/src/app';
import { todayInShanghai } from '../../contract/dates';
import { fillPath, routeTable } from './route-table';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** The XYZ tile holding a point at zoom z (Web Mercator). */
const tileOf = (lon: number, lat: number, z: number) => {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
};

describe.each(backends())('public endpoints reveal nothing private on %s', (backend) => {
  let server: TestServer;
  const marker = `MK${crypto.randomBytes(4).toString('hex')}`;
  const digits = String(crypto.randomInt(10_000_000, 99_999_999));
  const username = `leak-${marker.toLowerCase()}`;
  const privateTexts: Record<string, string> = {
    accountName: username,
    draftName: `${marker}-draft-name`,
    draftReason: `${marker}-draft-reason`,
    publishedReason: `${marker}-published-reason`,
    pendingName: `${marker}-pending-name`,
    pendingReason: `${marker}-pending-reason`,
    caseNote: `${marker}-case-note`,
    plate: `鲁P${marker}`,
    driverName: `${marker}-driver`,
    driverPhone: `139${digits}`,
    originCity: `${marker}-origin`,
    destinationAddress: `${marker}-address`,
    truckEventNote: `${marker}-event-note`,
    pointLeader: `${marker}-leader`,
    checkpointPhone: `0635-${digits}-9`,
    passwordHash: '$argon2',
  };
  const ids: Record<string, string[]> = {};
  let publishedId: string;
  let publishedName: string;
  let sessionCookie: string;
  let designer: Client;
  let coordinator: Client;

  beforeAll(async () => {
    server = await startTestServer(backend);
    await server.ctx.services.accounts.create(username, TEST_PASSWORD, 'designator');
    designer = await loginAs(server.url, username);
    sessionCookie = designer.cookie.split('=')[1];
    coordinator = await loginAs(server.url, 'coord1');
    const t = privateTexts;

    const draft = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.97, 36.44, 0.004), properties: { kind: 'sealed', name: t.draftName, reason: t.draftReason } });
    expect(draft.status, draft.text).toBe(201);
    publishedName = `公开管控区${marker.slice(-4)}`;
    const pub = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.99, 36.44, 0.01), properties: { kind: 'controlled', name: publishedName, reason: t.publishedReason } });
    publishedId = pub.body.id;
    const bulletin = await designer.post('/api/bulletins', { zoneIds: [publishedId], title: '关于划定管控区的通告' });
    expect(bulletin.status, bulletin.text).toBe(201);
    const version = (await designer.get(`/api/zones/${publishedId}`)).body.properties.version;
    const pending = await designer.patch(
      `/api/zones/${publishedId}`,
      { geometry: square(115.985, 36.435, 0.02), properties: { name: t.pendingName, reason: t.pendingReason } },
      { 'if-match': String(version) },
    );
    expect(pending.status, pending.text).toBe(200);
    const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.995, 36.445] }, note: t.caseNote });
    expect(c.status, c.text).toBe(201);

    const checkpoints = (await coordinator.get('/api/coordinator/checkpoints')).body.features;
    const cp = await coordinator.patch(`/api/checkpoints/${checkpoints[0].id}`, { properties: { pointLeader: t.pointLeader, phone: t.checkpointPhone } });
    expect(cp.status, cp.text).toBe(200);
    const truck = await coordinator.post('/api/trucks', {
      plate: t.plate,
      driverName: t.driverName,
      driverPhone: t.driverPhone,
      originCity: t.originCity,
      destination: { type: 'Point', coordinates: [115.98, 36.45] },
      destinationAddress: t.destinationAddress,
      expectedArrival: '2022-11-20T08:00:00+08:00',
      checkpointId: checkpoints[0].id,
    });
    expect(truck.status, truck.text).toBe(201);
    const ev = await coordinator.post(`/api/trucks/${truck.body.truck.id}/events`, { state: 'arrived', note: t.truckEventNote });
    expect(ev.status, ev.text).toBe(201);

    const anon = new Client(server.url);
    const facilities = (await anon.get('/api/facilities')).body.features.map((f: { id: string }) => f.id);
    ids.id = [facilities[0], String(bulletin.body.id), draft.body.id, publishedId, truck.body.truck.id, String(c.body.case.id)];
    ids.collectionId = ['zones', 'checkpoints', 'facilities'];
    ids.featureId = [draft.body.id, publishedId, checkpoints[0].id, truck.body.truck.id, String(c.body.case.id)];
    ids.fontstack = ['Noto Sans Regular'];
    ids.range = ['0-255'];
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The query strings worth trying on a public route, beyond none. */
  const queriesFor = (path: string): string[] => {
    if (path === '/api/public/zones') return ['', `?asOf=${todayInShanghai()}`];
    if (path === '/api/public/lookup') return ['?lon=115.972&lat=36.442', '?lon=115.995&lat=36.445', '?lon=116.0&lat=36.45'];
    if (path.endsWith('/items')) return ['', '?limit=10000', '?bbox=115.9,36.4,116.1,36.5&limit=10000'];
    return [''];
  };

  /** Every concrete URL of a path pattern: one per combination of candidate parameter values. */
  const urlsFor = (path: string): string[] => {
    const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    let combos: Record<string, string>[] = [{}];
    for (const name of names) {
      if (name === 'z' || name === 'x' || name === 'y') continue;
      combos = combos.flatMap((c) => (ids[name] ?? ['unknown']).map((v) => ({ ...c, [name]: v })));
    }
    if (names.includes('z')) {
      const tiles = [tileOf(115.972, 36.442, 12), tileOf(115.972, 36.442, 15), tileOf(115.995, 36.445, 14)];
      combos = combos.flatMap((c) => tiles.map((t) => ({ ...c, z: String(t.z), x: String(t.x), y: String(t.y) })));
    }
    return combos.flatMap((c) => queriesFor(path).map((q) => fillPath(path, c) + q));
  };

  it('plants markers that the logged-in views do show (so their absence below means something)', async () => {
    const zones = (await designer.get('/api/zones')).text;
    for (const k of ['draftName', 'draftReason', 'publishedReason', 'pendingName', 'pendingReason', 'accountName']) expect(zones, k).toContain(privateTexts[k]);
    expect((await designer.get('/api/cases')).text).toContain(privateTexts.caseNote);
    const trucks = (await coordinator.get('/api/trucks')).text;
    for (const k of ['plate', 'driverName', 'driverPhone', 'originCity', 'destinationAddress']) expect(trucks, k).toContain(privateTexts[k]);
    const checkpoints = (await coordinator.get('/api/coordinator/checkpoints')).text;
    for (const k of ['pointLeader', 'checkpointPhone']) expect(checkpoints, k).toContain(privateTexts[k]);
  });

  it('leaks no marker from any public GET route, and the public map still shows the published zone', async () => {
    const publicRoutes = routeTable(createApp(server.ctx)).filter((r) => r.method === 'GET' && !r.requiredRoles);
    expect(publicRoutes.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    let answered = 0;
    for (const route of publicRoutes) {
      for (const url of urlsFor(route.path)) {
        const res = await fetch(server.url + url);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(res.status, url).toBeLessThan(500);
        if (res.status === 200) answered++;
        for (const [what, text] of Object.entries({ ...privateTexts, sessionToken: sessionCookie })) {
          if (bytes.includes(Buffer.from(text))) leaks.push(`${url} reveals ${what}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(answered).toBeGreaterThan(20);
    const map = await new Client(server.url).get('/api/public/zones');
    const shown = map.body.features.find((f: { id: string }) => f.id === publishedId);
    expect(shown.properties.name).toBe(publishedName);
  });

  it('shows no draft, pending geometry or case in the public lookup at their places', async () => {
    const anon = new Client(server.url);
    const atDraft = await anon.get('/api/public/lookup?lon=115.972&lat=36.442');
    expect(atDraft.body.zones).toEqual([]);
    // Inside the pending geometry but outside the published one: the pending edit is not in force.
    const atPendingOnly = await anon.get('/api/public/lookup?lon=116.003&lat=36.453');
    expect(atPendingOnly.body.zones.map((z: { id: string }) => z.id)).not.toContain(publishedId);
    const inPublished = await anon.get('/api/public/lookup?lon=115.995&lat=36.445');
    expect(inPublished.body.zones.map((z: { id: string }) => z.id)).toContain(publishedId);
  });
});
