/**
 * Property-based fuzzing of the GeoJSON and query-parameter parsers THROUGH HTTP (the pure parsers
 * have their own fuzz tests in server/src/geo): whatever arrives on the wire, the answer is never a
 * 5xx, and every refusal carries a stable code. About 1 500 requests per backend, spread over the
 * write paths that parse geometry and the public reads that parse coordinates, boxes and dates.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

/** Numbers as a hostile client sends them: in and out of range, huge, tiny, infinite. */
const number = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: 115.2, max: 116.9, noNaN: true }) },
  { weight: 3, arbitrary: fc.double({ min: 35.6, max: 37.1, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 180, -180, 90, -90, 180.0000001, 1e308, -1e308, 5e-324, Infinity, -Infinity) },
);

/** Anything that may stand where a number belongs. */
const coordinate = fc.oneof({ weight: 8, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom(null, true, '116', '', [], {}) });
const position = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(coordinate, coordinate) },
  { weight: 1, arbitrary: fc.tuple(coordinate, coordinate, coordinate) },
  { weight: 1, arbitrary: fc.array(coordinate, { maxLength: 5 }) },
);
/** Rings: often closed (so deeper checks run), sometimes open, short or empty. */
const ring = fc.oneof(
  { weight: 3, arbitrary: fc.array(position, { minLength: 3, maxLength: 8 }).map((r) => [...r, r[0]]) },
  { weight: 1, arbitrary: fc.array(position, { maxLength: 8 }) },
);
const polygon = fc.array(ring, { maxLength: 3 });
const multiPolygon = fc.array(polygon, { maxLength: 3 });

/** A small, closed, usually valid quadrilateral inside Liaocheng, so the database side is fuzzed too. */
const plausiblePolygon = fc
  .tuple(fc.double({ min: 115.3, max: 116.8, noNaN: true }), fc.double({ min: 35.7, max: 37.0, noNaN: true }), fc.double({ min: 1e-6, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true }))
  .map(([lon, lat, d, skew]) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat + skew * d], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] }));

const geometryType = fc.constantFrom('Point', 'MultiPoint', 'LineString', 'Polygon', 'MultiPolygon', 'GeometryCollection', 'Feature', 'polygon', '', 'Polygon ');

const geometry = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: geometryType, coordinates: fc.oneof(position, ring, polygon, multiPolygon) }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: plausiblePolygon },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('Polygon'),
      coordinates: polygon,
      crs: fc.constant({ type: 'name', properties: { name: 'EPSG:4490' } }),
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
);

/** Text as people and attackers type it: unicode, quotes, control characters, lone surrogates. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom("'; DROP TABLE zones; --", '" OR 1=1 --', '$$', '\\', '\u0000', '\ud800', '封控区', ' '),
);

const dateLike = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2022-02-30', '2022-13-01', '0000-00-00', '2022-1-1', '20221101', '2022-11-01T00:00:00Z'),
  text,
);

const properties = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('sealed', 'controlled', 'precaution'), text),
    name: text,
    reason: text,
    designatedOn: dateLike,
    edition: fc.oneof(fc.constantFrom('protocol-8', 'shanghai-2022', 'protocol-9', 'twenty-measures'), text),
    sample: fc.oneof(fc.boolean(), text),
  },
  { requiredKeys: [] },
);

/** Raw bytes percent-encoded, invalid UTF-8 included, for query strings. */
const rawParam = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
  { weight: 3, arbitrary: number.map((n) => encodeURIComponent(String(n))) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 20 }).map((b) => Array.from(b, (x) => `%${x.toString(16).padStart(2, '0')}`).join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '%', '%zz', '1e999', 'NaN', '-0', '0x10', '1,2,3,4', '116.0,36.4,116.1,36.5', '115,35,117,38') },
);
const bboxParam = fc.oneof(
  fc.array(number, { minLength: 3, maxLength: 7 }).map((ns) => encodeURIComponent(ns.join(','))),
  rawParam,
);

/** The JSON text of a value, with infinities written as 1e999 (what JSON.stringify cannot say). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) ? `__inf${v > 0 ? '+' : '-'}__` : v))
    .replace(/"__inf\+__"/g, '1e999')
    .replace(/"__inf-__"/g, '-1e999');
}

interface Answer {
  status: number;
  body: any;
  text: string;
}

/** What every answer must satisfy: no 5xx, and a refusal says why with a stable code. */
function wellBehaved(r: Answer): boolean {
  if (r.status >= 500) return false;
  if (r.status >= 400 && r.status !== 404) {
    return typeof r.body?.error?.code === 'string' && /^[a-z0-9_]+$/.test(r.body.error.code) && typeof r.body.error.message === 'string';
  }
  return true;
}

const RUNS = { zones: 350, zonePatch: 150, cases: 200, routes: 100, lookup: 300, ogcItems: 300, publicZones: 100 };

