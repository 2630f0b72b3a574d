// Property tests: whatever arrives, each parser returns a valid result or throws GeometryInputError
// with a known code, and never anything else (a TypeError from a weird value would be a 500).

import fc from 'fast-check';
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
  type GeometryLimits,
  type LonLatBox,
} from './geojson';
import { GEOMETRY_ERROR_CODES, GEOMETRY_TYPE_NOT_ALLOWED, RING_DEGENERATE, RING_SELF_INTERSECTION } from './geojson-codes';

const LIAOCHENG: LonLatBox = [115.2, 35.6, 116.9, 37.1];
const WORLD: LonLatBox = [-180, -90, 180, 90];

function limits(overrides: Partial<GeometryLimits> = {}): GeometryLimits {
  return { maxVertices: 10_000, maxDepth: 8, serviceArea: [...LIAOCHENG], ...overrides };
}

/** Runs `parse`; returns its result, or null when it threw a GeometryInputError with a known code. Anything else fails. */
function outcome<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof GeometryInputError)) throw error;
    if (!GEOMETRY_ERROR_CODES.has(error.code)) throw new Error(`unknown code ${error.code}`);
    if (typeof error.message !== 'string' || error.message.length === 0) throw new Error(`no message for ${error.code}`);
    return null;
  }
}

function codeOf(parse: () => unknown): string | null {
  try {
    parse();
    return null;
  } catch (error) {
    if (error instanceof GeometryInputError) return error.code;
    throw error;
  }
}

function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

function inBox([lon, lat]: number[], [minLon, minLat, maxLon, maxLat]: LonLatBox): boolean {
  return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
}

/** What every accepted zone must look like; lists the problems found (checked in one expect, for speed). */
function expectValidMultiPolygon(value: unknown, area: LonLatBox): void {
  const problems: string[] = [];
  const geometry = value as { type: string; coordinates: number[][][][] };
  if (geometry.type !== 'MultiPolygon') problems.push(`type ${geometry.type}`);
  if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) problems.push('no polygons');
  geometry.coordinates.forEach((polygon, p) => {
    if (polygon.length === 0) problems.push(`polygon ${p} has no rings`);
    polygon.forEach((ring, r) => {
      const where = `polygon ${p} ring ${r}`;
      if (ring.length < 4) problems.push(`${where} has ${ring.length} positions`);
      if (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]) problems.push(`${where} is open`);
      ring.forEach((position, i) => {
        if (position.length !== 2 || !position.every(Number.isFinite)) problems.push(`${where} position ${i} is not 2 finite numbers`);
        if (!inBox(position, area)) problems.push(`${where} position ${i} is outside the service area`);
        if (i > 0 && position[0] === ring[i - 1][0] && position[1] === ring[i - 1][1]) problems.push(`${where} repeats position ${i}`);
      });
      // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
      if (r === 0 ? signedArea(ring) <= 0 : signedArea(ring) >= 0) problems.push(`${where} is wound the wrong way`);
    });
  });
  expect(problems).toEqual([]);
}

const weirdValue = fc.anything({
  maxDepth: 5,
  withBoxedValues: true,
  withNullPrototype: true,
  withSparseArray: true,
  withObjectString: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
});

const positionPart = fc.oneof(
  fc.double({ min: 115, max: 117.2 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 180, -180, 90, -90, 1e308),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, undefined, true, [], {}, [115.9, 36.4]),
);

/** Nested arrays whose leaves are numbers, strings and other things that do not belong in a position. */
const coordinateSoup = fc.letrec<{ soup: unknown }>((tie) => ({
  soup: fc.oneof({ depthSize: 'small', maxDepth: 5 }, positionPart, fc.array(tie('soup'), { maxLength: 6 })),
})).soup;

const geometryType = fc.constantFrom(
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
  'Feature',
  'FeatureCollection',
  'polygon',
  '',
);

/** Objects shaped like GeoJSON with nonsense inside, mostly of the types the zone parser takes. */
const geojsonShaped = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('Polygon', 'MultiPolygon') }, { weight: 1, arbitrary: geometryType }),
      coordinates: coordinateSoup,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { type: geometryType, coordinates: coordinateSoup, crs: fc.constant({ type: 'name' }), geometry: weirdValue, properties: weirdValue },
      { requiredKeys: ['type'] },
    ),
  },
);

