import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';

const PUBLIC_URL = 'https://map.example.org/risk';
const SERVICE_AREA = [115.2, 35.6, 116.9, 37.1];

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** The path of a tile under the TileJSON's template, served by the test server instead of PUBLIC_URL. */
const tilePath = (template: string, z: number, x: number, y: number) =>
  template.replace(PUBLIC_URL, '').replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

describe.each(backends())('zones TileJSON on %s', (backend) => {
  let server: TestServer;
  let designer: Client;

  const tileJson = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/tiles/zones.json`, { headers });
    return { status: res.status, headers: res.headers, body: (res.status === 200 ? await res.json() : null) as any };
  };
  const publishZone = async (name: string, geometry: unknown) => {
    const zone = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind: 'sealed', name, reason: 'TileJSON 测试' } });
    expect(zone.status, zone.text).toBe(201);
    const bulletin = await designer.post('/api/bulletins', { zoneIds: [zone.body.id], title: '关于划定风险区域的通告' });
    expect(bulletin.status, bulletin.text).toBe(201);
  };

  beforeAll(async () => {
    server = await startTestServer(backend, { PUBLIC_URL, SERVICE_AREA: SERVICE_AREA.join(',') });
    designer = await loginAs(server.url, 'designer1');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is a valid TileJSON 3.0.0 document describing the zones layer and its fields', async () => {
    const r = await tileJson();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = r.body;
    expect(doc.tilejson).toBe('3.0.0');
    expect(doc.tiles.length).toBeGreaterThan(0);
    for (const url of doc.tiles) {
      expect(url.startsWith(`${PUBLIC_URL}/tiles/zones/{z}/{x}/{y}.mvt?v=`), url).toBe(true);
    }
    expect(doc.minzoom).toBe(0);
    expect(doc.maxzoom).toBe(20);
    expect(doc.bounds).toEqual(SERVICE_AREA);
    const [lon, lat, zoom] = doc.center;
    expect(lon).toBeGreaterThan(SERVICE_AREA[0]);
    expect(lon).toBeLessThan(SERVICE_AREA[2]);
    expect(lat).toBeGreaterThan(SERVICE_AREA[1]);
    expect(lat).toBeLessThan(SERVICE_AREA[3]);
    expect(zoom).toBeGreaterThanOrEqual(doc.minzoom);
    expect(zoom).toBeLessThanOrEqual(doc.maxzoom);
    expect(doc.vector_layers).toEqual([expect.objectContaining({ id: 'zones' })]);
    expect(Object.keys(doc.vector_layers[0].fields).sort()).toEqual(['id', 'kind', 'name', 'nextChangeOn']);
    for (const description of Object.values(doc.vector_layers[0].fields)) expect(typeof description).toBe('string');
  });

  it('builds its links from PUBLIC_URL, never from Host or X-Forwarded-Host', async () => {
    const r = await tileJson({ host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
    expect(JSON.stringify(r.body)).not.toContain('evil.example');
    expect(r.body.tiles[0].startsWith(PUBLIC_URL)).toBe(true);
  });

  it('names a new publication in its tile URLs after a bulletin, and answers 304 until then', async () => {
    const before = await tileJson();
    const again = await tileJson({ 'if-none-match': before.headers.get('etag')! });
    expect(again.status).toBe(304);
    await publishZone('TileJSON 封控区', square(115.97, 36.44, 0.004));
    const after = await tileJson({ 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    const v = (doc: { tiles: string[] }) => Number(new URL(doc.tiles[0].replace(/[{}]/g, '')).searchParams.get('v'));
    expect(v(after.body)).toBeGreaterThan(v(before.body));
  });

  it('serves a tile under the current v as immutable, and without v or with an old v for revalidation', async () => {
    const before = (await tileJson()).body;
    await publishZone('TileJSON 管控区', square(116.1, 36.3, 0.004));
    const current = (await tileJson()).body;
    const [z, x, y] = [9, 421, 199];
    const fresh = await fetch(server.url + tilePath(current.tiles[0], z, x, y));
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const old = await fetch(server.url + tilePath(before.tiles[0], z, x, y));
    expect(old.status).toBe(200);
    expect(old.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const bare = await fetch(`${server.url}/tiles/zones/${z}/${x}/${y}.mvt`);
    expect(bare.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });
});
