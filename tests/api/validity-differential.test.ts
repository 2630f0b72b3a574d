/**
 * The GeoJSON parser's topology check (server/src/geo/geojson.ts) against PostGIS's own verdict
 * (ST_IsValid, GEOS), on the whole fixture corpus and on random polygons: both must call the
 * same shapes valid. The parser answers first with a precise stable code; PostGIS then judges
 * every zone again as it will be served (zones.repo `validity`), so a disagreement would be a
 * shape one of them lets through.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZoneGeometry, type GeometryLimits } from '../../server/src/geo/geojson';
import { backends } from '../helpers/backends';
import { startTestServer, type TestServer } from '../helpers/server';

const FIXTURES = 'server/src/geo/fixtures';
/** Parser codes that are verdicts on topology (the others are about structure and never reach PostGIS). */
const TOPOLOGY_CODES = new Set([
  'geometry_ring_degenerate',
  'geometry_ring_self_intersection',
  'geometry_polygon_self_intersection',
  'geometry_hole_outside_shell',
  'geometry_hole_inside_hole',
  'geometry_polygons_overlap',
]);
const LIMITS: GeometryLimits = { maxVertices: 10_000, maxDepth: 16, serviceArea: [115.2, 35.6, 116.9, 37.1] };

/** The parser's verdict: valid, invalid on topology, or a structural refusal (not compared). */
function parserVerdict(input: unknown): 'valid' | 'invalid' | 'structure' {
  try {
    parseZoneGeometry(input, LIMITS);
    return 'valid';
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return TOPOLOGY_CODES.has(code) ? 'invalid' : 'structure';
  }
}

/** A small polygon ring around (lon, lat) from random angles and radii: sometimes simple, sometimes not. */
const ringArb = (lon: number, lat: number, r: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: -r, max: r }), fc.integer({ min: -r, max: r })), { minLength: 3, maxLength: 7 })
    .map((points) => {
      const ring = points.map(([x, y]) => [lon + x / 10_000, lat + y / 10_000]);
      return [...ring, ring[0]];
    });

const polygonArb = fc.oneof(
  ringArb(115.98, 36.45, 20).map((shell) => ({ type: 'Polygon', coordinates: [shell] })),
  fc.tuple(ringArb(115.98, 36.45, 40), ringArb(115.98, 36.45, 15)).map(([shell, hole]) => ({ type: 'Polygon', coordinates: [shell, hole] })),
  fc.tuple(ringArb(115.98, 36.45, 20), ringArb(115.982, 36.45, 20)).map(([a, b]) => ({ type: 'MultiPolygon', coordinates: [[a], [b]] })),
);

describe.each(backends())('the parser and PostGIS agree on validity on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  const postgisValid = async (geometry: unknown): Promise<boolean> => {
    const row = (await server.db.knex.raw('SELECT ST_IsValid(ST_GeomFromGeoJSON(?)) AS valid', [JSON.stringify(geometry)])).rows[0];
    return Boolean(row.valid);
  };

  it('on every zone fixture the parser judges on topology', async () => {
    const fixtures = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')).fixtures as { file: string; parser: string; code: string | null; limits?: unknown }[];
    let compared = 0;
    for (const f of fixtures.filter((x) => x.parser === 'zone' && !x.limits)) {
      const input = JSON.parse(fs.readFileSync(path.join(FIXTURES, f.file), 'utf8'));
      const verdict = parserVerdict(input);
      if (verdict === 'structure') continue;
      const geometry = input.type === 'Feature' ? input.geometry : input;
      expect(await postgisValid(geometry), f.file).toBe(verdict === 'valid');
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('on random polygons, multipolygons and polygons with holes', async () => {
    const seen = { valid: 0, invalid: 0, structure: 0 };
    await fc.assert(
      fc.asyncProperty(polygonArb, async (geometry) => {
        const verdict = parserVerdict(geometry);
        seen[verdict] += 1;
        if (verdict === 'structure') return;
        expect(await postgisValid(geometry), JSON.stringify(geometry)).toBe(verdict === 'valid');
      }),
      { numRuns: 1000 },
    );
    // Both verdicts were compared many times: the property is not passing on one kind of shape only.
    expect(seen.valid, JSON.stringify(seen)).toBeGreaterThan(50);
    expect(seen.invalid, JSON.stringify(seen)).toBeGreaterThan(50);
  });
});