/**
 * A simple star-shaped ring: n ≥ 6 vertices at increasing angles around a centre, no angular gap
 * reaching 180°, so no two edges meet and every edge keeps more than 0.58·minR from the centre.
 */
const starRing = (cx: number, cy: number, minR: number, maxR: number) =>
  fc
    .array(fc.tuple(fc.double({ min: 0, max: 0.8, noNaN: true }), fc.double({ min: minR, max: maxR, noNaN: true })), {
      minLength: 6,
      maxLength: 40,
    })
    .map((vertices) => {
      const ring = vertices.map(([jitter, r], i) => {
        const turn = (i + jitter) / vertices.length;
        return [cx + r * Math.cos(2 * Math.PI * turn), cy + r * Math.sin(2 * Math.PI * turn)];
      });
      return [...ring, ring[0]];
    });

const validZone = fc
  .tuple(starRing(115.98, 36.45, 0.05, 0.3), fc.option(starRing(115.98, 36.45, 0.005, 0.02)), fc.boolean(), fc.boolean())
  .map(([shell, hole, multi, reversed]) => {
    const rings = hole ? [shell, hole] : [shell];
    const polygon = reversed ? rings.map((ring) => [...ring].reverse()) : rings;
    return multi ? { type: 'MultiPolygon', coordinates: [polygon] } : { type: 'Polygon', coordinates: polygon };
  });

type Mutation = (geometry: { type: string; coordinates: unknown[] }, rng: () => number) => void;

/** Damage done to a valid zone: each keeps the JSON shape plausible so the deeper checks are reached. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  positionPart.map((value): Mutation => (g, rng) => {
    const ring = someRing(g, rng);
    const position = ring[Math.floor(rng() * ring.length)] as unknown[];
    if (Array.isArray(position)) position[Math.floor(rng() * 2)] = value;
  }),
  fc.constant<Mutation>((g, rng) => {
    const ring = someRing(g, rng);
    ring.splice(Math.floor(rng() * ring.length), 1);
  }),
  fc.constant<Mutation>((g, rng) => {
    const ring = someRing(g, rng);
    const i = Math.floor(rng() * ring.length);
    ring.splice(i, 0, ring[i]);
  }),
  fc.constant<Mutation>((g, rng) => {
    const ring = someRing(g, rng);
    const i = Math.floor(rng() * ring.length);
    const j = Math.floor(rng() * ring.length);
    [ring[i], ring[j]] = [ring[j], ring[i]];
  }),
  fc.tuple(fc.double({ min: 115.0, max: 117.0, noNaN: true }), fc.double({ min: 36.0, max: 37.0, noNaN: true })).map(
    ([lon, lat]): Mutation =>
      (g, rng) => {
        const ring = someRing(g, rng);
        ring[Math.floor(rng() * ring.length)] = [lon, lat];
      },
  ),
  fc.constant<Mutation>((g, rng) => {
    const ring = someRing(g, rng);
    ring.length = Math.min(ring.length, 3);
  }),
  fc.constant<Mutation>((g) => {
    g.coordinates = [g.coordinates];
  }),
  fc.constant<Mutation>((g) => {
    g.coordinates.push([]);
  }),
  geometryType.map((type): Mutation => (g) => {
    g.type = type;
  }),
  fc.constant<Mutation>((g) => {
    (g as Record<string, unknown>).crs = { type: 'name', properties: { name: 'EPSG:4490' } };
  }),
  fc.double({ min: -400, max: 400, noNaN: true }).map((shift): Mutation => (g, rng) => {
    const ring = someRing(g, rng);
    const position = ring[Math.floor(rng() * ring.length)];
    if (Array.isArray(position) && typeof position[0] === 'number') position[0] += shift;
  }),
);

/** Some array two levels above positions in `g`, or a throwaway array if the shape is already broken. */
function someRing(g: { type: string; coordinates: unknown[] }, rng: () => number): unknown[] {
  let node: unknown = g.coordinates;
  const depth = g.type === 'MultiPolygon' ? 2 : 1;
  for (let d = 0; d < depth; d++) {
    if (!Array.isArray(node) || node.length === 0) return [];
    node = node[Math.floor(rng() * node.length)];
  }
  return Array.isArray(node) && node.length > 0 ? node : [];
}

