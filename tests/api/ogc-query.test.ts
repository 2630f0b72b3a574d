/**
 * OGC API – Features beyond Part 1's paging: unknown parameters refused, `datetime` on the zones
 * answered from the record of publications, `properties`, `sortby`, queryables, CQL2 filters and
 * the CRSs of Part 2. Each test file runs its own service and database; the clock is moved so
 * that zones are published on chosen days (tests/helpers/clock.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { fakeClock, realClock, travelTo } from '../helpers/clock';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const PUBLIC_URL = 'https://map.liaocheng.example';
const EPSG4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const EPSG4490 = 'http://www.opengis.net/def/crs/EPSG/0/4490';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const idsOf = (body: any): string[] => body.features.map((f: any) => f.id);
const q = (s: string) => encodeURIComponent(s);

describe.each(backends())('OGC API Features queries on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  /** Zone ids: A published 11-10 and lifted by hand 11-13, B published 11-12; today is 11-14. */
  const zone = { a: '', b: '' };
  beforeAll(async () => {
    fakeClock();
    travelTo('2022-11-10');
    server = await startTestServer(backend, { PUBLIC_URL, MAX_FEATURES_PER_PAGE: '50', LOGIN_RATE_LIMIT_PER_15MIN: '1000' });
    anon = new Client(server.url);
    const create = async (name: string, lon: number) => {
      const designer = await loginAs(server.url, 'designer1');
      const r = await designer.post('/api/zones', { type: 'Feature', geometry: square(lon, 36.2, 0.004), properties: { kind: 'sealed', name, reason: 'OGC 查询测试' } });
      expect(r.status, r.text).toBe(201);
      const p = await designer.post('/api/bulletins', { zoneIds: [r.body.id], title: '关于划定风险区域的通告' });
      expect(p.status, p.text).toBe(201);
      return r.body.id as string;
    };
    zone.a = await create('OGC 甲区', 115.7);
    travelTo('2022-11-12');
    zone.b = await create('OGC 乙区', 115.71);
    travelTo('2022-11-13');
    const designer = await loginAs(server.url, 'designer1');
    const lift = await designer.post(`/api/zones/${zone.a}/lift`, { reason: '测试：手动解除' });
    expect(lift.status, lift.text).toBe(200);
    travelTo('2022-11-14');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    realClock();
  });

  const items = async (collection: string, query: string) => {
    const r = await anon.get(`/ogc/collections/${collection}/items?${query}`);
    return r;
  };
  const zoneIds = async (query: string) => {
    const r = await items('zones', query);
    expect(r.status, r.text).toBe(200);
    return idsOf(r.body).filter((id) => id === zone.a || id === zone.b);
  };

  it('refuses unknown parameters everywhere, with the parameter named', async () => {
    for (const path of ['/ogc?bogus=1', '/ogc/conformance?bogus=1', '/ogc/collections?bogus=1', '/ogc/collections/zones?bogus=1', '/ogc/collections/zones/queryables?bogus=1', '/ogc/collections/zones/items?bogus=1', `/ogc/collections/zones/items/${zone.b}?bbox=1,2,3,4`]) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe('query_parameter_unknown');
      expect(typeof r.body.error.details.parameter).toBe('string');
    }
  });

  it('refuses invalid values of the parameters it knows', async () => {
    const cases: [string, string][] = [
      ['crs=EPSG:3857', 'crs_unsupported'],
      ['bbox-crs=urn:nothing&bbox=1,2,3,4', 'crs_unsupported'],
      ['datetime=yesterday', 'datetime_invalid'],
      ['datetime=2022-11-12/2022-11-10', 'datetime_invalid'],
      ['properties=nosuch', 'properties_invalid'],
      ['sortby=geometry', 'sortby_invalid'],
      ['filter-lang=ecql&filter=1=1', 'filter_lang_unsupported'],
      ['limit=1&limit=2', 'query_parameter_repeated'],
    ];
    for (const [query, code] of cases) {
      const r = await items('zones', query);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code, query).toBe(code);
    }
  });

  it('answers datetime on zones from the maps as published', async () => {
    expect(await zoneIds(`datetime=${q('2022-11-11T10:00:00+08:00')}`)).toEqual([zone.a]);
    // 2022-11-12T20:00Z is already 11-13 in Asia/Shanghai: A was lifted that day.
    expect(await zoneIds(`datetime=${q('2022-11-12T20:00:00Z')}`)).toEqual([zone.b]);
    expect((await zoneIds('datetime=2022-11-12')).sort()).toEqual([zone.a, zone.b].sort());
    expect(await zoneIds('datetime=2022-11-09')).toEqual([]);
    expect(await zoneIds('datetime=2022-11-14')).toEqual([zone.b]);
  });

  it('answers a datetime interval with every zone in force on one of its days', async () => {
    expect((await zoneIds(`datetime=${q('2022-11-10/2022-11-14')}`)).sort()).toEqual([zone.a, zone.b].sort());
    expect(await zoneIds(`datetime=${q('../2022-11-11')}`)).toEqual([zone.a]);
    expect(await zoneIds(`datetime=${q('2022-11-13/..')}`)).toEqual([zone.b]);
    expect((await zoneIds(`datetime=${q('../..')}`)).sort()).toEqual([zone.a, zone.b].sort());
    const long = await items('zones', `datetime=${q('2021-01-01/2022-11-14')}`);
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'datetime_interval_too_long', details: { maximumDays: 366 } });
  });

  it('matches every checkpoint and facility whatever the datetime: they have no time (/req/core/fc-time-response C)', async () => {
    for (const c of ['checkpoints', 'facilities']) {
      const all = await items(c, 'limit=1');
      const dated = await items(c, `limit=1&datetime=${q('2022-11-01/2022-11-02')}`);
      expect(dated.status).toBe(200);
      expect(dated.body.numberMatched).toBe(all.body.numberMatched);
    }
  });

  it('returns only the properties asked for, and sorts by sortby', async () => {
    const r = await items('facilities', 'properties=name,beds&sortby=-beds,%2Bname&limit=50');
    expect(r.status, r.text).toBe(200);
    for (const f of r.body.features) expect(Object.keys(f.properties).sort()).toEqual(['beds', 'name']);
    const beds = r.body.features.map((f: any) => f.properties.beds).filter((b: any) => b !== null);
    expect(beds).toEqual([...beds].sort((x: number, y: number) => y - x));
    expect(new URL(r.body.links.find((l: any) => l.rel === 'self').href).searchParams.get('sortby')).toBe('-beds,+name');
  });

  it('serves queryables as JSON Schema with the geometry role', async () => {
    const r = await anon.get('/ogc/collections/zones/queryables');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(r.body).toMatchObject({ type: 'object', $id: `${PUBLIC_URL}/ogc/collections/zones/queryables`, additionalProperties: false });
    expect(r.body.properties.geometry['x-ogc-role']).toBe('primary-geometry');
    expect(r.body.properties.designatedOn).toMatchObject({ type: 'string', format: 'date' });
    const checkpoints = await anon.get('/ogc/collections/checkpoints/queryables');
    expect(Object.keys(checkpoints.body.properties)).not.toContain('phone');
  });

  it('filters with CQL2 text and JSON, spatially and temporally', async () => {
    expect(await zoneIds(`filter=${q("name LIKE 'OGC 乙%' AND kind = 'sealed'")}`)).toEqual([zone.b]);
    expect(await zoneIds(`filter=${q('S_INTERSECTS(geometry, POINT(115.712 36.202))')}`)).toEqual([zone.b]);
    expect(await zoneIds(`filter=${q("T_INTERSECTS(designatedOn, INTERVAL('2022-11-12', '..'))")}`)).toEqual([zone.b]);
    const json = JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [115.712, 36.202] }] });
    expect(await zoneIds(`filter-lang=cql2-json&filter=${q(json)}`)).toEqual([zone.b]);
    // A filter on a past day's map, with the interval's union.
    expect(await zoneIds(`datetime=2022-11-12&filter=${q("name = 'OGC 甲区'")}`)).toEqual([zone.a]);
    const hospitals = await items('facilities', `filter=${q('beds >= 0 OR beds IS NULL')}&limit=1`);
    expect(hospitals.status).toBe(200);
    expect(hospitals.body.numberMatched).toBe((await items('facilities', 'limit=1')).body.numberMatched);
  });

  it('refuses a malformed or hostile filter with 400 and where the error is', async () => {
    const bad = await items('zones', `filter=${q("kind = 'sealed' AND AND")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'filter_invalid', details: { position: 20 } });
    const unknown = await items('checkpoints', `filter=${q("phone = '0635'")}`);
    expect(unknown.body.error.code).toBe('filter_property_unknown');
    const injection = await items('facilities', `filter=${q("name = 'x'); DROP TABLE facilities; --")}`);
    expect(injection.status).toBe(400);
    expect((await items('facilities', 'limit=1')).status).toBe(200);
    const deep = await items('zones', `filter=${q(`${'('.repeat(200)}kind = 'sealed'${')'.repeat(200)}`)}`);
    expect(deep.status).toBe(400);
  });

  it('serves EPSG:4326 and EPSG:4490 latitude first, says so in Content-Crs, and reads bbox-crs the same way', async () => {
    const lonLat = await items('zones', `filter=${q(`name = 'OGC 乙区'`)}`);
    expect(lonLat.headers.get('content-crs')).toBe(`<${CRS84}>`);
    const [lon, lat] = lonLat.body.features[0].geometry.coordinates[0][0][0];
    for (const crs of [EPSG4326, EPSG4490]) {
      const r = await items('zones', `crs=${q(crs)}&filter=${q(`name = 'OGC 乙区'`)}`);
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('content-crs')).toBe(`<${crs}>`);
      expect(r.body.features[0].geometry.coordinates[0][0][0]).toEqual([lat, lon]);
    }
    expect(await zoneIds(`bbox-crs=${q(EPSG4326)}&bbox=36.19,115.705,36.21,115.72`)).toEqual([zone.b]);
    const one = await anon.get(`/ogc/collections/zones/items/${zone.b}?crs=${q(EPSG4490)}`);
    expect(one.headers.get('content-crs')).toBe(`<${EPSG4490}>`);
    expect(one.body.geometry.coordinates[0][0][0]).toEqual([lat, lon]);
    const collection = await anon.get('/ogc/collections/zones');
    expect(collection.body.crs).toEqual([CRS84, EPSG4326, EPSG4490]);
    expect(collection.body.storageCrs).toBe(CRS84);
  });

  it('describes every parameter it accepts in the OpenAPI document', async () => {
    const api = await anon.get('/ogc/api');
    const names = api.body.paths['/collections/{collectionId}/items'].get.parameters.map((p: any) => p.name);
    expect(names.sort()).toEqual(['bbox', 'bbox-crs', 'collectionId', 'crs', 'datetime', 'f', 'filter', 'filter-crs', 'filter-lang', 'limit', 'offset', 'properties', 'sortby'].sort());
    expect(api.body.paths['/collections/{collectionId}/queryables']).toBeDefined();
  });
});
