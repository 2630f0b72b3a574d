import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

interface Result {
  type: string;
  id: string;
  name: string;
  county: string | null;
  point: [number, number] | null;
  bbox: [number, number, number, number] | null;
  crs?: string;
  swapped?: boolean;
}

describe.each(backends())('public search on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  let zoneId = '';
  const search = async (q: string): Promise<Result[]> => {
    const r = await anon.get(`/api/public/search?q=${encodeURIComponent(q)}`);
    expect(r.status, r.text).toBe(200);
    return r.body.results;
  };
  beforeAll(async () => {
    server = await startTestServer(backend);
    anon = new Client(server.url);
    const designer = await loginAs(server.url, 'designer1');
    const created = await designer.post('/api/zones', {
      type: 'Feature',
      geometry: square(115.95, 36.42, 0.004),
      properties: { kind: 'sealed', name: '东昌府区阳光小区封控区', reason: 'API 测试' },
    });
    zoneId = created.body.id;
    expect((await designer.post('/api/bulletins', { zoneIds: [zoneId], title: '关于划定阳光小区封控区的通告' })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds a township by its name, by its name without 街道, by its code and by pinyin initials', async () => {
    for (const q of ['古楼街道', '古楼', '371502001', 'gljd']) {
      const [first] = await search(q);
      expect(first, q).toMatchObject({ type: 'township', id: '371502001', name: '古楼街道', county: '东昌府区', point: null });
      // The camera goes to the county: the township's outline is not known.
      expect(first.bbox, q).not.toBeNull();
    }
  });

  it('tolerates a missing or mistyped character', async () => {
    expect((await search('古楼道')).map((r) => r.name)).toContain('古楼街道');
    expect((await search('古搂街道')).map((r) => r.name)).toContain('古楼街道');
  });

  it('ranks an exact name over names that only contain it', async () => {
    const results = await search('莘县');
    expect(results[0]).toMatchObject({ type: 'county', id: '371522' });
    expect(results.map((r) => r.name)).toContain('莘县人民医院');
    // A county's own code before the townships whose codes begin with it.
    expect((await search('371502'))[0]).toMatchObject({ type: 'county', id: '371502' });
  });

  it('finds a zone in force with a point inside it and its extent', async () => {
    const [first] = await search('阳光小区');
    expect(first).toMatchObject({ type: 'zone', id: zoneId });
    const [minLon, minLat, maxLon, maxLat] = first.bbox!;
    expect([minLon, minLat, maxLon, maxLat]).toEqual([115.95, 36.42, 115.954, 36.424]);
    expect(first.point![0]).toBeGreaterThan(minLon);
    expect(first.point![0]).toBeLessThan(maxLon);
  });

  it('finds hospitals and checkpoints', async () => {
    expect((await search('人民医院')).filter((r) => r.type === 'hospital').length).toBeGreaterThan(1);
    expect((await search('入聊服务点')).some((r) => r.type === 'checkpoint')).toBe(true);
  });

  it('reads typed coordinates in each system, latitude first too', async () => {
    const results = await search('36.424, 115.954');
    expect(results.map((r) => r.crs)).toEqual(['wgs84', 'gcj02', 'bd09']);
    expect(results.every((r) => r.swapped)).toBe(true);
    expect(results[0].point).toEqual([115.954, 36.424]);
    // GCJ-02 is offset by a few hundred metres around here; BD-09 by more.
    expect(Math.abs(results[1].point![0] - 115.954)).toBeGreaterThan(0.003);
    expect(Math.abs(results[2].point![0] - 115.954)).toBeGreaterThan(Math.abs(results[1].point![0] - 115.954));
    expect((await search('115.954 36.424'))[0]).toMatchObject({ swapped: false, point: [115.954, 36.424] });
  });

  it('answers nothing for text that names nothing, and refuses a missing or over-long query', async () => {
    expect(await search('   ')).toEqual([]);
    expect(await search('不存在的地名zzz')).toEqual([]);
    expect((await anon.get('/api/public/search')).body.error.code).toBe('validation_failed');
    expect((await anon.get(`/api/public/search?q=${'长'.repeat(51)}`)).status).toBe(400);
  });
});
