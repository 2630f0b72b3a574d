/**
 * Reads the road network out of an OpenStreetMap PBF extract (e.g. a Shandong extract) and puts it
 * in the `roads` table in place of the sample network.
 *
 * The file is read twice, so memory grows with the service area and not with the extract:
 *  1. nodes: the id and coordinates of every node inside the box, in typed arrays (16 bytes a node);
 *  2. ways: the highway ways this service routes on, their tags mapped to the table's columns
 *     ({@link roadFromOsmTags}) and their node ids resolved against the first pass.
 * A province extract holds tens of millions of nodes; a Liaocheng-sized box a few million.
 *
 * Box edge: nodes outside the box are dropped and a way keeps its runs of two or more nodes inside
 * it, each run a line of its own. Keeping whole ways would put vertices outside the service area
 * (an OSM way can run on for kilometres), which the service's own write paths refuse (a route drawn
 * along such a road could not be stored); cutting lines at the box edge would add vertices OSM does
 * not have. The price is the last stretch of each road to the box edge, which lies outside the city
 * because the service area box is wider than the city.
 *
 * Junctions are the nodes ways share: OSM joins roads by shared nodes, so noding on shared
 * coordinates ({@link nodeRoadLines}) gives OSM's junctions, and a bridge over a road (no shared
 * node) stays unjoined.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import osmRead, { type OsmNode, type OsmWay } from 'osm-read';
import { nodeRoadLines, type RoadLine } from './roads.noding';
import { roadsRepo, type RoadInsert } from './roads.repo';
import { DEFAULT_SPEED_KMH, type RoadClass } from './roads.speeds';
import type { LonLatBox } from '../geo/geojson';

/**
 * The OSM `highway=*` values imported and the class each is stored as. A link (slip road) takes
 * its parent's class; a living street is stored as residential. Anything else (footway, track,
 * construction, …) is not a road trucks are routed on.
 */
export const HIGHWAY_CLASSES: Readonly<Record<string, RoadClass>> = Object.freeze({
  motorway: 'motorway',
  motorway_link: 'motorway',
  trunk: 'trunk',
  trunk_link: 'trunk',
  primary: 'primary',
  primary_link: 'primary',
  secondary: 'secondary',
  secondary_link: 'secondary',
  tertiary: 'tertiary',
  tertiary_link: 'tertiary',
  unclassified: 'unclassified',
  residential: 'residential',
  living_street: 'residential',
  service: 'service',
});

// Parking aisles, driveways and drive-throughs are not through roads: they would add many dead ends
// to the graph and nothing a truck route needs. Emergency access roads are closed to trucks.
const SKIPPED_SERVICE_KINDS = new Set(['parking_aisle', 'driveway', 'drive-through', 'emergency_access']);
const CLOSED_ACCESS = new Set(['no', 'private']);
// OSM: motorways and roundabouts are oneway unless tagged otherwise.
const IMPLIED_ONEWAY_HIGHWAYS = new Set(['motorway', 'motorway_link']);
const IMPLIED_ONEWAY_JUNCTIONS = new Set(['roundabout', 'circular']);

const SPEED_UNITS: Record<string, number> = { '': 1, 'km/h': 1, kmh: 1, kph: 1, mph: 1.609344, knots: 1.852 };
const LENGTH_UNITS: Record<string, number> = { '': 1, m: 1, ft: 0.3048 };
const WEIGHT_UNITS: Record<string, number> = { '': 1, t: 1, kg: 0.001, st: 0.90718474, lbs: 0.00045359237 };

/** A way's tags mapped to the `roads` columns. */
export interface OsmRoad {
  class: RoadClass;
  /** `name:zh`, else `name`. */
  name: string | null;
  ref: string | null;
  speedKmh: number;
  oneway: boolean;
  /** `oneway=-1`: traffic runs against the way's node order, so the line is stored reversed. */
  reversed: boolean;
  maxHeightM: number | null;
  maxWeightT: number | null;
  noTrucks: boolean;
}

/**
 * Maps an OSM way's tags to a road, or null when the way is not imported: not a road class in
 * {@link HIGHWAY_CLASSES}, closed to motor vehicles (`motor_vehicle`, else `vehicle`, else `access`
 * is `no` or `private`), an area, a parking aisle or driveway, or a reversible road (its direction
 * changes with the time of day).
 */
