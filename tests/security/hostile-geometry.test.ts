/**
 * Hostile and broken geometry sent through HTTP to every write path that takes geometry. Each
 * input must be refused with a 4xx, a stable code and a readable reason, never a 5xx, and nothing
 * may be stored. The corpus is the parser's fixture set (server/src/geo/fixtures) plus the inputs
 * that only exist on the wire (NaN literals, 1e999, WKT strings: tests/fixtures/hostile).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { createApp } from '../../server/src/app';
import { routeTable, isWrite, type RouteEntry } from './route-table';
import { inParallel } from './in-parallel';

const GEO_FIXTURES = 'server/src/geo/fixtures';
const HOSTILE_FIXTURES = 'tests/fixtures/hostile';

interface Case {
  name: string;
  /** The raw JSON text of the geometry, spliced into each body as is (so `1e999` and `NaN` survive). */
  text: string;
  code: string;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8').trim();

function corpus(target: 'zone' | 'point'): Case[] {
  const geo = JSON.parse(read(GEO_FIXTURES, 'expected.json')).fixtures as { file: string; parser: string; code: string | null; limits?: unknown }[];
  const hostile = JSON.parse(read(HOSTILE_FIXTURES, 'expected.json')).fixtures as { file: string; targets: string[]; code: string }[];
  return [
    ...geo
      // null-input is the bare value null: inside a Feature it is "geometry: null", a case of its own
      // (feature-geometry-null). Fixtures with their own limits are sent by limits.test.ts.
      // nesting-too-deep is too deep for the parser's default depth (8) but not for the API's
      // MAX_JSON_DEPTH (16); the API's depth limit is attacked below with 100 000 levels.
      .filter((f) => f.parser === target && f.code !== null && !f.limits && !['null-input.geojson', 'nesting-too-deep.geojson'].includes(f.file))
      .map((f) => ({ name: f.file, text: read(GEO_FIXTURES, f.file), code: f.code! })),
    ...hostile.filter((f) => f.targets.includes(target)).map((f) => ({ name: f.file, text: read(HOSTILE_FIXTURES, f.file), code: f.code })),
  ];
}

/** A square in central 东昌府区 (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** A closed ring of `n` distinct vertices on a small circle (n + 1 positions with the closing one). */
const circle = (n: number) => {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [115.98 + 0.01 * Math.cos(a), 36.45 + 0.01 * Math.sin(a)];
  });
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
};

const deeplyNested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Every table a write path could leave a trace in. */
const TABLES = ['zones', 'zone_history', 'zone_cases', 'cases', 'screenings', 'bulletins', 'bulletin_zones', 'checkpoints', 'facilities', 'trucks', 'truck_events', 'audit_log', 'webhook_subscriptions'];

/**
 * Write routes that take no geometry. Every other write route must appear in the geometry paths
 * below, so a new route that takes geometry cannot miss this corpus.
 */
const WITHOUT_GEOMETRY = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/logout-all',
  'POST /api/admin/accounts/:username/logout-all',
  'DELETE /api/zones/:id',
  'POST /api/zones/:id/lift',
  'POST /api/zones/:id/screenings',
  'POST /api/bulletins/preview',
  'POST /api/bulletins',
  'POST /api/admin/expiry/run',
  'DELETE /api/facilities/:id',
  'DELETE /api/checkpoints/:id',
  'POST /api/trucks/:id/events',
  'POST /api/trucks/:id/route',
  'DELETE /api/admin/webhooks/:id',
]);

