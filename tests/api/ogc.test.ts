import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

/** A square zone (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

const CORE = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core';
const GEOJSON = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** The page cap the server of this file runs with, small enough to see it with the facilities. */
const MAX_PER_PAGE = 5;
/** The address every link is built from (PUBLIC_URL), whatever address the test client calls. */
const PUBLIC_URL = 'https://map.liaocheng.example';

const linkOf = (body: any, rel: string): string | undefined => body.links.find((l: any) => l.rel === rel)?.href;
const idsOf = (body: any): string[] => body.features.map((f: any) => f.id);
/** The path and query of an absolute link, to follow it with the test client. */
const pathOf = (href: string) => {
  const u = new URL(href);
  return u.pathname + u.search;
};

describe.each(backends())('OGC API Features on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let anon: Client;
  beforeAll(async () => {
    server = await startTestServer(backend, { MAX_FEATURES_PER_PAGE: String(MAX_PER_PAGE), PUBLIC_URL });
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const createZone = async (name: string, geometry: unknown, kind = 'precaution') => {
    const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind, name, reason: 'OGC 测试' } });
    expect(r.status, r.text).toBe(201);
    return r.body.id as string;
  };
  const publish = async (zoneIds: string[]) => {
    const r = await designer.post('/api/bulletins', { zoneIds, title: '关于划定风险区域的通告' });
    expect(r.status, r.text).toBe(201);
  };

  it('serves a landing page with absolute links to itself, the conformance and the collections', async () => {
    const r = await anon.get('/ogc');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body.title).toBeTruthy();
    expect(linkOf(r.body, 'self')).toBe(`${PUBLIC_URL}/ogc`);
    expect(linkOf(r.body, 'conformance')).toBe(`${PUBLIC_URL}/ogc/conformance`);
    expect(linkOf(r.body, 'data')).toBe(`${PUBLIC_URL}/ogc/collections`);
    expect((await anon.get(pathOf(linkOf(r.body, 'service-desc')!))).body.openapi).toMatch(/^3\.0/);
  });

  it('declares the core, GeoJSON, CRS, filter and CQL2 classes it implements', async () => {
    const r = await anon.get('/ogc/conformance');
    expect(r.status).toBe(200);
    expect(r.body.conformsTo).toEqual(expect.arrayContaining([CORE, GEOJSON, 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs']));
    expect(r.body.conformsTo).toContain('http://www.opengis.net/spec/cql2/1.0/conf/cql2-text');
    expect(r.body.conformsTo).not.toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html');
  });

  it('lists zones, checkpoints and facilities with the service area as extent in CRS84', async () => {
    const r = await anon.get('/ogc/collections');
    expect(r.status).toBe(200);
    expect(r.body.collections.map((c: any) => c.id)).toEqual(['zones', 'checkpoints', 'facilities']);
    for (const c of r.body.collections) {
      expect(c.extent.spatial).toEqual({ bbox: [[115.2, 35.6, 116.9, 37.1]], crs: CRS84 });
      expect(c.crs[0]).toBe(CRS84);
      expect(c.storageCrs).toBe(CRS84);
      expect(c.links.find((l: any) => l.rel === 'items')).toMatchObject({
        href: `${PUBLIC_URL}/ogc/collections/${c.id}/items`,
        type: 'application/geo+json',
      });
    }
    const one = await anon.get('/ogc/collections/checkpoints');
    expect(one.status).toBe(200);
    expect(one.body.id).toBe('checkpoints');
  });

  it('answers an unknown collection with 404 collection_not_found', async () => {
    for (const path of ['/ogc/collections/cases', '/ogc/collections/cases/items', '/ogc/collections/cases/items/1']) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('collection_not_found');
    }
  });

  it('serves a published zone with the public properties, and never a draft', async () => {
    const published = await createZone('OGC 已发布防范区', square(115.4, 36.1, 0.004));
    const draft = await createZone('OGC 草稿防范区', square(115.41, 36.1, 0.004));
    await publish([published]);
    const bbox = '115.39,36.09,115.42,36.11';
    const items = await anon.get(`/ogc/collections/zones/items?bbox=${bbox}`);
    expect(items.status).toBe(200);
    expect(items.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(idsOf(items.body)).toEqual([published]);
    const pub = (await anon.get('/api/public/zones')).body.features.find((f: any) => f.id === published);
    expect(items.body.features[0].properties).toEqual(pub.properties);
    expect((await anon.get(`/ogc/collections/zones/items/${published}`)).body.properties.name).toBe('OGC 已发布防范区');
    const hidden = await anon.get(`/ogc/collections/zones/items/${draft}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('feature_not_found');
  });

  it('leaves out a zone outside the bbox', async () => {
    const inside = await createZone('OGC 框内', square(115.5, 36.0, 0.004));
    const outside = await createZone('OGC 框外', square(115.6, 36.0, 0.004));
    await publish([inside, outside]);
    const r = await anon.get('/ogc/collections/zones/items?bbox=115.49,35.99,115.52,36.02');
    expect(idsOf(r.body)).toContain(inside);
    expect(idsOf(r.body)).not.toContain(outside);
    expect(r.body.numberMatched).toBe(1);
  });

  it('keeps a zone whose bounding box meets the bbox but whose shape does not out of it', async () => {
    // An L-shaped zone: its bounding box covers the query box's corner, its area does not.
    const lShape = {
      type: 'Polygon',
      coordinates: [[[115.3, 36.9], [115.34, 36.9], [115.34, 36.905], [115.305, 36.905], [115.305, 36.94], [115.3, 36.94], [115.3, 36.9]]],
    };
    const id = await createZone('OGC L形防范区', lShape);
    await publish([id]);
    const apart = await anon.get('/ogc/collections/zones/items?bbox=115.32,36.92,115.35,36.95');
    expect(idsOf(apart.body)).not.toContain(id);
    const touching = await anon.get('/ogc/collections/zones/items?bbox=115.32,36.89,115.35,36.91');
    expect(idsOf(touching.body)).toContain(id);
  });

  it('pages with limit and offset through next and prev links, sorted by id', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createZone(`OGC 分页${i}`, square(116.4 + i * 0.01, 36.8, 0.004)));
    await publish(ids);
    const first = await anon.get('/ogc/collections/zones/items?bbox=116.39,36.79,116.45,36.81&limit=2');
    expect(first.body).toMatchObject({ numberMatched: 3, numberReturned: 2 });
    expect(typeof first.body.timeStamp).toBe('string');
    expect(linkOf(first.body, 'self')).toMatch(new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/ogc/collections/zones/items\\?`));
    expect(linkOf(first.body, 'prev')).toBeUndefined();
    const second = await anon.get(pathOf(linkOf(first.body, 'next')!));
    expect(second.body).toMatchObject({ numberMatched: 3, numberReturned: 1 });
    expect(linkOf(second.body, 'next')).toBeUndefined();
    expect(linkOf(second.body, 'prev')).toBeDefined();
    expect([...idsOf(first.body), ...idsOf(second.body)]).toEqual([...ids].sort());
  });

  it('caps a limit above the maximum instead of refusing it', async () => {
    const r = await anon.get('/ogc/collections/facilities/items?limit=100000');
    expect(r.status).toBe(200);
    expect(r.body.numberReturned).toBe(MAX_PER_PAGE);
    expect(r.body.numberMatched).toBeGreaterThan(MAX_PER_PAGE);
    expect(new URL(linkOf(r.body, 'next')!).searchParams.get('limit')).toBe(String(MAX_PER_PAGE));
  });

  it('refuses a malformed bbox with 400 bbox_malformed', async () => {
    const r = await anon.get('/ogc/collections/zones/items?bbox=115.9,36.4,oops');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bbox_malformed');
  });

  it('refuses a bbox larger than the configured area with 400 bbox_too_large', async () => {
    const r = await anon.get('/ogc/collections/checkpoints/items?bbox=110,30,120,40');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bbox_too_large');
  });

  it('refuses a malformed limit or offset with their own codes', async () => {
    expect((await anon.get('/ogc/collections/zones/items?limit=0')).body.error.code).toBe('limit_invalid');
    expect((await anon.get('/ogc/collections/zones/items?limit=ten')).body.error.code).toBe('limit_invalid');
    expect((await anon.get('/ogc/collections/zones/items?offset=-1')).body.error.code).toBe('offset_invalid');
  });

  it('honours f=json, refuses other formats and unknown parameters', async () => {
    expect((await anon.get('/ogc/collections?f=json')).status).toBe(200);
    const html = await anon.get('/ogc/collections/zones/items?f=html');
    expect(html.status).toBe(400);
    expect(html.body.error.code).toBe('format_unsupported');
    const extra = await anon.get('/ogc/collections/facilities/items?limit=1&colour=red');
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ code: 'query_parameter_unknown', details: { parameter: 'colour' } });
  });

  it('answers an unknown feature with 404 feature_not_found', async () => {
    for (const path of ['/ogc/collections/zones/items/no-such-zone', '/ogc/collections/facilities/items/no-such-facility']) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('feature_not_found');
    }
  });

  it('serves checkpoints without their point leaders and phones', async () => {
    const created = await coordinator.post('/api/checkpoints', {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [116.55, 36.55] },
      properties: { id: 'ogc-test-checkpoint', name: 'OGC 测试服务点（示例）', road: 'G0000', direction: '测试方向', pointLeader: '测试负责人', phone: '0635-0000000', sample: true },
    });
    expect(created.status, created.text).toBe(201);
    const page = await anon.get('/ogc/collections/checkpoints/items?bbox=116.54,36.54,116.56,36.56');
    expect(idsOf(page.body)).toEqual(['ogc-test-checkpoint']);
    const one = await anon.get('/ogc/collections/checkpoints/items/ogc-test-checkpoint');
    const all = await anon.get(`/ogc/collections/checkpoints/items?limit=${MAX_PER_PAGE}`);
    for (const r of [page, one, all]) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('pointLeader');
      expect(r.text).not.toContain('point_leader');
      expect(r.text).not.toContain('"phone"');
      expect(r.text).not.toContain('0635-0000000');
    }
    expect(one.body.properties).toEqual({ id: 'ogc-test-checkpoint', name: 'OGC 测试服务点（示例）', road: 'G0000', direction: '测试方向', sample: true });
  });

  it('answers 304 to If-None-Match on a zones page', async () => {
    const first = await anon.get('/ogc/collections/zones/items?limit=3');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await anon.get('/ogc/collections/zones/items?limit=3', { 'if-none-match': etag! })).status).toBe(304);
  });
});
