import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

const square = (lon: number, lat: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe.each(backends())('foundation on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reports health with the database kind and the PostGIS version', async () => {
    const r = await anon.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.database).toBe(backend);
    expect(r.body.postgis).toMatch(/^3\.\d+/);
  });

  it('serves the eight county-level divisions of Liaocheng as GeoJSON', async () => {
    const r = await anon.get('/api/regions');
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('FeatureCollection');
    const names = r.body.features.map((f: any) => f.properties.name);
    expect(names).toHaveLength(8);
    expect(names).toEqual(expect.arrayContaining(['东昌府区', '临清市', '高唐县', '冠县', '莘县', '阳谷县', '东阿县']));
    for (const f of r.body.features) expect(f.geometry.type).toBe('MultiPolygon');
  });

  it('serves the counties as simplified SVG paths in Web Mercator metres for the phone overview', async () => {
    const [outlines, regions] = await Promise.all([anon.get('/api/regions/outlines'), anon.get('/api/regions')]);
    expect(outlines.status).toBe(200);
    expect(outlines.body.regions.map((r: any) => r.code)).toEqual(regions.body.features.map((f: any) => f.properties.code));
    const half = Math.PI * 6378137;
    for (const region of outlines.body.regions) {
      const feature = regions.body.features.find((f: any) => f.properties.code === region.code);
      expect(region.name).toBe(feature.properties.name);
      expect(region.seat).toEqual(feature.properties.seat);
      // Absolute moves, then relative lines: walk the path back to longitude and latitude.
      const tokens = region.path.trim().split(/\s+/);
      let x = 0;
      let y = 0;
      let mode = 'M';
      let vertices = 0;
      const lons: number[] = [];
      const lats: number[] = [];
      for (let i = 0; i < tokens.length; ) {
        if (/^[MmLlZz]$/.test(tokens[i])) {
          mode = tokens[i++];
          continue;
        }
        const dx = Number(tokens[i++]);
        const dy = Number(tokens[i++]);
        if (mode === 'M') [x, y] = [dx, dy];
        else [x, y] = [x + dx, y + dy];
        vertices += 1;
        lons.push((x / half) * 180);
        lats.push(((2 * Math.atan(Math.exp(-y / 6378137)) - Math.PI / 2) * 180) / Math.PI);
      }
      const ring = feature.geometry.coordinates.flat(2) as [number, number][];
      const [west, east] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
      const [south, north] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
      // Within the county's own box (give or take the 80 m of simplification), and simpler.
      expect(Math.min(...lons)).toBeGreaterThan(west - 0.002);
      expect(Math.max(...lons)).toBeLessThan(east + 0.002);
      expect(Math.min(...lats)).toBeGreaterThan(south - 0.002);
      expect(Math.max(...lats)).toBeLessThan(north + 0.002);
      expect(Math.max(...lons) - Math.min(...lons)).toBeGreaterThan(0.9 * (east - west));
      expect(vertices).toBeGreaterThan(20);
      expect(vertices).toBeLessThan(ring.length);
    }
  });

  it('serves the ten designated hospitals of seed 000 with their exact addresses and phones', async () => {
    const r = await anon.get('/api/facilities?kind=designated_hospital');
    expect(r.status).toBe(200);
    expect(r.body.features).toHaveLength(10);
    const byName = new Map(r.body.features.map((f: any) => [f.properties.name, f.properties]));
    expect(byName.get('聊城市人民医院')).toMatchObject({ address: '聊城市东昌府区东昌西路67号', phone: '0635-8276627' });
    expect(byName.get('莘县人民医院')).toMatchObject({ address: '莘县幸福街303号', phone: '0635--7321046' });
    for (const f of r.body.features) expect(typeof f.properties.approximate).toBe('boolean');
  });

  it('serves checkpoints publicly without point leaders or phones', async () => {
    const r = await anon.get('/api/checkpoints');
    expect(r.status).toBe(200);
    expect(r.body.features.length).toBeGreaterThan(10);
    for (const f of r.body.features) {
      expect(f.geometry.type).toBe('Point');
      expect(f.properties).not.toHaveProperty('pointLeader');
      expect(f.properties).not.toHaveProperty('phone');
    }
  });

  it('answers unknown API routes with 404 JSON', async () => {
    const r = await anon.get('/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('route_unknown');
  });

  it('answers an oversized body with 413 and a malformed one with 400, without a stack trace', async () => {
    const big = await anon.post('/api/auth/login', { username: 'x', password: 'y'.repeat(3 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const bad = await anon.request('POST', '/api/auth/login', '{"username": ', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_json');
    expect(bad.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('logs in, tells who is logged in, and logs out', async () => {
    const c = await loginAs(server.url, 'designer1');
    const me = await c.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ username: 'designer1', role: 'designator' });
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const a = await anon.post('/api/auth/login', { username: 'designer1', password: 'wrong-password' });
    const b = await anon.post('/api/auth/login', { username: 'nobody-here', password: 'wrong-password' });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toEqual(b.body);
  });

  it('sets an httpOnly SameSite=Strict session cookie', async () => {
    const r = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'coord1', password: 'test-password-1' }),
    });
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  describe('invalid geometry is refused with 400 and a reason on every write path', () => {
    const bowtie = { type: 'Polygon', coordinates: [[[116, 36.4], [116.01, 36.41], [116.01, 36.4], [116, 36.41], [116, 36.4]]] };
    const outside = { type: 'Point', coordinates: [121.47, 31.23] };

    it('zones', async () => {
      const c = await loginAs(server.url, 'designer1');
      const r = await c.post('/api/zones', { type: 'Feature', geometry: bowtie, properties: { kind: 'sealed', name: 'bowtie' } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toMatch(/self_intersect|geometry_invalid/);
      expect(r.body.error.message.length).toBeGreaterThan(10);
      const list = await c.get('/api/zones');
      expect(list.body.features.some((f: any) => f.properties.name === 'bowtie')).toBe(false);
    });

    it('cases', async () => {
      const c = await loginAs(server.url, 'designer1');
      const r = await c.post('/api/cases', { location: outside });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toMatch(/outside_service_area/);
    });

    it('checkpoints', async () => {
      const c = await loginAs(server.url, 'coord1');
      const r = await c.post('/api/checkpoints', { type: 'Feature', geometry: { type: 'Point', coordinates: ['116', 36.4] }, properties: { id: 'cp-x', name: 'x', road: 'G105', direction: 'in' } });
      expect(r.status).toBe(400);
      expect((await anon.get('/api/checkpoints')).body.features.some((f: any) => f.properties.id === 'cp-x')).toBe(false);
    });

    it('facilities', async () => {
      const c = await loginAs(server.url, 'admin');
      const r = await c.post('/api/facilities', { type: 'Feature', geometry: square(116, 36.4), properties: { id: 'f-x', kind: 'fever_clinic', name: 'x' } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('geometry_type_not_allowed');
    });
  });
});
