/**
 * A deterministic SYNTHETIC road network and SYNTHETIC zones for benchmarks and parity tests.
 *
 * Nothing here is real data: the streets are a perturbed grid laid over a city-sized square
 * around Liaocheng ([116.0, 36.45]), every name carries "(synthetic)", and the zones are random
 * star-shaped polygons. The same options (seed included) always give the same network, so the
 * routing bench, `npm run bench` and the pgRouting parity tests can share it.
 */
import type { MultiPolygon } from 'geojson';
import type { LonLat } from '../../server/src/routing/geometry';
import type { RoadEdge } from '../../server/src/routing/graph';
import type { AvoidedZone, ZoneKind } from '../../server/src/routing/zone-index';

/** Seeded PRNG (mulberry32): uniform numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link generateRoadNetwork}. */
export interface RoadNetworkOptions {
  /** @defaultValue 20220401 */
  seed?: number;
  /** grid nodes per row and per column; @defaultValue 714 (about 1,000,000 edges) */
  size?: number;
  /** grid spacing in metres; @defaultValue 65 */
  spacingM?: number;
  /** centre of the grid; @defaultValue [116.0, 36.45] */
  center?: LonLat;
}

/** A generated network: edges in the roads-table shape plus node positions. */
export interface RoadNetwork {
  edges: RoadEdge[];
  /** node id → position, for picking route endpoints */
  nodes: Map<number, LonLat>;
  /** [minLon, minLat, maxLon, maxLat] of the node positions */
  bbox: [number, number, number, number];
}

const EARTH_RADIUS_M = 6371008.8;
const DEG = Math.PI / 180;

/** Great-circle length of a line in metres (the way `lengthM` would come from ST_Length). */
export function lineLengthM(line: readonly LonLat[]): number {
  let total = 0;
  for (let k = 0; k + 1 < line.length; k++) {
    const [lon1, lat1] = line[k];
    const [lon2, lat2] = line[k + 1];
    const dLat = (lat2 - lat1) * DEG;
    const dLon = (lon2 - lon1) * DEG;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
    total += 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  return total;
}

interface RoadClass {
  cls: string;
  speedKmh: number;
}

const MOTORWAY: RoadClass = { cls: 'motorway', speedKmh: 100 };
const TRUNK: RoadClass = { cls: 'trunk', speedKmh: 80 };
const PRIMARY: RoadClass = { cls: 'primary', speedKmh: 60 };
const TERTIARY: RoadClass = { cls: 'tertiary', speedKmh: 40 };
const RESIDENTIAL: RoadClass = { cls: 'residential', speedKmh: 30 };

/**
 * Generates a perturbed grid road network: residential streets, tertiary roads every 4th line,
 * primary roads every 12th, trunk roads every 48th, some diagonal streets, a few oneway streets,
 * truck limits on some edges, and dual-carriageway expressways (two oneway edges between
 * interchanges 15 blocks apart, running beside a grid row without junctions in between).
 */
export function generateRoadNetwork(options: RoadNetworkOptions = {}): RoadNetwork {
  const seed = options.seed ?? 20220401;
  const size = options.size ?? 714;
  const spacingM = options.spacingM ?? 65;
  const [centerLon, centerLat] = options.center ?? [116.0, 36.45];
  const random = seededRandom(seed);
  const metresPerDegLat = EARTH_RADIUS_M * DEG;
  const metresPerDegLon = metresPerDegLat * Math.cos(centerLat * DEG);
  const dLon = spacingM / metresPerDegLon;
  const dLat = spacingM / metresPerDegLat;
  const west = centerLon - ((size - 1) / 2) * dLon;
  const south = centerLat - ((size - 1) / 2) * dLat;

  const nodeLon = new Float64Array(size * size);
  const nodeLat = new Float64Array(size * size);
  const nodes = new Map<number, LonLat>();
  let bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      nodeLon[i] = west + (c + (random() - 0.5) * 0.4) * dLon;
      nodeLat[i] = south + (r + (random() - 0.5) * 0.4) * dLat;
      nodes.set(i + 1, [nodeLon[i], nodeLat[i]]);
      bbox = [
        Math.min(bbox[0], nodeLon[i]),
        Math.min(bbox[1], nodeLat[i]),
        Math.max(bbox[2], nodeLon[i]),
        Math.max(bbox[3], nodeLat[i]),
      ];
    }
  }
  const id = (r: number, c: number): number => r * size + c + 1;
  const at = (r: number, c: number): LonLat => [nodeLon[r * size + c], nodeLat[r * size + c]];
  const lineClass = (index: number): RoadClass =>
    index % 48 === 0 ? TRUNK : index % 12 === 0 ? PRIMARY : index % 4 === 0 ? TERTIARY : RESIDENTIAL;

  const edges: RoadEdge[] = [];
  const addEdge = (
    source: number,
    target: number,
    geometry: LonLat[],
    roadClass: RoadClass,
    name: string | null,
    ref: string | null,
    oneway: boolean,
  ): void => {
    const residential = roadClass === RESIDENTIAL;
    const limited = random();
    edges.push({
      id: edges.length + 1,
      source,
      target,
      geometry,
      lengthM: lineLengthM(geometry),
      speedKmh: roadClass.speedKmh,
      oneway,
      name,
      ref,
      cls: roadClass.cls,
      maxHeightM: limited < 0.01 ? [3.2, 3.5, 4.0, 4.5][Math.floor(random() * 4)] : null,
      maxWeightT: limited > 0.99 ? [10, 15, 20, 30][Math.floor(random() * 4)] : null,
      noTrucks: residential && random() < 0.03,
    });
  };
  // A quarter of the streets bend once, by up to a tenth of their length.
  const streetGeometry = (a: LonLat, b: LonLat): LonLat[] => {
    if (random() >= 0.25) return [a, b];
    const bend = (random() - 0.5) * 0.2;
    const mid: LonLat = [(a[0] + b[0]) / 2 - (b[1] - a[1]) * bend, (a[1] + b[1]) / 2 + (b[0] - a[0]) * bend];
    return [a, mid, b];
  };
  const streetName = (roadClass: RoadClass, axis: 'row' | 'column', index: number): string | null => {
    if (roadClass === RESIDENTIAL) return null;
    return axis === 'row' ? `East-West Road ${index} (synthetic)` : `North-South Road ${index} (synthetic)`;
  };
  const streetRef = (roadClass: RoadClass, axis: 'row' | 'column', index: number): string | null =>
    roadClass === TRUNK ? `${axis === 'row' ? 'S' : 'X'}${index} (synthetic)` : null;

  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      // Along the row (east–west).
      if (c + 1 < size) {
        const roadClass = lineClass(r);
        const keep = roadClass !== RESIDENTIAL || random() >= 0.035;
        if (keep) {
          const oneway = roadClass === RESIDENTIAL && random() < 0.02;
          const forward = random() < 0.5;
          const [s, t] = forward ? [[r, c], [r, c + 1]] : [[r, c + 1], [r, c]];
          addEdge(id(s[0], s[1]), id(t[0], t[1]), streetGeometry(at(s[0], s[1]), at(t[0], t[1])), roadClass,
            streetName(roadClass, 'row', r), streetRef(roadClass, 'row', r), oneway);
        }
      }
      // Along the column (north–south).
      if (r + 1 < size) {
        const roadClass = lineClass(c);
        const keep = roadClass !== RESIDENTIAL || random() >= 0.035;
        if (keep) {
          const oneway = roadClass === RESIDENTIAL && random() < 0.02;
          addEdge(id(r, c), id(r + 1, c), streetGeometry(at(r, c), at(r + 1, c)), roadClass,
            streetName(roadClass, 'column', c), streetRef(roadClass, 'column', c), oneway);
        }
      }
      // An occasional diagonal street.
      if (r + 1 < size && c + 1 < size && random() < 0.015) {
        addEdge(id(r, c), id(r + 1, c + 1), [at(r, c), at(r + 1, c + 1)], TERTIARY, null, null, false);
      }
    }
  }

  // Expressways: each carriageway is one oneway edge per 15 blocks, offset a quarter block north
  // (eastbound) or south (westbound) of its grid row, meeting the grid only at interchanges.
  const block = 15;
  for (let r = 60; r < size; r += 240) {
    for (let c = 0; c + block < size; c += block) {
      for (const eastbound of [true, false]) {
        const offset = (eastbound ? 0.25 : -0.25) * dLat;
        const line: LonLat[] = [at(r, c)];
        for (let k = c + 1; k < c + block; k++) line.push([at(r, k)[0], at(r, k)[1] + offset]);
        line.push(at(r, c + block));
        if (!eastbound) line.reverse();
        const [s, t] = eastbound ? [id(r, c), id(r, c + block)] : [id(r, c + block), id(r, c)];
        addEdge(s, t, line, MOTORWAY, `Expressway ${r} (synthetic)`, `G${r} (synthetic)`, true);
      }
    }
  }
  return { edges, nodes, bbox };
}