describe('parseZoneGeometry under fuzzing', () => {
  it('returns a valid MultiPolygon or a known refusal for any value', () => {
    fc.assert(
      fc.property(fc.oneof(weirdValue, fc.jsonValue(), geojsonShaped), (input) => {
        const result = outcome(() => parseZoneGeometry(input, limits()));
        if (result) expectValidMultiPolygon(result, LIAOCHENG);
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns a valid MultiPolygon or a known refusal for damaged valid zones', () => {
    fc.assert(
      fc.property(validZone, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.integer(), (zone, mutations, seed) => {
        const geometry = structuredClone(zone);
        let state = seed;
        const rng = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) | 0) >>> 0) / 2 ** 32;
        for (const mutate of mutations) mutate(geometry, rng);
        const result = outcome(() => parseZoneGeometry(geometry, limits()));
        if (result) expectValidMultiPolygon(result, LIAOCHENG);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts every simple star-shaped zone, with or without a hole, in either winding', () => {
    fc.assert(
      fc.property(validZone, (zone) => {
        expectValidMultiPolygon(parseZoneGeometry(zone, limits()), LIAOCHENG);
      }),
      { numRuns: 1_000 },
    );
  });
});

// An independent all-pairs check on small integer rings, where every orientation is exact.

type P = [number, number];

function turn(a: P, b: P, c: P): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

function between(a: P, b: P, p: P): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** Whether closed segments ab and cd share any point. */
function segmentsMeet(a: P, b: P, c: P, d: P): boolean {
  const t1 = turn(a, b, c);
  const t2 = turn(a, b, d);
  const t3 = turn(c, d, a);
  const t4 = turn(c, d, b);
  if (t1 * t2 < 0 && t3 * t4 < 0) return true;
  return (t1 === 0 && between(a, b, c)) || (t2 === 0 && between(a, b, d)) || (t3 === 0 && between(c, d, a)) || (t4 === 0 && between(c, d, b));
}

/** Whether segments ab and bc (sharing b) run back over each other. */
function foldsBack(a: P, b: P, c: P): boolean {
  return turn(a, b, c) === 0 && (a[0] - b[0]) * (c[0] - b[0]) + (a[1] - b[1]) * (c[1] - b[1]) > 0;
}

/** All pairs of edges of a closed ring without consecutive duplicates: does it cross, touch or fold back on itself? */
function ringIsSimpleByAllPairs(ring: P[]): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        const [a, b, c] = j === i + 1 ? [ring[i], ring[j], ring[j + 1]] : [ring[i + 1], ring[0], ring[n - 1]];
        if (foldsBack(a, b, c)) return false;
      } else if (segmentsMeet(ring[i], ring[i + 1], ring[j], ring[j + 1])) {
        return false;
      }
    }
  }
  return true;
}

