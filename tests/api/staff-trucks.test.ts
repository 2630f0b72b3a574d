/**
 * The coordinator's answers over real HTTP: a route (and a truck's planned route) names the
 * strictest zone its destination or start lies in, and the truck list carries each truck's
 * hand-over register with who recorded every step and when.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';

const box = (lon: number, lat: number, half: number) => [
  [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
];

/** A delivery address west of the city centre (a building, not a road). */
const ADDRESS: [number, number] = [115.952, 36.432];

describe.each(backends())('coordinator answers on %s', (backend) => {
  let server: TestServer;
  let coordinator: Client;
  let designer: Client;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    coordinator = await loginAs(server.url, 'coord1');
    designer = await loginAs(server.url, 'designer1');
    admin = await loginAs(server.url, 'admin');
  });
  afterAll(async () => {
    await server?.close();
  });

  const publishZones = async (zones: { kind: string; name: string; ring: number[][] }[]) => {
    const ids: string[] = [];
    for (const { kind, name, ring } of zones) {
      const z = await designer.post('/api/zones', { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { kind, name } });
      expect(z.status, z.text).toBe(201);
      ids.push(z.body.id);
    }
    const b = await designer.post('/api/bulletins', { zoneIds: ids, title: '关于划定风险区域的通告' });
    expect(b.status, b.text).toBe(201);
    return ids;
  };
  const reportTruck = (plate: string, destination: [number, number], checkpointId = 'cp-01') =>
    coordinator.post('/api/trucks', {
      plate, driverName: '赵师傅', driverPhone: '13600000000', originCity: '石家庄',
      destination: { type: 'Point', coordinates: destination }, expectedArrival: '2026-11-23T08:00:00+08:00', checkpointId,
    });

  it('names the sealed zone a destination lies in, not the controlled zone around it', async () => {
    // A sealed building (no road inside it) within a controlled compound the route has to drive into.
    const [sealedId, controlledId] = await publishZones([
      { kind: 'sealed', name: '目的地楼栋封控区', ring: box(ADDRESS[0], ADDRESS[1], 0.0003) },
      { kind: 'controlled', name: '目的地小区管控区', ring: box(ADDRESS[0], ADDRESS[1], 0.008) },
    ]);
    const r = await coordinator.post('/api/routes', { from: 'cp-01', to: { type: 'Point', coordinates: ADDRESS } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.properties.destinationZone).toEqual({ id: sealedId, kind: 'sealed', name: '目的地楼栋封控区' });
    expect(r.body.properties.originZone).toBeNull();
    expect(r.body.properties.enteredZones.map((z: { id: string }) => z.id)).toContain(controlledId);
    // The message leads with the sealed zone the truck is going into.
    expect(r.body.properties.message.zh).toMatch(/^目的地位于封控区「目的地楼栋封控区」内/);
    expect(r.body.properties.message.en).toMatch(/^The destination lies inside the sealed zone "目的地楼栋封控区"/);

    // A truck reported to the same address is told the same, and keeps it with its planned route.
    const truck = await reportTruck('鲁P·20001', ADDRESS);
    expect(truck.status, truck.text).toBe(201);
    expect(truck.body.truck.route.properties.destinationZone.id).toBe(sealedId);
    const listed = (await coordinator.get('/api/trucks')).body.find((t: { id: string }) => t.id === truck.body.truck.id);
    expect(listed.route.properties.destinationZone.id).toBe(sealedId);
  });

  it('names a precaution zone at the destination although routes do not avoid it, and no zone where there is none', async () => {
    const address: [number, number] = [115.93, 36.47];
    const [precautionId] = await publishZones([{ kind: 'precaution', name: '目的地防范区', ring: box(address[0], address[1], 0.01) }]);
    const inside = await coordinator.post('/api/routes', { from: 'cp-01', to: { type: 'Point', coordinates: address } });
    expect(inside.status, inside.text).toBe(200);
    expect(inside.body.properties.destinationZone).toMatchObject({ id: precautionId, kind: 'precaution' });
    expect(inside.body.properties.enteredZones).toEqual([]);
    expect(inside.body.properties.message.zh).toContain('防范区「目的地防范区」');

    const outside = await coordinator.post('/api/routes', { from: 'cp-01', to: { type: 'Point', coordinates: [115.985, 36.455] } });
    expect(outside.status, outside.text).toBe(200);
    expect(outside.body.properties.destinationZone).toBeNull();
    expect(outside.body.properties.message).toBeNull();
  });

  it('lists every truck with its hand-over register: each step with who recorded it and when', async () => {
    const before = Date.now();
    const reported = await reportTruck('鲁A·20002', [115.985, 36.455], 'cp-02');
    expect(reported.status, reported.text).toBe(201);
    const id = reported.body.truck.id;
    expect((await coordinator.post(`/api/trucks/${id}/events`, { state: 'arrived', note: '核酸阴性' })).status).toBe(201);
    expect((await admin.post(`/api/trucks/${id}/events`, { state: 'en_route' })).status).toBe(201);
    const after = Date.now();

    const list = await coordinator.get('/api/trucks');
    expect(list.status, list.text).toBe(200);
    const truck = list.body.find((t: { id: string }) => t.id === id);
    expect(truck.events.map((e: { state: string; by: string; note: string }) => [e.state, e.by, e.note])).toEqual([
      ['reported', 'coord1', ''],
      ['arrived', 'coord1', '核酸阴性'],
      ['en_route', 'admin', ''],
    ]);
    const instants = truck.events.map((e: { at: string }) => e.at);
    for (const at of instants) {
      expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // The database's clock and this process's are the same machine's; a second either side.
      expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(at)).toBeLessThanOrEqual(after + 1000);
    }
    expect([...instants].sort()).toEqual(instants);
    // The list's register is the one a single truck's answer has.
    expect((await coordinator.get(`/api/trucks/${id}`)).body.events).toEqual(truck.events);
  });
});
