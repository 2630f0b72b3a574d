import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GeometryInputError,
  parseBbox,
  parseFeature,
  parseFeatureCollection,
  parseLine,
  parseLonLat,
  parsePoint,
  parseZoneGeometry,
  zZoneGeometry,
  type GeometryLimits,
  type LonLatBox,
} from './geojson';
import {
  BBOX_INVERTED,
  BBOX_MALFORMED,
  BBOX_OUT_OF_RANGE,
  BBOX_TOO_LARGE,
  COORDINATE_MALFORMED,
  COORDINATE_MISSING,
  FEATURE_COLLECTION_INVALID,
  FEATURE_COLLECTION_TOO_LARGE,
  GEOJSON_NESTING_TOO_DEEP,
  GEOMETRY_ERROR_CODES,
  GEOMETRY_ERROR_REASONS,
  OUTSIDE_SERVICE_AREA,
  POSITION_INVALID,
  POSITION_OUT_OF_RANGE,
  RING_SELF_INTERSECTION,
  TOO_MANY_VERTICES,
} from './geojson-codes';
import * as codes from './geojson-codes';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LIAOCHENG: LonLatBox = [115.2, 35.6, 116.9, 37.1];

function limits(overrides: Partial<GeometryLimits> = {}): GeometryLimits {
  return { maxVertices: 10_000, maxDepth: 8, serviceArea: [...LIAOCHENG], ...overrides };
}

/** The error a call throws, failing the test if it returns or throws anything else. */
function refusal(call: () => unknown): GeometryInputError {
  try {
    call();
  } catch (error) {
    if (error instanceof GeometryInputError) return error;
    throw error;
  }
  throw new Error('expected a GeometryInputError, but the input was accepted');
}

/** Twice the signed area of a ring: positive when counter-clockwise. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

function square(x0: number, y0: number, x1: number, y1: number): number[][] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

/** A star-shaped ring with `n` vertices around a Liaocheng centre, spikes reaching within `inner` degrees of it. */
function star(n: number, inner: number): number[][] {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const r = i % 2 === 0 ? inner : 0.3;
    return [115.98 + r * Math.cos(a), 36.45 + r * Math.sin(a)];
  });
  return [...ring, ring[0]];
}

interface FixtureCase {
  file: string;
  parser: string;
  code: string | null;
  limits?: Partial<GeometryLimits>;
  featureErrors?: Array<{ index: number; code: string }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  serviceArea: LonLatBox;
  fixtures: FixtureCase[];
};

const PARSERS: Record<string, (input: unknown, l: GeometryLimits) => unknown> = {
  zone: parseZoneGeometry,
  point: parsePoint,
  line: parseLine,
  'feature:zone': (input, l) => parseFeature(input, parseZoneGeometry, l),
  'feature:point': (input, l) => parseFeature(input, parsePoint, l),
  'featureCollection:zone': (input, l) => parseFeatureCollection(input, parseZoneGeometry, l),
};

describe('fixtures', () => {
  it('lists every fixture file in expected.json exactly once', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.geojson')).sort();
    expect(manifest.fixtures.map((f) => f.file).sort()).toEqual(files);
  });

  it('use the Liaocheng service area', () => {
    expect(manifest.serviceArea).toEqual(LIAOCHENG);
  });

  it.each(manifest.fixtures)('$file → $code', (fixture) => {
    const input: unknown = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture.file), 'utf8'));
    const parse = PARSERS[fixture.parser];
    expect(parse, `unknown parser ${fixture.parser}`).toBeDefined();
    const l = limits({ serviceArea: manifest.serviceArea, ...fixture.limits });
    if (fixture.code === null) {
      expect(() => parse(input, l)).not.toThrow();
      return;
    }
    const error = refusal(() => parse(input, l));
    expect(error.code).toBe(fixture.code);
    if (fixture.featureErrors) {
      const listed = (error.details?.errors as Array<{ index: number; code: string }>).map(({ index, code }) => ({ index, code }));
      expect(listed).toEqual(fixture.featureErrors);
    }
  });
});