describe('self-intersection sweep against all pairs', () => {
  const gridRing = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 3, maxLength: 9 }).map((ps) => [...ps, ps[0]] as P[]);

  it('refuses a small ring exactly when some pair of its edges meets where it must not', () => {
    fc.assert(
      fc.property(gridRing, (ring) => {
        const code = codeOf(() => parseZoneGeometry({ type: 'Polygon', coordinates: [ring] }, limits({ serviceArea: WORLD })));
        const cleaned = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
        if (code === RING_DEGENERATE) {
          expect(new Set(cleaned.map((p) => `${p}`)).size).toBeLessThan(3);
          return;
        }
        expect(code === RING_SELF_INTERSECTION).toBe(!ringIsSimpleByAllPairs(cleaned));
        if (code !== RING_SELF_INTERSECTION) expect(code).toBeNull();
      }),
      { numRuns: 3_000 },
    );
  });

  it('refuses two small squares exactly when they overlap or share a stretch of edge', () => {
    const square = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 })).map(
      ([x, y, s]): P[] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]],
    );
    fc.assert(
      fc.property(square, square, (a, b) => {
        const code = codeOf(() => parseZoneGeometry({ type: 'MultiPolygon', coordinates: [[a], [b]] }, limits({ serviceArea: WORLD })));
        // Axis-aligned squares overlap exactly when their open interiors intersect.
        const overlap = a[0][0] < b[1][0] && b[0][0] < a[1][0] && a[0][1] < b[2][1] && b[0][1] < a[2][1];
        const sharedEdge =
          !overlap &&
          ((a[1][0] === b[0][0] || b[1][0] === a[0][0]) && Math.min(a[2][1], b[2][1]) > Math.max(a[0][1], b[0][1]) ||
            (a[2][1] === b[0][1] || b[2][1] === a[0][1]) && Math.min(a[1][0], b[1][0]) > Math.max(a[0][0], b[0][0]));
        expect(code !== null).toBe(overlap || sharedEdge);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('other parsers under fuzzing', () => {
  const anyInput = fc.oneof(weirdValue, fc.jsonValue(), geojsonShaped);

  it('parsePoint returns a Point inside the service area or a known refusal', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = outcome(() => parsePoint(input, limits()));
        if (result) {
          expect(result.type).toBe('Point');
          expect(result.coordinates).toHaveLength(2);
          expect(inBox(result.coordinates, LIAOCHENG)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseLine returns a line of 2 or more positions or a known refusal', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = outcome(() => parseLine(input, limits()));
        if (result) {
          const lines = result.type === 'LineString' ? [result.coordinates] : result.coordinates;
          for (const line of lines) {
            expect(line.length).toBeGreaterThanOrEqual(2);
            expect(line.every((p) => inBox(p, LIAOCHENG))).toBe(true);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseFeature and parseFeatureCollection only ever refuse with known codes', () => {
    const featureLike = fc.record({ type: fc.constantFrom('Feature', 'FeatureCollection', 'Point'), geometry: anyInput, properties: weirdValue, id: weirdValue, features: fc.array(anyInput, { maxLength: 3 }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(anyInput, featureLike), (input) => {
        const feature = outcome(() => parseFeature(input, parsePoint, limits()));
        if (feature) expect(typeof feature.properties).toBe('object');
        outcome(() => parseFeatureCollection(input, parseZoneGeometry, limits()));
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseFeature refuses a collection where a feature is required', () => {
    expect(codeOf(() => parseFeature({ type: 'FeatureCollection', features: [] }, parsePoint, limits()))).toBe(GEOMETRY_TYPE_NOT_ALLOWED);
  });
});

describe('query parameters under fuzzing', () => {
  it('parseBbox returns null, an ordered box within range and area, or a known refusal', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(fc.oneof(fc.double().map(String), fc.integer().map(String), fc.string({ maxLength: 5 })), { maxLength: 7 }).map((parts) => parts.join(',')),
    );
    fc.assert(
      fc.property(fc.oneof(text, weirdValue), fc.double({ min: 0, max: 1000, noNaN: true }), (bbox, maxArea) => {
        const result = outcome(() => parseBbox(bbox, maxArea));
        if (result) {
          const [minLon, minLat, maxLon, maxLat] = result;
          expect(minLon).toBeLessThanOrEqual(maxLon);
          expect(minLat).toBeLessThanOrEqual(maxLat);
          expect(inBox([minLon, minLat], WORLD) && inBox([maxLon, maxLat], WORLD)).toBe(true);
          expect((maxLon - minLon) * (maxLat - minLat)).toBeLessThanOrEqual(maxArea);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('parseBbox reads back any valid box written as decimals', () => {
    const lon = fc.double({ min: -180, max: 180, noNaN: true });
    const lat = fc.double({ min: -90, max: 90, noNaN: true });
    fc.assert(
      fc.property(lon, lat, lon, lat, (x0, y0, x1, y1) => {
        const box = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
        // String(-0) is "0", which reads back as +0.
        expect(parseBbox(box.join(','), Infinity)).toEqual(box.map((v) => v + 0));
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseLonLat returns a position in range or a known refusal', () => {
    const param = fc.oneof(fc.string({ maxLength: 20 }), fc.double().map(String), fc.double(), weirdValue);
    fc.assert(
      fc.property(param, param, (lon, lat) => {
        const result = outcome(() => parseLonLat(lon, lat));
        if (result) expect(inBox([result.lon, result.lat], WORLD)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('parseLonLat reads back any position written as decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), (lon, lat) => {
        expect(parseLonLat(String(lon), String(lat))).toEqual({ lon: lon + 0, lat: lat + 0 });
      }),
      { numRuns: 1_000 },
    );
  });
});