export function roadFromOsmTags(tags: Readonly<Record<string, string | undefined>>): OsmRoad | null {
  const highway = tags.highway;
  const cls = highway !== undefined && Object.hasOwn(HIGHWAY_CLASSES, highway) ? HIGHWAY_CLASSES[highway] : undefined;
  if (!cls || !highway) return null;
  // The most specific tag decides: access=no with motor_vehicle=yes is open to trucks.
  const motorAccess = tags.motor_vehicle ?? tags.vehicle ?? tags.access;
  if (motorAccess !== undefined && CLOSED_ACCESS.has(motorAccess)) return null;
  if (tags.area === 'yes') return null;
  if (cls === 'service' && tags.service !== undefined && SKIPPED_SERVICE_KINDS.has(tags.service)) return null;

  let oneway: boolean;
  let reversed = false;
  switch (tags.oneway) {
    case 'yes':
    case 'true':
    case '1':
      oneway = true;
      break;
    case '-1':
    case 'reverse':
      oneway = true;
      reversed = true;
      break;
    case 'no':
    case 'false':
    case '0':
      oneway = false;
      break;
    case 'reversible':
      return null;
    default:
      oneway = IMPLIED_ONEWAY_HIGHWAYS.has(highway) || (tags.junction !== undefined && IMPLIED_ONEWAY_JUNCTIONS.has(tags.junction));
  }

  // The truck limit binds the vehicles this service routes, so it wins when it is lower.
  const speeds = [parseMaxspeed(tags.maxspeed), parseMaxspeed(tags['maxspeed:hgv'])].filter((s): s is number => s !== null);
  const weights = [parseMaxweight(tags.maxweight), parseMaxweight(tags['maxweight:hgv'])].filter((w): w is number => w !== null);
  return {
    class: cls,
    name: nonEmpty(tags['name:zh']) ?? nonEmpty(tags.name),
    ref: nonEmpty(tags.ref),
    speedKmh: speeds.length ? Math.min(...speeds) : DEFAULT_SPEED_KMH[cls],
    oneway,
    reversed,
    maxHeightM: parseMaxheight(tags.maxheight) ?? parseMaxheight(tags['maxheight:physical']),
    maxWeightT: weights.length ? Math.min(...weights) : null,
    noTrucks: tags.hgv === 'no' || tags.goods === 'no',
  };
}

/**
 * A `maxspeed` value in km/h: `60`, `60 km/h`, `30 mph` (converted), or the lowest of several
 * separated by `;`. Null for anything else (`none`, `walk`, `CN:urban`, …): the class default applies.
 */
export function parseMaxspeed(value: string | undefined): number | null {
  if (value === undefined) return null;
  const speeds = value.split(';').map((part) => parseMeasure(part, SPEED_UNITS)).filter((s): s is number => s !== null);
  return speeds.length ? round(Math.min(...speeds), 1) : null;
}

/** A `maxheight` value in metres: `4.5`, `4.5 m`, `14 ft`, `14'6"`. Null when absent or unparsable (`default`, `none`, …). */
export function parseMaxheight(value: string | undefined): number | null {
  if (value === undefined) return null;
  const feetInches = /^\s*(\d+)\s*'\s*(?:(\d+(?:\.\d+)?)\s*")?\s*$/.exec(value);
  if (feetInches) {
    const metres = Number(feetInches[1]) * 0.3048 + Number(feetInches[2] ?? 0) * 0.0254;
    return metres > 0 ? round(metres, 2) : null;
  }
  const metres = parseMeasure(value, LENGTH_UNITS);
  return metres === null ? null : round(metres, 2);
}

/** A `maxweight` value in tonnes: `15`, `15 t`, `15000 kg`, `20 st` (short tons). Null when absent or unparsable. */
export function parseMaxweight(value: string | undefined): number | null {
  const tonnes = value === undefined ? null : parseMeasure(value, WEIGHT_UNITS);
  return tonnes === null ? null : round(tonnes, 3);
}

/** A positive number with an optional unit from `units` (factor to the base unit); a decimal comma is read as a point. */
function parseMeasure(value: string, units: Record<string, number>): number | null {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z/]*)\s*$/i.exec(value);
  if (!m) return null;
  const factor = units[m[2].toLowerCase()];
  const n = Number(m[1].replace(',', '.')) * (factor ?? NaN);
  return Number.isFinite(n) && n > 0 ? n : null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const nonEmpty = (s: string | undefined) => (s !== undefined && s.trim() !== '' ? s.trim() : null);

/**
 * Reads a `--bbox minLon,minLat,maxLon,maxLat` argument. It must lie inside the service area:
 * roads outside it could never be used, and the service refuses geometry that leaves it.
 */
