import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

/** A square (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** 古楼街道's code (geodata/townships.json); the seed's hotline table calls it 古楼街道办事处. */
const GULOU = '371502001';
/** A township of 莘县, whose hotlines the seed does not list. */
const YANTA = '371522001';

describe.each(backends())('"am I in a zone?" on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer(backend);
    anon = new Client(server.url);
    const designer = await loginAs(server.url, 'designer1');
    // Created largest first, so index order is not the answer's order: two sealed zones, one
    // inside the other, inside a controlled zone; a precaution zone far to the east.
    const zones = [
      ['controlled', '外圈管控区', square(115.9, 36.4, 0.02)],
      ['sealed', '大封控区', square(115.905, 36.405, 0.008)],
      ['sealed', '小封控区', square(115.907, 36.407, 0.002)],
      ['precaution', '东边防范区', square(116.0, 36.4, 0.01)],
    ] as const;
    for (const [kind, name, geometry] of zones) {
      const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind, name, reason: 'API 测试' } });
      expect(r.status, r.text).toBe(201);
      ids[name] = r.body.id;
    }
    const published = await designer.post('/api/bulletins', { zoneIds: Object.values(ids), title: '关于划定测试风险区域的通告' });
    expect(published.status, published.text).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a point from memory with the very text of the full lookup, inside, between and outside zones', async () => {
    const svc = server.ctx.services.public;
    await svc.lookup({ lon: 115.908, lat: 36.408, crs: 'wgs84' });
    const points: { lon: number; lat: number; crs: 'wgs84' | 'gcj02' }[] = [{ lon: 116.4, lat: 39.9, crs: 'wgs84' }];
    for (let lon = 115.85; lon <= 116.05; lon += 0.0025) for (let lat = 36.38; lat <= 36.44; lat += 0.0025) points.push({ lon, lat, crs: lon > 116 ? 'gcj02' : 'wgs84' });
    const kinds = new Set<string>();
    for (const p of points) {
      const text = svc.lookupText(p);
      expect(text, `${p.lon},${p.lat}`).not.toBeNull();
      expect(text).toBe(JSON.stringify(await svc.lookup(p)));
      const answer = JSON.parse(text!);
      kinds.add(`${answer.inServiceArea}:${answer.zones.length}:${answer.nearestZones.length > 0}`);
    }
    // The grid met every case: outside Liaocheng, in no zone (nearest zones named), in one, two and three zones.
    expect([...kinds].sort()).toEqual(['false:0:false', 'true:0:true', 'true:1:false', 'true:2:false', 'true:3:false']);
    // And the HTTP answer (the fast path) is that text.
    const r = await fetch(`${server.url}/api/public/lookup?lon=115.908&lat=36.408`);
    expect(await r.text()).toBe(JSON.stringify(await svc.lookup({ lon: 115.908, lat: 36.408, crs: 'wgs84' })));
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('lists every zone containing the place, strictest kind first, then the smaller of two of the same kind', async () => {
    const r = await anon.get('/api/public/lookup?lon=115.908&lat=36.408');
    expect(r.status, r.text).toBe(200);
    expect(r.body.zones.map((z: { name: string }) => z.name)).toEqual(['小封控区', '大封控区', '外圈管控区']);
    expect(r.body.nearestZones).toEqual([]);
    expect(r.body.zones[0]).toMatchObject({ kind: 'sealed', measures: { zh: expect.stringContaining('足不出户') } });
  });

  it('names the nearest zones in force with their distance when the place is in none', async () => {
    // 0.01° of longitude east of the controlled zone's east edge (115.92) is about 895 m at 36.41°N.
    const r = await anon.get('/api/public/lookup?lon=115.93&lat=36.41');
    expect(r.status, r.text).toBe(200);
    expect(r.body.zones).toEqual([]);
    const nearest = r.body.nearestZones as { name: string; distanceMeters: number }[];
    expect(nearest.map((z) => z.name).slice(0, 2)).toEqual(['外圈管控区', '大封控区']);
    expect(nearest[0].distanceMeters).toBeGreaterThan(850);
    expect(nearest[0].distanceMeters).toBeLessThan(940);
    expect(nearest.map((z) => z.distanceMeters)).toEqual([...nearest.map((z) => z.distanceMeters)].sort((a, b) => a - b));
  });

  it('shows the county\'s whole hotline table and names no township it cannot know', async () => {
    const r = await anon.get('/api/public/lookup?lon=115.93&lat=36.41');
    expect(r.body.region.name).toBe('东昌府区');
    expect(r.body.township).toBeNull();
    expect(r.body.hotlines.county).toBe('东昌府区');
    // Every row of the seed's table for 东昌府区, the five the old nearest-seat guess never reached included.
    expect(r.body.hotlines.rows).toHaveLength(16);
    expect(r.body.hotlines.rows.every((row: { chosen: boolean }) => !row.chosen)).toBe(true);
    expect(r.body.hotline.township).toBeNull();
  });

  it('marks the township the resident chose, in its own county only', async () => {
    const chosen = await anon.get(`/api/public/lookup?lon=115.93&lat=36.41&township=${GULOU}`);
    expect(chosen.status, chosen.text).toBe(200);
    expect(chosen.body.township).toMatchObject({ code: GULOU, name: '古楼街道', county: '东昌府区' });
    expect(chosen.body.hotlines.rows.filter((row: { chosen: boolean }) => row.chosen).map((row: { township: string }) => row.township)).toEqual(['古楼街道办事处']);
    expect(chosen.body.hotline).toMatchObject({ township: '古楼街道办事处', phones: ['0635-8426860'] });

    const elsewhere = await anon.get(`/api/public/lookup?lon=115.93&lat=36.41&township=${YANTA}`);
    expect(elsewhere.body.township).toBeNull();
    expect(elsewhere.body.hotlines.rows.some((row: { chosen: boolean }) => row.chosen)).toBe(false);
  });

  it('answers a township chosen without a place for its county: the zones in force there, and says the hotlines are not on file where they are not', async () => {
    const r = await anon.get(`/api/public/lookup?township=${GULOU}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ scope: 'county', point: null, region: { code: '371502', name: '东昌府区' } });
    expect(r.body.zones.map((z: { name: string }) => z.name)).toEqual(['小封控区', '大封控区', '外圈管控区', '东边防范区']);
    expect(r.body.hotlines.rows.find((row: { chosen: boolean }) => row.chosen).township).toBe('古楼街道办事处');

    const shen = await anon.get(`/api/public/lookup?township=${YANTA}`);
    expect(shen.body).toMatchObject({ scope: 'county', region: { name: '莘县' }, zones: [], hotlines: null });
    expect(shen.body.message.zh).toContain('未收录');
  });

  it('reads Baidu (BD-09) coordinates as well as GCJ-02', async () => {
    // The same place in BD-09 lies about 1 km north-east of its WGS84 coordinates around here.
    const wgs = (await anon.get('/api/public/lookup?lon=115.908&lat=36.408')).body.point;
    const bd = await anon.get('/api/public/lookup?lon=115.908&lat=36.408&crs=bd09');
    expect(bd.status, bd.text).toBe(200);
    expect(wgs.lon - bd.body.point.lon).toBeGreaterThan(0.008);
    expect(wgs.lat - bd.body.point.lat).toBeGreaterThan(0.004);
  });

  it('refuses what it cannot read with a stable code and answers a place outside Liaocheng with nothing else', async () => {
    expect((await anon.get('/api/public/lookup?township=371502999')).body.error.code).toBe('not_found');
    expect((await anon.get('/api/public/lookup?lon=115.9&lat=36.4&crs=baidu')).status).toBe(400);
    expect((await anon.get('/api/public/lookup?lon=36.41&lat=115.93')).body.error.code).toBe('geometry_position_out_of_range');
    const beijing = await anon.get('/api/public/lookup?lon=116.4&lat=39.9');
    expect(beijing.body).toMatchObject({ inServiceArea: false, zones: [], nearestZones: [], hospitals: [], hotlines: null });
  });

  it('names a designated hospital added by an admin in the lookups that follow, on the fast path too, and stops naming it once removed', async () => {
    const admin = await loginAs(server.url, 'admin');
    const [lon, lat] = [115.95, 36.45];
    const nearestAt = async () => (await anon.get(`/api/public/lookup?lon=${lon}&lat=${lat}`)).body.hospitals[0]?.id as string | undefined;
    // The lookups before the change hold the reference in memory (the fast path answers from it).
    expect(await nearestAt()).not.toBe('hosp-test-new');
    const added = await admin.post('/api/facilities', {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { id: 'hosp-test-new', kind: 'designated_hospital', name: '测试定点医院', approximate: true },
    });
    expect(added.status, added.text).toBe(201);
    // Every process reloads the reference on the notice the write sends.
    await expect.poll(nearestAt).toBe('hosp-test-new');
    expect((await anon.get(`/api/public/lookup?lon=${lon}&lat=${lat}`)).body.hospitals[0]).toMatchObject({ name: '测试定点医院', distanceMeters: 0 });
    expect((await admin.delete('/api/facilities/hosp-test-new')).status).toBe(204);
    await expect.poll(nearestAt).not.toBe('hosp-test-new');
  });
});