describe.each(backends())('hostile geometry on every write path on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let admin: Client;
  let draftId: string;
  let checkpointId: string;
  let facilityId: string;
  let draftVersion: number;
  let table: RouteEntry[];

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = Number((await server.db.knex(t).count({ n: '*' }).first())!.n);
    return out;
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    admin = await loginAs(server.url, 'admin');
    const draft = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.97, 36.44, 0.004), properties: { kind: 'controlled', name: '靶子草稿' } });
    expect(draft.status, draft.text).toBe(201);
    draftId = draft.body.id;
    checkpointId = (await coordinator.get('/api/coordinator/checkpoints')).body.features[0].id;
    facilityId = (await admin.get('/api/facilities')).body.features[0].id;
    draftVersion = await versionOf(draftId);
    table = routeTable(createApp(server.ctx));
  });
  afterAll(async () => {
    await server?.close();
  });

  const versionOf = async (id: string) => (await designer.get(`/api/zones/${id}`)).body.properties.version as number;

  /** Each write path that takes geometry: how to wrap a geometry text into its body, and who may call it. */
  const geometryPaths = () => {
    const paths: {
      route: string;
      send: (geometryText: string) => Promise<{ status: number; body: any; text: string }>;
      target: 'zone' | 'point';
    }[] = [
      { route: 'POST /api/zones', target: 'zone', send: (g) => designer.post('/api/zones', `{"type":"Feature","geometry":${g},"properties":{"kind":"sealed","name":"恶意输入"}}`) },
      // A refused edit leaves the version alone (checked at the end), so the same If-Match stays current.
      { route: 'PATCH /api/zones/:id', target: 'zone', send: (g) => designer.patch(`/api/zones/${draftId}`, `{"geometry":${g}}`, { 'if-match': String(draftVersion) }) },
      { route: 'POST /api/cases', target: 'point', send: (g) => designer.post('/api/cases', `{"location":${g},"note":"恶意输入"}`) },
      { route: 'POST /api/checkpoints', target: 'point', send: (g) => coordinator.post('/api/checkpoints', `{"type":"Feature","geometry":${g},"properties":{"id":"cp-hostile","name":"x","road":"G105","direction":"in"}}`) },
      { route: 'PATCH /api/checkpoints/:id', target: 'point', send: (g) => coordinator.patch(`/api/checkpoints/${checkpointId}`, `{"geometry":${g}}`) },
      { route: 'POST /api/facilities', target: 'point', send: (g) => admin.post('/api/facilities', `{"type":"Feature","geometry":${g},"properties":{"id":"f-hostile","kind":"fever_clinic","name":"x"}}`) },
      { route: 'PUT /api/facilities/:id', target: 'point', send: (g) => admin.put(`/api/facilities/${facilityId}`, `{"type":"Feature","geometry":${g},"properties":{"kind":"fever_clinic","name":"x"}}`) },
      { route: 'POST /api/routes', target: 'point', send: (g) => coordinator.post('/api/routes', `{"from":${JSON.stringify(checkpointId)},"to":${g}}`) },
      {
        route: 'POST /api/trucks',
        target: 'point',
        send: (g) =>
          coordinator.post('/api/trucks', `{"plate":"鲁P12345","driverName":"测试","driverPhone":"13800000000","originCity":"济南","expectedArrival":"2022-11-20T08:00:00+08:00","destination":${g}}`),
      },
      // A webhook's area: a polygon, or a point with a radius.
      { route: 'POST /api/admin/webhooks', target: 'zone', send: (g) => admin.post('/api/admin/webhooks', `{"url":"https://hooks.example.org/h","area":{"polygon":${g}}}`) },
      { route: 'POST /api/admin/webhooks', target: 'point', send: (g) => admin.post('/api/admin/webhooks', `{"url":"https://hooks.example.org/h","area":{"point":${g},"radiusMeters":100}}`) },
      {
        route: 'POST /api/zones/import',
        target: 'zone',
        send: (g) => designer.post('/api/zones/import', `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":${g},"properties":{"kind":"sealed","name":"x"}}]}`),
      },
    ];
    const routes = new Set(table.map((r) => `${r.method} ${r.path}`));
    return paths.filter((p) => routes.has(p.route));
  };

  it('knows every write route: each takes no geometry or is among the paths this file attacks', () => {
    const attacked = new Set(geometryPaths().map((p) => p.route));
    const unknown = table
      .filter(isWrite)
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !WITHOUT_GEOMETRY.has(r) && !attacked.has(r));
    expect(unknown, 'classify these write routes in hostile-geometry.test.ts').toEqual([]);
  });

  it('refuses every input of the corpus on every path with its stable code and a reason, and stores nothing', async () => {
    const before = await counts();
    const sends = geometryPaths().flatMap((p) => corpus(p.target).map((c) => ({ p, c })));
    expect(sends.length).toBeGreaterThan(400);
    const failures: string[] = [];
    await inParallel(sends, 6, async ({ p, c }) => {
      const r = await p.send(c.text);
      const code: string | undefined = r.body?.error?.code;
      // An import names the refused feature and its code inside one collection-level error.
      const featureCode: string | undefined = r.body?.error?.details?.errors?.[0]?.code;
      const ok = r.status === 400 && (code === c.code || (p.route.endsWith('/import') && featureCode === c.code)) && r.body.error.message.length > 10;
      if (!ok) failures.push(`${p.route} ${c.name}: expected 400 ${c.code}, got ${r.status} ${r.text.slice(0, 160)}`);
    });
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await versionOf(draftId)).toBe(draftVersion);
  });

  it('refuses broken Features sent whole as a zone, with their stable codes, and stores nothing', async () => {
    const before = await counts();
    const features = (JSON.parse(read(GEO_FIXTURES, 'expected.json')).fixtures as { file: string; parser: string; code: string | null }[])
      .filter((f) => f.parser === 'feature:zone' && f.code !== null);
    expect(features.length).toBeGreaterThan(5);
    for (const f of features) {
      const r = await designer.post('/api/zones', read(GEO_FIXTURES, f.file));
      expect([r.status, r.body?.error?.code], f.file).toEqual([400, f.code]);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses JSON nested 100 000 deep on every geometry path without exhausting the stack', async () => {
    const before = await counts();
    for (const p of geometryPaths()) {
      const r = await p.send(deeplyNested(100_000));
      expect(r.status, `${p.route}: ${r.text.slice(0, 200)}`).toBe(400);
      expect(r.body.error.code === 'geojson_nesting_too_deep' || r.body.error.details?.errors?.[0]?.code === 'geojson_nesting_too_deep').toBe(true);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a zone with more vertices than MAX_ZONE_VERTICES (10 000 by default)', async () => {
    const before = await counts();
    const tooMany = await designer.post('/api/zones', { type: 'Feature', geometry: circle(10_000), properties: { kind: 'sealed', name: '顶点过多' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'geometry_too_many_vertices', details: { maxVertices: 10_000 } });
    expect(await counts()).toEqual(before);
  });

  it('normalises the winding of rings instead of refusing it (RFC 7946 §3.1.6), in the response and in PostGIS', async () => {
    const clockwise = JSON.parse(read(GEO_FIXTURES, 'valid-clockwise-outer-ring.geojson'));
    const r = await designer.post('/api/zones', { type: 'Feature', geometry: clockwise, properties: { kind: 'precaution', name: '顺时针外环' } });
    expect(r.status, r.text).toBe(201);
    const ring: number[][] = r.body.geometry.coordinates[0][0];
    expect(signedArea(ring)).toBeGreaterThan(0);
    const withHole = JSON.parse(read(GEO_FIXTURES, 'valid-counter-clockwise-hole.geojson'));
    const h = await designer.post('/api/zones', { type: 'Feature', geometry: withHole, properties: { kind: 'precaution', name: '逆时针内环' } });
    expect(h.status, h.text).toBe(201);
    expect(signedArea(h.body.geometry.coordinates[0][0])).toBeGreaterThan(0);
    expect(signedArea(h.body.geometry.coordinates[0][1])).toBeLessThan(0);
    const stored = await server.db.knex('zones').whereIn('id', [r.body.id, h.body.id]).select(server.db.knex.raw('ST_IsPolygonCCW(geom) AS ccw'));
    expect(stored.map((s: { ccw: boolean }) => s.ccw)).toEqual([true, true]);
  });

  it('drops repeated consecutive positions instead of refusing them', async () => {
    const dup = JSON.parse(read(GEO_FIXTURES, 'valid-duplicate-consecutive-points.geojson'));
    const r = await designer.post('/api/zones', { type: 'Feature', geometry: dup, properties: { kind: 'precaution', name: '重复点' } });
    expect(r.status, r.text).toBe(201);
    const ring: number[][] = r.body.geometry.coordinates[0][0];
    for (let i = 1; i < ring.length; i++) expect(ring[i]).not.toEqual(ring[i - 1]);
  });

  it('takes a "__proto__" member as plain data: the zone is stored and no prototype is polluted', async () => {
    const text = read(HOSTILE_FIXTURES, 'valid-polygon-with-proto-member.geojson');
    const r = await designer.post('/api/zones', `{"type":"Feature","geometry":${text},"properties":{"kind":"precaution","name":"原型","__proto__":{"isAdmin":true}}}`);
    expect(r.status, r.text).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(r.body.properties.name).toBe('原型');
  });
});

/** Twice the signed area of a ring (shoelace): positive when counter-clockwise. */
function signedArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}