describe('parseZoneGeometry normalisation', () => {
  it('turns a clockwise outer ring counter-clockwise (RFC 7946 §3.1.6)', () => {
    const clockwise = [...square(115.95, 36.43, 116.01, 36.47)].reverse();
    expect(signedArea(clockwise)).toBeLessThan(0);
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [clockwise] }, limits());
    expect(signedArea(result.coordinates[0][0])).toBeGreaterThan(0);
  });

  it('turns a counter-clockwise hole clockwise', () => {
    const hole = square(115.97, 36.44, 115.99, 36.46);
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47), hole] }, limits());
    expect(signedArea(result.coordinates[0][1])).toBeLessThan(0);
  });

  it('removes consecutive duplicate positions', () => {
    const ring = [[115.95, 36.43], [115.95, 36.43], [116.01, 36.43], [116.01, 36.47], [116.01, 36.47], [115.95, 36.47], [115.95, 36.43], [115.95, 36.43]];
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits());
    expect(result.coordinates[0][0]).toEqual(square(115.95, 36.43, 116.01, 36.47));
  });

  it('returns a Polygon as a MultiPolygon of one polygon', () => {
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)] }, limits());
    expect(result).toEqual({ type: 'MultiPolygon', coordinates: [[square(115.95, 36.43, 116.01, 36.47)]] });
  });

  it('drops altitudes', () => {
    const ring = square(115.95, 36.43, 116.01, 36.47).map(([x, y]) => [x, y, 40]);
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits());
    expect(result.coordinates[0][0].every((p) => p.length === 2)).toBe(true);
  });

  it('leaves the input unchanged', () => {
    const input = { type: 'Polygon', coordinates: [[...square(115.95, 36.43, 116.01, 36.47)].reverse()] };
    const copy = structuredClone(input);
    parseZoneGeometry(input, limits());
    expect(input).toEqual(copy);
  });

  it('keeps only the geometry members it understands', () => {
    const result = parseZoneGeometry(
      { type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)], bbox: [0, 0, 1, 1], style: { fill: 'red' } },
      limits(),
    );
    expect(Object.keys(result).sort()).toEqual(['coordinates', 'type']);
  });
});

describe('parseZoneGeometry refusals', () => {
  it('refuses NaN in a position', () => {
    const ring = square(115.95, 36.43, 116.01, 36.47);
    ring[1] = [Number.NaN, 36.43];
    expect(refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits())).code).toBe(POSITION_INVALID);
  });

  it('refuses a 100 000-deep array without exhausting the stack', () => {
    let deep: unknown = [115.95, 36.43];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const error = refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: deep }, limits()));
    expect(error.code).toBe(GEOJSON_NESTING_TOO_DEEP);
  });

  it('refuses deep nesting hidden in a foreign member', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const input = { type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)], extra: deep };
    expect(refusal(() => parseZoneGeometry(input, limits())).code).toBe(GEOJSON_NESTING_TOO_DEEP);
  });

  it('accepts an object without a prototype', () => {
    const input = Object.assign(Object.create(null) as object, { type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)] });
    expect(parseZoneGeometry(input, limits()).type).toBe('MultiPolygon');
  });

  it('ignores members inherited through the prototype', () => {
    const input = Object.create({ type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)] }) as object;
    expect(() => parseZoneGeometry(input, limits())).toThrow(GeometryInputError);
  });

  it('counts vertices across all rings against maxVertices', () => {
    const input = { type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47), [...square(115.97, 36.44, 115.99, 36.46)].reverse()] };
    expect(refusal(() => parseZoneGeometry(input, limits({ maxVertices: 9 }))).code).toBe(TOO_MANY_VERTICES);
  });

  it('names where a bowtie crosses itself', () => {
    const bowtie = [[115.95, 36.43], [116.01, 36.47], [116.01, 36.43], [115.95, 36.47], [115.95, 36.43]];
    const error = refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: [bowtie] }, limits()));
    const [lon, lat] = error.details?.at as number[];
    expect([lon, lat].map((v) => +v.toFixed(9))).toEqual([115.98, 36.45]);
  });

  it('names segments by their input positions when duplicates were dropped before them', () => {
    const bowtie = [[115.95, 36.43], [115.95, 36.43], [116.01, 36.47], [116.01, 36.43], [115.95, 36.47], [115.95, 36.43]];
    const error = refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: [bowtie] }, limits()));
    expect(error.details).toMatchObject({ segment: 1, other: { segment: 3 } });
  });

  it('says which position lies outside the service area', () => {
    const ring = square(115.95, 36.43, 116.01, 36.47);
    ring[2] = [117.5, 36.47];
    const error = refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits()));
    expect(error.details).toMatchObject({ ring: 0, position: 2 });
  });

  it('is a 400 error carrying its code', () => {
    const error = refusal(() => parseZoneGeometry(null, limits()));
    expect({ status: error.status, name: error.name, isError: error instanceof Error }).toEqual({
      status: 400,
      name: 'GeometryInputError',
      isError: true,
    });
  });
});