export function parseImportBbox(value: string, serviceArea: LonLatBox): LonLatBox {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new Error(`--bbox must be minLon,minLat,maxLon,maxLat, got "${value}"`);
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (minLon >= maxLon || minLat >= maxLat) throw new Error(`--bbox ${value} is empty: the minimum must be below the maximum`);
  const [aMinLon, aMinLat, aMaxLon, aMaxLat] = serviceArea;
  if (minLon < aMinLon || minLat < aMinLat || maxLon > aMaxLon || maxLat > aMaxLat) {
    throw new Error(`--bbox ${value} reaches outside the service area [${serviceArea.join(', ')}] (SERVICE_AREA)`);
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** What an import read and wrote. */
export interface OsmImportStats {
  /** Nodes of the file inside the box. */
  nodesInBox: number;
  /** Ways with an imported highway class (before the access rules and the box). */
  highwayWays: number;
  /** Of those, left out by their tags: closed to motor vehicles, areas, parking aisles, driveways, reversible. */
  closedWays: number;
  /** Of those, left out because fewer than two consecutive nodes lie inside the box. */
  outsideWays: number;
  /** Ways imported. */
  keptWays: number;
  /** Of the imported ways, those that lost nodes outside the box (or missing from the file). */
  cutWays: number;
  /** Rows written to `roads`: the ways split at their junctions. */
  edges: number;
  /** Junction ids numbered (source/target). */
  junctions: number;
  /** Imported edges by class. */
  edgesByClass: Partial<Record<RoadClass, number>>;
}

/** Where a read has got to: the pass and how many of its elements it has seen. */
export interface OsmReadProgress {
  pass: 'nodes' | 'ways';
  count: number;
  done: boolean;
}

/** What to import from a file. */
export interface OsmImportOptions {
  /** Roads are kept inside this box (`[minLon, minLat, maxLon, maxLat]`); the CLI defaults it to SERVICE_AREA. */
  bbox: LonLatBox;
  /** Called every million elements and at the end of each pass. @defaultValue none */
  onProgress?: (progress: OsmReadProgress) => void;
}

/** Reads the roads of an OSM PBF file into rows for `roads` (noded, junctions numbered from 1). */
export async function readOsmRoads(file: string, opts: OsmImportOptions): Promise<{ roads: RoadInsert[]; stats: OsmImportStats }> {
  assertOsmPbf(file);
  const [minLon, minLat, maxLon, maxLat] = opts.bbox;
  const progress = opts.onProgress ?? (() => undefined);

  const nodes = new NodeCoordinates();
  let nodeCount = 0;
  await scanPbf(file, {
    node(n) {
      if (++nodeCount % 1_000_000 === 0) progress({ pass: 'nodes', count: nodeCount, done: false });
      if (n.lon >= minLon && n.lon <= maxLon && n.lat >= minLat && n.lat <= maxLat) nodes.add(Number(n.id), n.lon, n.lat);
    },
  });
  nodes.finish();
  progress({ pass: 'nodes', count: nodeCount, done: true });

  const stats: OsmImportStats = {
    nodesInBox: nodes.size, highwayWays: 0, closedWays: 0, outsideWays: 0, keptWays: 0, cutWays: 0, edges: 0, junctions: 0, edgesByClass: {},
  };
  const lines: RoadLine<OsmRoad & { osmWayId: number }>[] = [];
  let wayCount = 0;
  await scanPbf(file, {
    way(w: OsmWay) {
      if (++wayCount % 1_000_000 === 0) progress({ pass: 'ways', count: wayCount, done: false });
      const highway = w.tags.highway;
      if (highway === undefined || !Object.hasOwn(HIGHWAY_CLASSES, highway)) return;
      stats.highwayWays++;
      const road = roadFromOsmTags(w.tags);
      if (!road) {
        stats.closedWays++;
        return;
      }
      const pieces = nodes.runsInside(w.nodeRefs);
      if (pieces.runs.length === 0) {
        stats.outsideWays++;
        return;
      }
      stats.keptWays++;
      if (pieces.cut) stats.cutWays++;
      const props = { ...road, osmWayId: Number(w.id) };
      for (const run of pieces.runs) lines.push({ coordinates: road.reversed ? run.reverse() : run, props });
    },
  });
  progress({ pass: 'ways', count: wayCount, done: true });

  const roads: RoadInsert[] = nodeRoadLines(lines).map((e) => ({
    source: e.source,
    target: e.target,
    name: e.props.name,
    ref: e.props.ref,
    class: e.props.class,
    speedKmh: e.props.speedKmh,
    oneway: e.props.oneway,
    maxHeightM: e.props.maxHeightM,
    maxWeightT: e.props.maxWeightT,
    noTrucks: e.props.noTrucks,
    // Real surveyed data, not the hand-drawn sample network.
    sample: false,
    approximate: false,
    osmWayId: e.props.osmWayId,
    coordinates: e.coordinates,
  }));
  stats.edges = roads.length;
  for (const r of roads) {
    stats.junctions = Math.max(stats.junctions, r.source, r.target);
    const cls = r.class as RoadClass;
    stats.edgesByClass[cls] = (stats.edgesByClass[cls] ?? 0) + 1;
  }
  return { roads, stats };
}

/**
 * Replaces the road network with the roads of an OSM PBF file. The file is read completely before
 * anything is written, and the write is one transaction: a bad file or a crash leaves the old
 * network in place. A file with no road in the box is refused rather than emptying the network.
 */
export async function importOsmRoads(knex: Knex, file: string, opts: OsmImportOptions): Promise<OsmImportStats> {
  const { roads, stats } = await readOsmRoads(file, opts);
  if (roads.length === 0) {
    throw new Error(`${file} has no road inside [${opts.bbox.join(', ')}]; the road network was left as it was`);
  }
  await knex.transaction((trx) => roadsRepo(trx).replaceAll(trx, roads));
  return stats;
}

/**
 * Refuses a file that does not start like an OSM PBF (a length-prefixed `OSMHeader` blob header)
 * with a readable message. osm-read itself would crash the process on a missing file.
 */
function assertOsmPbf(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new Error(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const head = Buffer.alloc(4 + 64);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const headerSize = read >= 4 ? head.readInt32BE(0) : -1;
    // The format caps a blob header at 64 KiB; its first field is the blob type.
    if (headerSize <= 0 || headerSize > 64 * 1024 || !head.subarray(4, read).toString('latin1').includes('OSMHeader')) {
      throw new Error(`${file} is not an OpenStreetMap PBF file (expected an OSMHeader block at the start)`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs osm-read over the whole file; resolves after the last block, rejects on the first error. */
function scanPbf(file: string, visit: { node?: (n: OsmNode) => void; way?: (w: OsmWay) => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      control.pause();
      reject(err instanceof Error ? err : new Error(`cannot read ${file}: ${String(err)}`));
    };
    // osm-read calls back from file-read callbacks, where a throw would end the process: catch it here.
    const guarded = <T>(fn: ((x: T) => void) | undefined) =>
      fn &&
      ((x: T) => {
        if (failed) return;
        try {
          fn(x);
        } catch (err) {
          fail(err);
        }
      });
    const control = osmRead.parsePbf({
      filePath: file,
      node: guarded(visit.node),
      way: guarded(visit.way),
      endDocument: () => {
        if (!failed) resolve();
      },
      error: fail,
    });
  });
}

/**
 * The coordinates of the nodes inside the box, looked up by OSM id. Ids are kept in a Float64Array
 * (they pass 2^32 but stay far below 2^53) and coordinates as integers of 1e-7°, OSM's own
 * precision, so they come back exactly as stored in OSM.
 */
class NodeCoordinates {
  private ids = new Float64Array(1 << 16);
  private lons = new Int32Array(1 << 16);
  private lats = new Int32Array(1 << 16);
  private ascending = true;
  size = 0;

  add(id: number, lon: number, lat: number): void {
    if (this.size === this.ids.length) this.grow();
    if (this.size > 0 && id <= this.ids[this.size - 1]) this.ascending = false;
    this.ids[this.size] = id;
    this.lons[this.size] = Math.round(lon * 1e7);
    this.lats[this.size] = Math.round(lat * 1e7);
    this.size++;
  }

  /** Trims the arrays and sorts them by id (PBF files are sorted by id already, so usually a no-op). */
  finish(): void {
    this.ids = this.ids.slice(0, this.size);
    this.lons = this.lons.slice(0, this.size);
    this.lats = this.lats.slice(0, this.size);
    if (this.ascending) return;
    const order = Uint32Array.from({ length: this.size }, (_, i) => i).sort((a, b) => this.ids[a] - this.ids[b]);
    this.ids = Float64Array.from(order, (i) => this.ids[i]);
    this.lons = Int32Array.from(order, (i) => this.lons[i]);
    this.lats = Int32Array.from(order, (i) => this.lats[i]);
  }

  /**
   * A way's node ids as runs of consecutive nodes inside the box, each of two or more positions;
   * `cut` when a node was outside the box or missing from the file.
   */
  runsInside(refs: readonly string[]): { runs: [number, number][][]; cut: boolean } {
    const runs: [number, number][][] = [];
    let run: [number, number][] = [];
    let cut = false;
    const close = () => {
      if (run.length >= 2) runs.push(run);
      run = [];
    };
    for (const ref of refs) {
      const i = this.indexOf(Number(ref));
      if (i < 0) {
        cut = true;
        close();
      } else {
        run.push([this.lons[i] / 1e7, this.lats[i] / 1e7]);
      }
    }
    close();
    return { runs, cut };
  }

  private indexOf(id: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = new Float64Array(n);
    ids.set(this.ids);
    const lons = new Int32Array(n);
    lons.set(this.lons);
    const lats = new Int32Array(n);
    lats.set(this.lats);
    this.ids = ids;
    this.lons = lons;
    this.lats = lats;
  }
}
