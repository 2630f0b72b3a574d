import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';

/** A square zone (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** The XYZ tile holding a point at zoom z (Web Mercator). */
const tileOf = (lon: number, lat: number, z: number) => {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
};

const pathOf = ({ z, x, y }: { z: number; x: number; y: number }) => `/tiles/zones/${z}/${x}/${y}.mvt`;

/** The zones layer's features as plain property objects; [] for a tile without the layer. */
const zonesIn = (bytes: Buffer): Record<string, unknown>[] => {
  const layer = new VectorTile(new Pbf(bytes)).layers.zones;
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, i) => ({ type: layer.feature(i).type, ...layer.feature(i).properties }));
};

describe.each(backends())('zones vector tiles on %s', (backend) => {
  let server: TestServer;
  let designer: Client;

  /** GET with the raw bytes (fetch undoes the gzip itself). */
  const getTile = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url + path, { headers });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const createZone = async (name: string, kind: string, geometry: unknown) => {
    const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind, name, reason: '矢量切片测试' } });
    expect(r.status, r.text).toBe(201);
    return r.body.id as string;
  };
  const publish = async (zoneIds: string[]) => {
    const r = await designer.post('/api/bulletins', { zoneIds, title: '关于划定风险区域的通告' });
    expect(r.status, r.text).toBe(201);
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('carries a published zone in layer "zones" with its id, kind and name', async () => {
    const id = await createZone('切片封控区', 'sealed', square(115.97, 36.44, 0.004));
    await publish([id]);
    const r = await getTile(pathOf(tileOf(115.972, 36.442, 14)));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(zonesIn(r.bytes)).toContainEqual(expect.objectContaining({ id, kind: 'sealed', name: '切片封控区', type: 3 }));
    // Its next change as the public map has it (a property left out when none is foreseen).
    const map = (await (await fetch(`${server.url}/api/public/zones`)).json()) as { features: { id: string; properties: { nextChangeOn: string | null } }[] };
    const nextChangeOn = map.features.find((f) => f.id === id)?.properties.nextChangeOn ?? undefined;
    expect(nextChangeOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(zonesIn(r.bytes).find((f) => f.id === id)?.nextChangeOn).toBe(nextChangeOn);
  });

  it('leaves drafts out of the tiles', async () => {
    const id = await createZone('切片草稿', 'controlled', square(116.05, 36.5, 0.004));
    const r = await getTile(pathOf(tileOf(116.052, 36.502, 14)));
    expect(r.status).toBe(200);
    expect(zonesIn(r.bytes).map((f) => f.id)).not.toContain(id);
  });

  it('answers an empty tile where there is no zone', async () => {
    const r = await getTile(pathOf(tileOf(116.6, 36.9, 14)));
    expect(r.status).toBe(200);
    expect(zonesIn(r.bytes)).toEqual([]);
  });

  it('refuses a zoom above 20 with tile_zoom_out_of_range', async () => {
    const r = await getTile('/tiles/zones/21/0/0.mvt');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.bytes.toString()).error.code).toBe('tile_zoom_out_of_range');
  });

  it('refuses x or y outside the zoom level with tile_coordinate_out_of_range', async () => {
    for (const path of ['/tiles/zones/3/8/0.mvt', '/tiles/zones/3/0/8.mvt', '/tiles/zones/3/x/0.mvt', '/tiles/zones/3/-1/0.mvt']) {
      const r = await getTile(path);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.bytes.toString()).error.code, path).toBe('tile_coordinate_out_of_range');
    }
  });

  it('answers 304 to a repeated request with the ETag it sent', async () => {
    const path = pathOf(tileOf(115.972, 36.442, 13));
    const first = await getTile(path);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toMatch(/must-revalidate/);
    const again = await getTile(path, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('gzips the tile only when the client accepts gzip', async () => {
    const path = pathOf(tileOf(115.972, 36.442, 12));
    const gzipped = await getTile(path, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const plain = await getTile(path, { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.bytes.equals(gzipped.bytes)).toBe(true);
  });

  it('shows a newly published zone in a tile seen before, under a new ETag', async () => {
    const where = tileOf(116.102, 36.302, 14);
    const before = await getTile(pathOf(where));
    const id = await createZone('新增管控区', 'controlled', square(116.1, 36.3, 0.004));
    await publish([id]);
    const after = await getTile(pathOf(where), { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(zonesIn(after.bytes)).toContainEqual(expect.objectContaining({ id, kind: 'controlled' }));
  });
});
