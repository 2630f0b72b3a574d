import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { geodataRepo, type GeodataSet } from './geodata.repo';
import { nodeRoadLines } from '../roads/roads.noding';
import type { Facility } from '../facilities/facilities.repo';
import { parseLine, parsePoint, parseZoneGeometry, type GeometryLimits } from '../geo/geojson';

/** The project's geodata folder (regions, hospitals, hotlines, checkpoints, sample roads). */
export const GEODATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../geodata');

type Props = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// The geodata files are checked field by field by their callers, so they come back untyped.
function readJson(dir: string, file: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/**
 * Reads and validates every geodata file with the same checks as the API's write paths, so a bad
 * file fails the load before anything is written.
 */
export function readGeodata(dir: string, limits: GeometryLimits): GeodataSet {
  const regions = readJson(dir, 'regions.geojson').features.map((f: { properties: Props; geometry: unknown }) => ({
    code: String(f.properties.code),
    name: String(f.properties.name),
    nameEn: String(f.properties.nameEn ?? ''),
    sourceName: str(f.properties.sourceName),
    source: String(f.properties.source ?? 'unknown'),
    seat: f.properties.seat as [number, number],
    geometry: parseZoneGeometry(f.geometry, { ...limits, maxVertices: 100000 }),
  }));
  const facilities = readJson(dir, 'facilities.geojson').features.map((f: { id?: string; properties: Props; geometry: unknown }) => ({
    id: String(f.properties.id ?? f.id),
    kind: String(f.properties.kind) as Facility['kind'],
    name: String(f.properties.name),
    address: str(f.properties.address),
    phone: str(f.properties.phone),
    beds: num(f.properties.beds),
    rooms: num(f.properties.rooms),
    approximate: f.properties.approximate === true,
    placement: str(f.properties.placement),
    sample: f.properties.sample === true,
    note: str(f.properties.note),
    source: str(f.properties.source),
    geometry: parsePoint(f.geometry, limits),
  }));
  const hotlineFile = readJson(dir, 'hotlines.json');
  const hotlineRows: Props[] = Array.isArray(hotlineFile) ? hotlineFile : (hotlineFile.hotlines ?? hotlineFile.rows);
  const hotlineSource = String(hotlineFile.source ?? 'seed 000');
  const hotlines = hotlineRows.map((h) => {
    const point = parsePoint({ type: 'Point', coordinates: h.approximatePoint ?? h.point }, limits).coordinates as [number, number];
    return {
      county: String(h.county ?? ''),
      township: String(h.township),
      phones: (h.phones as string[]).map(String),
      approximate: h.approximate !== false,
      placement: str(h.placement),
      source: hotlineSource,
      point,
    };
  });
  const checkpoints = readJson(dir, 'checkpoints.geojson').features.map((f: { id?: string; properties: Props; geometry: unknown }) => ({
    id: String(f.properties.id ?? f.id),
    name: String(f.properties.name),
    road: String(f.properties.road),
    direction: String(f.properties.direction),
    pointLeader: str(f.properties.pointLeader),
    phone: str(f.properties.phone),
    sample: f.properties.sample === true,
    geometry: parsePoint(f.geometry, limits),
  }));
  const lines: { coordinates: [number, number][]; props: Props }[] = readJson(dir, 'roads.geojson').features.flatMap((f: { properties: Props; geometry: unknown }) => {
    const g = parseLine(f.geometry, { ...limits, maxVertices: 100000 });
    const parts = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    return parts.map((coordinates) => ({ coordinates: coordinates as [number, number][], props: f.properties }));
  });
  const roads = nodeRoadLines(lines).map((e) => ({
    source: e.source,
    target: e.target,
    name: str(e.props.name),
    ref: str(e.props.ref),
    class: String(e.props.class ?? 'unclassified'),
    speedKmh: num(e.props.speedKmh) ?? 40,
    oneway: e.props.oneway === true,
    maxHeightM: num(e.props.maxHeightM),
    maxWeightT: num(e.props.maxWeightT),
    noTrucks: e.props.noTrucks === true,
    sample: e.props.sample === true,
    approximate: e.props.approximate === true,
    coordinates: e.coordinates,
  }));
  return { regions, facilities, hotlines, checkpoints, roads };
}

/** A fingerprint of the geodata files, so a start-up loads them only when they changed. */
export function geodataFingerprint(dir: string): string {
  const h = crypto.createHash('sha256');
  for (const f of ['regions.geojson', 'facilities.geojson', 'hotlines.json', 'checkpoints.geojson', 'roads.geojson']) {
    h.update(f).update(fs.readFileSync(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Loading the Liaocheng reference data. */
export function geodataService(knex: Knex, limits: GeometryLimits) {
  const repo = geodataRepo(knex);
  return {
    /** Loads the geodata files when the database has none or older ones; returns whether it loaded. */
    async ensureLoaded(dir = GEODATA_DIR): Promise<boolean> {
      const fingerprint = geodataFingerprint(dir);
      const state = (await repo.loadedState()) as { fingerprint?: string } | null;
      if (state?.fingerprint === fingerprint) return false;
      await this.load(dir, fingerprint);
      return true;
    },
    async load(dir = GEODATA_DIR, fingerprint = geodataFingerprint(dir)): Promise<void> {
      const set = readGeodata(dir, limits);
      await repo.replaceAll(set, { fingerprint, loadedAt: new Date().toISOString(), counts: {
        regions: set.regions.length, facilities: set.facilities.length, hotlines: set.hotlines.length,
        checkpoints: set.checkpoints.length, roads: set.roads.length } });
    },
  };
}