describe('parseZoneGeometry scale', () => {
  it('accepts a 50 000-vertex star whose spikes all nearly meet, without comparing every pair of edges', () => {
    // Imports of boundaries allow 100 000 vertices. Here every spike passes within 1e-6° of the
    // centre, so most edges are live at once: testing all pairs means about a billion segment tests
    // (tens of seconds); the sweep takes well under a second unloaded, leaving room for a busy machine.
    const ring = star(49_999, 1e-6);
    const started = performance.now();
    const result = parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits({ maxVertices: 50_000 }));
    const elapsed = performance.now() - started;
    expect(result.coordinates[0][0]).toHaveLength(50_000);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('finds the one crossing among 10 000 vertices', () => {
    const ring = star(9_999, 1e-6);
    // Pull one inner vertex across the centre so its spike crosses the opposite ones.
    ring[2] = [115.98 - 0.01 * Math.cos((4 * Math.PI) / 9_999), 36.45 - 0.01 * Math.sin((4 * Math.PI) / 9_999)];
    expect(refusal(() => parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits())).code).toBe(RING_SELF_INTERSECTION);
  });

  it('accepts the real Liaocheng county boundaries (geodata/regions.geojson)', () => {
    const regions = JSON.parse(fs.readFileSync(path.join(REPO, 'geodata/regions.geojson'), 'utf8')) as {
      features: Array<{ geometry: unknown }>;
    };
    for (const feature of regions.features) {
      expect(() => parseZoneGeometry(feature.geometry, limits({ maxVertices: 100_000 }))).not.toThrow();
    }
  });
});

describe('parseFeature', () => {
  it('gives a bare geometry empty properties', () => {
    const result = parseFeature({ type: 'Point', coordinates: [115.985, 36.457] }, parsePoint, limits());
    expect(result).toEqual({ geometry: { type: 'Point', coordinates: [115.985, 36.457] }, properties: {} });
  });

  it('keeps the id and copies the properties', () => {
    const properties = { name: 'sample checkpoint (not a real one)' };
    const result = parseFeature({ type: 'Feature', id: 7, properties, geometry: { type: 'Point', coordinates: [115.985, 36.457] } }, parsePoint, limits());
    expect({ id: result.id, properties: result.properties, copied: result.properties !== properties }).toEqual({ id: 7, properties, copied: true });
  });
});

describe('parseFeatureCollection', () => {
  it('returns every feature when all are valid', () => {
    const feature = { type: 'Feature', properties: { n: 1 }, geometry: { type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)] } };
    const result = parseFeatureCollection({ type: 'FeatureCollection', features: [feature, feature] }, parseZoneGeometry, limits());
    expect(result.map((f) => f.properties)).toEqual([{ n: 1 }, { n: 1 }]);
  });

  it('refuses more features than allowed before reading any', () => {
    const features = Array.from({ length: 3 }, () => null);
    const error = refusal(() => parseFeatureCollection({ type: 'FeatureCollection', features }, parseZoneGeometry, limits(), 2));
    expect(error.code).toBe(FEATURE_COLLECTION_TOO_LARGE);
  });

  it('lists at most 100 refused features but counts them all', () => {
    const features = Array.from({ length: 150 }, () => ({ type: 'Feature', properties: {}, geometry: null }));
    const error = refusal(() => parseFeatureCollection({ type: 'FeatureCollection', features }, parseZoneGeometry, limits()));
    expect({ code: error.code, listed: (error.details?.errors as unknown[]).length, count: error.details?.errorCount }).toEqual({
      code: FEATURE_COLLECTION_INVALID,
      listed: 100,
      count: 150,
    });
  });

  it('counts maxDepth from the collection', () => {
    const feature = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[square(115.95, 36.43, 116.01, 36.47)]] } };
    const error = refusal(() => parseFeatureCollection({ type: 'FeatureCollection', features: [feature] }, parseZoneGeometry, limits({ maxDepth: 7 })));
    expect((error.details?.errors as Array<{ code: string }>)[0].code).toBe(GEOJSON_NESTING_TOO_DEEP);
  });
});