/** Options of {@link generateZones}. */
export interface ZoneOptions {
  /** @defaultValue 500 */
  count?: number;
  /** @defaultValue 20220402 */
  seed?: number;
}

/**
 * Random SYNTHETIC zones over a network's bbox: star-shaped polygons (always simple), sized by
 * kind — sealed 60–250 m, controlled 200–700 m, precaution 500–1500 m across half-width — and one
 * in twenty a MultiPolygon of two parts.
 */
export function generateZones(network: RoadNetwork, options: ZoneOptions = {}): AvoidedZone[] {
  const count = options.count ?? 500;
  const random = seededRandom(options.seed ?? 20220402);
  const [minLon, minLat, maxLon, maxLat] = network.bbox;
  const midLat = (minLat + maxLat) / 2;
  const metresPerDegLat = EARTH_RADIUS_M * DEG;
  const metresPerDegLon = metresPerDegLat * Math.cos(midLat * DEG);
  const star = (lon: number, lat: number, radiusM: number): LonLat[][] => {
    const vertices = 8 + Math.floor(random() * 13);
    const ring: LonLat[] = [];
    for (let k = 0; k < vertices; k++) {
      const angle = (2 * Math.PI * k) / vertices;
      const r = radiusM * (0.7 + 0.3 * random());
      ring.push([lon + (r * Math.cos(angle)) / metresPerDegLon, lat + (r * Math.sin(angle)) / metresPerDegLat]);
    }
    ring.push(ring[0]);
    return [ring];
  };
  const zones: AvoidedZone[] = [];
  for (let i = 0; i < count; i++) {
    const pick = random();
    const kind: ZoneKind = pick < 0.55 ? 'sealed' : pick < 0.9 ? 'controlled' : 'precaution';
    const [low, high] = kind === 'sealed' ? [60, 250] : kind === 'controlled' ? [200, 700] : [500, 1500];
    const lon = minLon + random() * (maxLon - minLon);
    const lat = minLat + random() * (maxLat - minLat);
    const polygons = [star(lon, lat, low + random() * (high - low))];
    if (random() < 0.05) {
      const offset = (4 * high) / metresPerDegLon;
      polygons.push(star(lon + offset, lat, low + random() * (high - low)));
    }
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
    zones.push({ id: `synthetic-zone-${i + 1}`, kind, name: `Sample zone ${i + 1} (synthetic)`, geometry });
  }
  return zones;
}