describe.each(backends())('HTTP fuzzing on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let anon: Client;
  let draftId: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    anon = new Client(server.url);
    const draft = await designer.post('/api/zones', {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[115.97, 36.44], [115.974, 36.44], [115.974, 36.444], [115.97, 36.444], [115.97, 36.44]]] },
      properties: { kind: 'controlled', name: '模糊测试草稿' },
    });
    draftId = draft.body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Runs a property over `runs` requests; a failing answer is reported with its input. */
  const fuzz = async <T>(arb: fc.Arbitrary<T>, runs: number, send: (input: T) => Promise<Answer>) => {
    const seen: string[] = [];
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        const r = await send(input);
        if (!wellBehaved(r)) seen.push(`${r.status} ${r.text.slice(0, 200)}`);
        return wellBehaved(r);
      }),
      { numRuns: runs, endOnFailure: true },
    );
    expect(seen).toEqual([]);
  };

  it('POST /api/zones never answers 5xx', async () => {
    await fuzz(fc.record({ geometry, properties: fc.oneof(properties, fc.jsonValue({ maxDepth: 3 })) }), RUNS.zones, (f) =>
      designer.post('/api/zones', toJson({ type: 'Feature', ...f })),
    );
  });

  it('PATCH /api/zones/:id never answers 5xx, whatever the body and the If-Match', async () => {
    await fuzz(
      fc.record({ body: fc.record({ geometry, properties }, { requiredKeys: [] }), ifMatch: fc.oneof(fc.constantFrom('1', '"1"', 'W/"1"', '*', '0', '999999999999'), fc.string({ maxLength: 12 }).filter((s) => /^[\x20-\x7e]*$/.test(s))) }),
      RUNS.zonePatch,
      ({ body, ifMatch }) => designer.patch(`/api/zones/${draftId}`, toJson(body), ifMatch ? { 'if-match': ifMatch } : {}),
    );
  });

  it('POST /api/cases never answers 5xx', async () => {
    const location = fc.oneof(
      fc.record({ type: fc.constantFrom('Point', 'point', 'MultiPoint'), coordinates: fc.oneof(position, fc.jsonValue({ maxDepth: 3 })) }, { requiredKeys: [] }),
      geometry,
    );
    await fuzz(fc.record({ location, reportedOn: dateLike, note: text, amongIsolated: fc.oneof(fc.boolean(), text) }, { requiredKeys: ['location'] }), RUNS.cases, (c) =>
      designer.post('/api/cases', toJson(c)),
    );
  });

  it('POST /api/routes never answers 5xx', async () => {
    const point = fc.oneof(fc.record({ type: fc.constant('Point'), coordinates: position }), geometry);
    const body = fc.record(
      {
        from: fc.oneof(point, text),
        to: point,
        avoid: fc.oneof(fc.subarray(['sealed', 'controlled', 'precaution']), fc.array(text, { maxLength: 4 })),
        truck: fc.oneof(fc.record({ heightM: number, weightT: number }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: ['from', 'to'] },
    );
    await fuzz(body, RUNS.routes, (b) => coordinator.post('/api/routes', toJson(b)));
  });

  it('GET /api/public/lookup never answers 5xx, whatever lon, lat and crs', async () => {
    await fuzz(fc.record({ lon: rawParam, lat: rawParam, crs: fc.oneof(fc.constantFrom('wgs84', 'gcj02'), rawParam), repeat: fc.boolean() }), RUNS.lookup, (q) =>
      anon.get(`/api/public/lookup?lon=${q.lon}&lat=${q.lat}&crs=${q.crs}${q.repeat ? `&lon=${q.lon}` : ''}`),
    );
  });

  it('GET /ogc/collections/{id}/items never answers 5xx, whatever bbox, limit, offset and f', async () => {
    const query = fc.record({
      collection: fc.oneof(fc.constantFrom('zones', 'checkpoints', 'facilities'), rawParam),
      bbox: bboxParam,
      limit: rawParam,
      offset: rawParam,
      f: fc.oneof(fc.constantFrom('json', 'html'), rawParam),
    });
    await fuzz(query, RUNS.ogcItems, (q) => anon.get(`/ogc/collections/${q.collection || 'zones'}/items?bbox=${q.bbox}&limit=${q.limit}&offset=${q.offset}&f=${q.f}`));
  });

  it('GET /api/public/zones never answers 5xx, whatever asOf', async () => {
    await fuzz(fc.oneof(dateLike.map(encodeURIComponentSafe), rawParam), RUNS.publicZones, (asOf) => anon.get(`/api/public/zones?asOf=${asOf}`));
  });
});

/** encodeURIComponent that turns a lone surrogate into U+FFFD instead of throwing. */
function encodeURIComponentSafe(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}