describe('parseBbox', () => {
  it('reads minLon,minLat,maxLon,maxLat', () => {
    expect(parseBbox('115.9,36.4,116.1,36.5', 1)).toEqual([115.9, 36.4, 116.1, 36.5]);
  });

  it('ignores the heights of a 6-value box', () => {
    expect(parseBbox('115.9,36.4,0,116.1,36.5,100', 1)).toEqual([115.9, 36.4, 116.1, 36.5]);
  });

  it('returns null when absent or empty', () => {
    expect([parseBbox(undefined, 1), parseBbox('', 1)]).toEqual([null, null]);
  });

  it.each([
    ['115.9,36.4,116.1', BBOX_MALFORMED],
    ['115.9,36.4,116.1,', BBOX_MALFORMED],
    ['0x10,36.4,116.1,36.5', BBOX_MALFORMED],
    ['Infinity,36.4,116.1,36.5', BBOX_MALFORMED],
    ['115.9;36.4;116.1;36.5', BBOX_MALFORMED],
    ['115.9,36.4,181,36.5', BBOX_OUT_OF_RANGE],
    ['115.9,-91,116.1,36.5', BBOX_OUT_OF_RANGE],
    ['116.1,36.4,115.9,36.5', BBOX_INVERTED],
    ['179,36.4,-179,36.5', BBOX_INVERTED],
    ['115,35,117,37.5', BBOX_TOO_LARGE],
  ])('refuses %s with %s', (bbox, code) => {
    expect(refusal(() => parseBbox(bbox, 2)).code).toBe(code);
  });

  it('refuses a repeated parameter (an array from the query parser)', () => {
    expect(refusal(() => parseBbox(['115.9,36.4,116.1,36.5', '1,2,3,4'], 1)).code).toBe(BBOX_MALFORMED);
  });
});

describe('parseLonLat', () => {
  it('reads decimal strings', () => {
    expect(parseLonLat('115.985', ' 36.457 ')).toEqual({ lon: 115.985, lat: 36.457 });
  });

  it('reads numbers', () => {
    expect(parseLonLat(115.985, 36.457)).toEqual({ lon: 115.985, lat: 36.457 });
  });

  it.each([
    [undefined, '36.4', COORDINATE_MISSING],
    ['115.9', '', COORDINATE_MISSING],
    ['115.9e', '36.4', COORDINATE_MALFORMED],
    ['0x73', '36.4', COORDINATE_MALFORMED],
    ['115,9', '36.4', COORDINATE_MALFORMED],
    [['115.9', '116'], '36.4', COORDINATE_MALFORMED],
    [Number.NaN, 36.4, COORDINATE_MALFORMED],
    ['36.4', '115.9', POSITION_OUT_OF_RANGE],
    ['-181', '36.4', POSITION_OUT_OF_RANGE],
  ])('refuses lon=%s lat=%s with %s', (lon, lat, code) => {
    expect(refusal(() => parseLonLat(lon, lat)).code).toBe(code);
  });

  it('checks the service area when given one', () => {
    expect(refusal(() => parseLonLat('121.47', '31.23', LIAOCHENG)).code).toBe(OUTSIDE_SERVICE_AREA);
  });
});

describe('zZoneGeometry', () => {
  it('parses through zod', () => {
    const result = zZoneGeometry(limits()).parse({ type: 'Polygon', coordinates: [square(115.95, 36.43, 116.01, 36.47)] });
    expect(result.type).toBe('MultiPolygon');
  });

  it('lets the GeometryInputError through so its code reaches the client', () => {
    expect(() => zZoneGeometry(limits()).safeParse({ type: 'Polygon', coordinates: [] })).toThrow(GeometryInputError);
  });
});

describe('codes', () => {
  const exported = (Object.values(codes) as unknown[]).filter((value): value is string => typeof value === 'string');

  it('are distinct values', () => {
    expect(new Set(exported).size).toBe(exported.length);
  });

  it('each have a reason', () => {
    expect(exported.filter((code) => !GEOMETRY_ERROR_CODES.has(code))).toEqual([]);
  });

  it('each have an English reason ending in a full stop', () => {
    expect(Object.values(GEOMETRY_ERROR_REASONS).filter((reason) => !/^[A-Za-z"].*\.$/.test(reason))).toEqual([]);
  });
});
