/**
 * Paths, constants and small helpers shared by the geodata build scripts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Position } from 'geojson';

/** Absolute path of the geodata/ folder. */
export const GEODATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the repository root (the folder holding node_modules/). */
export const REPO_DIR = resolve(GEODATA_DIR, '..');

/** Output files, relative to geodata/. */
export const OUTPUT = {
  regions: 'regions.geojson',
  cityBoundary: 'city-boundary.geojson',
  facilities: 'facilities.geojson',
  hotlines: 'hotlines.json',
  roads: 'roads.geojson',
  checkpoints: 'checkpoints.geojson',
} as const;

/**
 * The loader refuses any coordinate outside this box [minLon, minLat, maxLon, maxLat]
 * (the Liaocheng service area with a margin of a few kilometres).
 */
export const SERVICE_AREA: readonly [number, number, number, number] = [115.2, 35.6, 116.9, 37.1];

/** Lon/lat pair. */
export type LonLat = [number, number];

/** Absolute path of a file inside geodata/. */
export function geodataPath(file: string): string {
  return resolve(GEODATA_DIR, file);
}

/** Reads and parses a JSON file inside geodata/. */
export function readGeodata<T>(file: string): T {
  return JSON.parse(readFileSync(geodataPath(file), 'utf8')) as T;
}

/**
 * Writes JSON inside geodata/: one feature per line for FeatureCollections, so diffs of the
 * committed files stay readable without making them several times larger.
 */
export function writeGeodata(file: string, value: unknown): void {
  const path = geodataPath(file);
  mkdirSync(dirname(path), { recursive: true });
  const collection = value as { type?: string; features?: unknown[] };
  let text: string;
  if (collection.type === 'FeatureCollection' && Array.isArray(collection.features)) {
    const { features, ...rest } = collection;
    const head = JSON.stringify(rest).slice(0, -1);
    const body = features.map((feature) => JSON.stringify(feature)).join(',\n');
    text = `${head}${head.length > 1 ? ',' : ''}"features":[\n${body}\n]}\n`;
  } else {
    text = `${JSON.stringify(value, null, 2)}\n`;
  }
  writeFileSync(path, text);
}

/** True when the position lies inside SERVICE_AREA (edges included). */
export function inServiceArea([lon, lat]: Position): boolean {
  const [minLon, minLat, maxLon, maxLat] = SERVICE_AREA;
  return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
}

/** Throws when any position of the geometry lies outside SERVICE_AREA. */
export function assertInServiceArea(label: string, positions: Iterable<Position>): void {
  for (const position of positions) {
    if (!inServiceArea(position)) {
      throw new Error(`${label}: coordinate ${JSON.stringify(position)} is outside the service area ${JSON.stringify(SERVICE_AREA)}`);
    }
  }
}

/** Rounds to 6 decimals (about 0.1 m), the precision hand-placed points are written with. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** True when a script file is the one node was started with (so imports don't run main()). */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}
