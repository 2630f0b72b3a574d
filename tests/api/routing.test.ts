import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanIntersects } from '@turf/turf';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

const CITY_CENTRE = [115.985, 36.455];
const box = (lon: number, lat: number, half: number) => [
  [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
];

describe.each(backends())('truck routing on %s', (backend) => {
  let server: TestServer;
  let coordinator: Client;
  let designer: Client;
  let anon: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    coordinator = await loginAs(server.url, 'coord1');
    designer = await loginAs(server.url, 'designer1');
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const publishZone = async (kind: string, name: string, coordinates: number[][][]) => {
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties: { kind, name } });
    expect(z.status, z.text).toBe(201);
    const b = await designer.post('/api/bulletins', { zoneIds: [z.body.id], title: `划定${name}` });
    expect(b.status, b.text).toBe(201);
    return z.body;
  };
  const route = (body: unknown) => coordinator.post('/api/routes', body);

  it('routes from a checkpoint to a point in the city with distance, time and road names', async () => {
    const r = await route({ from: 'cp-01', to: { type: 'Point', coordinates: CITY_CENTRE } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.geometry.type).toBe('LineString');
    expect(r.body.properties.distanceMeters).toBeGreaterThan(10_000);
    expect(r.body.properties.durationSeconds).toBeGreaterThan(0);
    expect(r.body.properties.roadNames.length).toBeGreaterThan(1);
    expect(r.body.properties.from.checkpointId).toBe('cp-01');
  });

  it('is for coordinators only', async () => {
    expect((await anon.post('/api/routes', { from: 'cp-01', to: { type: 'Point', coordinates: CITY_CENTRE } })).status).toBe(401);
    expect((await designer.post('/api/routes', { from: 'cp-01', to: { type: 'Point', coordinates: CITY_CENTRE } })).status).toBe(403);
  });

  it('goes around a sealed zone published on its way, and flags a truck whose planned route it cuts', async () => {
    const report = await coordinator.post('/api/trucks', {
      plate: '鲁P·12345', driverName: '张师傅', driverPhone: '13800000000', originCity: '上海', fromHighRiskArea: true,
      destination: { type: 'Point', coordinates: CITY_CENTRE }, expectedArrival: '2026-11-23T08:00:00+08:00', checkpointId: 'cp-01',
    });
    expect(report.status, report.text).toBe(201);
    const truck = report.body.truck;
    expect(truck.routeFlag).toBeNull();
    const line = truck.route.geometry.coordinates as number[][];
    // A sealed zone over a point in the middle of the planned route.
    const [lon, lat] = line[Math.floor(line.length / 2)];
    const zone = await publishZone('sealed', '路线上的封控区', [box(lon, lat, 0.003)]);
    const flagged = await coordinator.get(`/api/trucks/${truck.id}`);
    expect(flagged.body.routeFlag.zones.map((z: any) => z.id)).toContain(zone.id);
    const again = await route({ from: 'cp-01', to: { type: 'Point', coordinates: CITY_CENTRE } });
    expect(again.status, again.text).toBe(200);
    expect(booleanIntersects(again.body.geometry, { type: 'Polygon', coordinates: [box(lon, lat, 0.003)] })).toBe(false);
    expect(again.body.properties.avoidedZones.map((z: any) => z.id)).toContain(zone.id);
    const replanned = await coordinator.post(`/api/trucks/${truck.id}/route`);
    expect(replanned.status, replanned.text).toBe(200);
    expect(replanned.body.routeFlag).toBeNull();
  });

  it('enters only the destination zone for a delivery into a sealed area, and says so', async () => {
    const target = [115.95, 36.43];
    const zone = await publishZone('sealed', '送货目的地封控区', [box(target[0], target[1], 0.01)]);
    const r = await route({ from: 'cp-01', to: { type: 'Point', coordinates: target } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.properties.enteredZones.map((z: any) => z.id)).toEqual([zone.id]);
    expect(r.body.properties.message.en).toMatch(/enters only/);
  });

  it('answers 422 naming the zones that cut the way when no route exists', async () => {
    const target = [116.02, 36.47];
    const ring = { outer: box(target[0], target[1], 0.02), hole: box(target[0], target[1], 0.006).reverse() };
    const zone = await publishZone('controlled', '环形管控区', [ring.outer, ring.hole]);
    const r = await route({ from: 'cp-01', to: { type: 'Point', coordinates: target } });
    expect(r.status, r.text).toBe(422);
    expect(r.body.error.code).toBe('route_not_found');
    expect(r.body.error.details.blockingZones.map((z: any) => z.id)).toContain(zone.id);
  });

  it('chooses the checkpoint with the shortest route when asked to', async () => {
    const r = await coordinator.post('/api/trucks', {
      plate: '冀D·88888', driverName: '李师傅', driverPhone: '13900000000', originCity: '邯郸',
      destination: { type: 'Point', coordinates: [115.45, 36.49] }, expectedArrival: '2026-11-23T09:00:00+08:00', checkpointId: null,
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.truck.checkpointChosenByService).toBe(true);
    const chosen = r.body.truck.route.properties.durationSeconds;
    const other = await route({ from: 'cp-01', to: { type: 'Point', coordinates: [115.45, 36.49] } });
    expect(chosen).toBeLessThanOrEqual(other.body.properties.durationSeconds);
  });

  it('keeps the hand-over register in order, with who and when', async () => {
    const r = await coordinator.post('/api/trucks', {
      plate: '鲁A·00001', driverName: '王师傅', driverPhone: '13700000000', originCity: '济南',
      destination: { type: 'Point', coordinates: CITY_CENTRE }, expectedArrival: '2026-11-23T10:00:00+08:00', checkpointId: 'cp-02',
    });
    const id = r.body.truck.id;
    expect((await coordinator.post(`/api/trucks/${id}/events`, { state: 'en_route' })).status).toBe(409);
    for (const state of ['arrived', 'en_route', 'handed_over']) {
      const step = await coordinator.post(`/api/trucks/${id}/events`, { state, note: `${state} ok` });
      expect(step.status, step.text).toBe(201);
    }
    const t = await coordinator.get(`/api/trucks/${id}`);
    expect(t.body.state).toBe('handed_over');
    expect(t.body.events.map((e: any) => e.state)).toEqual(['reported', 'arrived', 'en_route', 'handed_over']);
    expect(t.body.events.every((e: any) => e.by === 'coord1' && e.at)).toBe(true);
  });

  it('never shows drivers to the public', async () => {
    for (const path of ['/api/checkpoints', '/api/public/zones', '/ogc/collections/checkpoints/items?limit=100']) {
      const r = await anon.get(path);
      expect(r.text).not.toMatch(/张师傅|13800000000|鲁P·12345/);
    }
  });

  it('refuses bad route input with 400 and an unknown checkpoint with 404', async () => {
    expect((await route({ from: 'cp-01', to: { type: 'Point', coordinates: [200, 36] } })).status).toBe(400);
    expect((await route({ from: 'cp-01', to: { type: 'Point', coordinates: CITY_CENTRE }, avoid: ['everything'] })).status).toBe(400);
    expect((await route({ from: 'cp-nope', to: { type: 'Point', coordinates: CITY_CENTRE } })).status).toBe(404);
  });
});
