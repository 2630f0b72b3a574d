import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase, type Database } from '../db/database';
import { DEFAULT_SPEED_KMH } from './roads.speeds';
import {
  importOsmRoads,
  parseImportBbox,
  parseMaxheight,
  parseMaxspeed,
  parseMaxweight,
  readOsmRoads,
  roadFromOsmTags,
} from './osm-import';
import type { LonLatBox } from '../geo/geojson';
import { writeOsmPbf, type PbfContent } from '../../../tests/fixtures/osm-pbf-writer';
import { freshDatabase } from '../../../tests/helpers/server';
import { RUN_DIR, backends } from '../../../tests/helpers/backends';

const SERVICE_AREA: LonLatBox = [115.2, 35.6, 116.9, 37.1];

// Node ids above 2^32, as in today's OSM data.
const ID = 9_800_000_000;
const node = {
  trunkWest: ID + 1, // inside the service area; the trunk road comes in from outside it
  trunkEnd: ID + 2, // where the trunk road meets 东昌西路
  crossing: ID + 3, // 东昌西路 × 柳园路: a node both ways share
  east: ID + 4,
  south: ID + 5,
  north: ID + 6,
  tertiaryEast: ID + 7,
  linkMiddle: ID + 8,
  linkEnd: ID + 9,
  footpath: ID + 10,
  yard: ID + 11,
  outside: ID + 12, // west of the service area (115.2° E)
  farSouth: ID + 13,
};

/** A few roads in central Liaocheng (东昌府区), one per tagging case the importer handles. */
function liaochengRoads(): PbfContent {
  return {
    nodes: [
      { id: node.trunkWest, lon: 115.93, lat: 36.45 },
      { id: node.trunkEnd, lon: 115.95, lat: 36.45 },
      { id: node.crossing, lon: 115.97, lat: 36.45, tags: { highway: 'traffic_signals' } },
      { id: node.east, lon: 115.99, lat: 36.45 },
      { id: node.south, lon: 115.97, lat: 36.43 },
      { id: node.north, lon: 115.97, lat: 36.47 },
      { id: node.tertiaryEast, lon: 116.01, lat: 36.45 },
      { id: node.linkMiddle, lon: 116.03, lat: 36.46 },
      { id: node.linkEnd, lon: 116.05, lat: 36.47 },
      { id: node.footpath, lon: 115.96, lat: 36.46 },
      { id: node.yard, lon: 115.98, lat: 36.48 },
      { id: node.outside, lon: 115.1, lat: 36.45 },
      { id: node.farSouth, lon: 115.97, lat: 36.41 },
    ],
    ways: [
      { id: 101, refs: [node.trunkEnd, node.crossing, node.east], tags: { highway: 'primary', name: '东昌西路 Dongchang West Road', 'name:zh': '东昌西路', maxspeed: '60' } },
      { id: 102, refs: [node.south, node.crossing, node.north], tags: { highway: 'secondary', name: '柳园路', oneway: 'yes', maxspeed: '30 mph' } },
      { id: 103, refs: [node.east, node.tertiaryEast], tags: { highway: 'tertiary', oneway: '-1' } },
      { id: 104, refs: [node.tertiaryEast, node.linkMiddle, node.linkEnd], tags: { highway: 'motorway_link' } },
      { id: 105, refs: [node.north, node.yard], tags: { highway: 'unclassified', maxweight: '15 t', maxheight: '4.5 m' } },
      { id: 106, refs: [node.trunkEnd, node.footpath, node.north], tags: { highway: 'footway' } },
      { id: 107, refs: [node.footpath, node.yard], tags: { highway: 'residential', access: 'private' } },
      { id: 108, refs: [node.south, node.farSouth], tags: { highway: 'residential', hgv: 'no' } },
      { id: 201, refs: [node.outside, node.trunkWest, node.trunkEnd], tags: { highway: 'trunk', ref: 'G309', name: '荣兰线' } },
    ],
    nodesPerBlock: 5,
  };
}

const coordinatesOf = (content: PbfContent, id: number): [number, number] => {
  const n = content.nodes.find((x) => x.id === id)!;
  return [n.lon, n.lat];
};

/** Writes a fixture file under this run's scratch folder (removed by the global teardown). */
function fixtureFile(content: PbfContent | string): string {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const file = path.join(RUN_DIR, `osm-${crypto.randomBytes(4).toString('hex')}.osm.pbf`);
  if (typeof content === 'string') fs.writeFileSync(file, content);
  else writeOsmPbf(file, content);
  return file;
}

describe('roadFromOsmTags', () => {
  it.each([
    ['motorway_link', 'motorway'],
    ['trunk_link', 'trunk'],
    ['primary_link', 'primary'],
    ['secondary_link', 'secondary'],
    ['tertiary_link', 'tertiary'],
    ['living_street', 'residential'],
  ])('stores highway=%s as %s', (highway, cls) => {
    expect(roadFromOsmTags({ highway })?.class).toBe(cls);
  });

  it.each(['footway', 'cycleway', 'path', 'track', 'steps', 'construction', 'proposed'])('leaves out highway=%s', (highway) => {
    expect(roadFromOsmTags({ highway })).toBeNull();
  });

  it.each([{ access: 'no' }, { access: 'private' }, { vehicle: 'no' }, { motor_vehicle: 'private' }])('leaves out a road closed to motor vehicles: %o', (tags) => {
    expect(roadFromOsmTags({ highway: 'residential', ...tags })).toBeNull();
  });

  it('keeps a road closed to all but motor vehicles (motor_vehicle=yes outranks access=no)', () => {
    expect(roadFromOsmTags({ highway: 'tertiary', access: 'no', motor_vehicle: 'yes' })).not.toBeNull();
  });

  it.each(['parking_aisle', 'driveway', 'drive-through'])('leaves out service=%s', (service) => {
    expect(roadFromOsmTags({ highway: 'service', service })).toBeNull();
  });

  it('keeps other service roads at 20 km/h', () => {
    expect(roadFromOsmTags({ highway: 'service' })).toMatchObject({ class: 'service', speedKmh: 20 });
  });

  it('leaves out reversible roads, whose direction changes with the time of day', () => {
    expect(roadFromOsmTags({ highway: 'primary', oneway: 'reversible' })).toBeNull();
  });

  it.each(['yes', 'true', '1'])('reads oneway=%s as oneway along the way', (oneway) => {
    expect(roadFromOsmTags({ highway: 'secondary', oneway })).toMatchObject({ oneway: true, reversed: false });
  });

  it('reads oneway=-1 as oneway against the way', () => {
    expect(roadFromOsmTags({ highway: 'secondary', oneway: '-1' })).toMatchObject({ oneway: true, reversed: true });
  });

  it.each([
    [{ highway: 'motorway' }, true],
    [{ highway: 'motorway_link' }, true],
    [{ highway: 'motorway', oneway: 'no' }, false],
    [{ highway: 'tertiary', junction: 'roundabout' }, true],
    [{ highway: 'primary' }, false],
    [{ highway: 'trunk' }, false],
  ])('implies oneway as OSM does: %o → %s', (tags, oneway) => {
    expect(roadFromOsmTags(tags)?.oneway).toBe(oneway);
  });

  it('uses the class default speed when maxspeed is missing or unparsable', () => {
    expect(roadFromOsmTags({ highway: 'primary', maxspeed: 'CN:urban' })?.speedKmh).toBe(DEFAULT_SPEED_KMH.primary);
  });

  it('uses the truck speed limit when it is lower than maxspeed', () => {
    expect(roadFromOsmTags({ highway: 'motorway', maxspeed: '120', 'maxspeed:hgv': '100' })?.speedKmh).toBe(100);
  });

  it('prefers name:zh to name', () => {
    expect(roadFromOsmTags({ highway: 'primary', name: '东昌东路 Dongchang East Road', 'name:zh': '东昌东路' })?.name).toBe('东昌东路');
  });

  it.each([{ hgv: 'no' }, { goods: 'no' }])('marks %o as closed to trucks', (tags) => {
    expect(roadFromOsmTags({ highway: 'residential', ...tags })?.noTrucks).toBe(true);
  });

  it('reads the height and weight limits', () => {
    expect(roadFromOsmTags({ highway: 'unclassified', maxheight: '4.5 m', maxweight: '15 t' })).toMatchObject({ maxHeightM: 4.5, maxWeightT: 15 });
  });
});

describe('parseMaxspeed', () => {
  it.each([
    ['60', 60],
    ['60 km/h', 60],
    ['30 mph', 48.3],
    ['60;80', 60],
    ['none', null],
    ['walk', null],
    ['CN:urban', null],
    ['0', null],
    [undefined, null],
  ])('reads %s as %s km/h', (value, kmh) => {
    expect(parseMaxspeed(value)).toBe(kmh);
  });
});

describe('parseMaxheight', () => {
  it.each([
    ['4.5', 4.5],
    ['4.5 m', 4.5],
    ['4.5m', 4.5],
    ['4,5', 4.5],
    [`14'6"`, 4.42],
    ['14 ft', 4.27],
    ['default', null],
    ['below_default', null],
    ['-3', null],
    [undefined, null],
  ])('reads %s as %s m', (value, metres) => {
    expect(parseMaxheight(value)).toBe(metres);
  });
});

describe('parseMaxweight', () => {
  it.each([
    ['15', 15],
    ['15 t', 15],
    ['15t', 15],
    ['15000 kg', 15],
    ['20 st', 18.144],
    ['fifteen', null],
    ['15 cwt', null],
    [undefined, null],
  ])('reads %s as %s t', (value, tonnes) => {
    expect(parseMaxweight(value)).toBe(tonnes);
  });
});

describe('parseImportBbox', () => {
  it('reads a box inside the service area', () => {
    expect(parseImportBbox('115.9, 36.3, 116.1, 36.6', SERVICE_AREA)).toEqual([115.9, 36.3, 116.1, 36.6]);
  });

  it('refuses a box reaching outside the service area', () => {
    expect(() => parseImportBbox('115.0,36.3,116.1,36.6', SERVICE_AREA)).toThrow(/outside the service area/);
  });

  it('refuses a box whose minimum is not below its maximum', () => {
    expect(() => parseImportBbox('116.1,36.3,115.9,36.6', SERVICE_AREA)).toThrow(/empty/);
  });

  it('refuses anything but four numbers', () => {
    expect(() => parseImportBbox('115.9,36.3,116.1', SERVICE_AREA)).toThrow(/minLon,minLat,maxLon,maxLat/);
  });
});

describe('readOsmRoads', () => {
  it('counts the ways it kept and left out', async () => {
    const { stats } = await readOsmRoads(fixtureFile(liaochengRoads()), { bbox: SERVICE_AREA });
    expect(stats).toMatchObject({ nodesInBox: 12, highwayWays: 8, closedWays: 1, outsideWays: 0, keptWays: 7, cutWays: 1, edges: 9, junctions: 10 });
  });

  it('drops the nodes outside the box, keeping the rest of the way', async () => {
    const content = liaochengRoads();
    const { roads } = await readOsmRoads(fixtureFile(content), { bbox: SERVICE_AREA });
    const trunk = roads.filter((r) => r.osmWayId === 201);
    expect(trunk.map((r) => r.coordinates)).toEqual([[coordinatesOf(content, node.trunkWest), coordinatesOf(content, node.trunkEnd)]]);
  });

  it('leaves out ways with fewer than two nodes inside the box', async () => {
    // East edge at 116.0° E: the tertiary road keeps one node inside, the motorway link none.
    const { roads, stats } = await readOsmRoads(fixtureFile(liaochengRoads()), { bbox: [115.2, 35.6, 116.0, 37.1] });
    expect(new Set(roads.map((r) => r.osmWayId))).toEqual(new Set([101, 102, 105, 108, 201]));
    expect(stats.outsideWays).toBe(2);
  });

  it('reports progress at the end of both passes', async () => {
    const seen: string[] = [];
    await readOsmRoads(fixtureFile(liaochengRoads()), { bbox: SERVICE_AREA, onProgress: (p) => p.done && seen.push(`${p.pass} ${p.count}`) });
    expect(seen).toEqual(['nodes 13', 'ways 9']);
  });

  it('refuses a file that is not an OSM PBF', async () => {
    await expect(readOsmRoads(fixtureFile('<?xml version="1.0"?><osm version="0.6"></osm>'), { bbox: SERVICE_AREA })).rejects.toThrow(/not an OpenStreetMap PBF/);
  });

  it('refuses a missing file', async () => {
    await expect(readOsmRoads(path.join(RUN_DIR, 'no-such-file.osm.pbf'), { bbox: SERVICE_AREA })).rejects.toThrow(/cannot open/);
  });

  it('rejects a truncated file instead of crashing', async () => {
    const file = fixtureFile(liaochengRoads());
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 40));
    await expect(readOsmRoads(file, { bbox: SERVICE_AREA })).rejects.toThrow();
  });
});

interface RoadRow {
  source: number;
  target: number;
  name: string | null;
  ref: string | null;
  class: string;
  speed_kmh: number;
  oneway: boolean;
  max_height_m: number | null;
  max_weight_t: number | null;
  no_trucks: boolean;
  sample: boolean;
  approximate: boolean;
  osm_way_id: number | null;
  length_m: number;
  coordinates: [number, number][];
}

async function roadRows(knex: Knex): Promise<RoadRow[]> {
  const rows = await knex('roads')
    .select('source', 'target', 'name', 'ref', 'class', 'speed_kmh', 'oneway', 'max_height_m', 'max_weight_t', 'no_trucks', 'sample', 'approximate', 'osm_way_id', 'length_m', knex.raw('ST_AsGeoJSON(geom) AS geometry'))
    .orderBy('id');
  return rows.map(({ geometry, ...r }: Record<string, any>) => ({
    ...r,
    osm_way_id: r.osm_way_id === null ? null : Number(r.osm_way_id),
    source: Number(r.source),
    target: Number(r.target),
    coordinates: JSON.parse(geometry).coordinates,
  })) as RoadRow[];
}

const openTestDatabase = async (env: Record<string, string>) =>
  openDatabase({ databaseUrl: env.DATABASE_URL ?? null, dataDir: env.DATA_DIR ?? '' });

describe.each(backends())('importOsmRoads on %s', (backend) => {
  let db: Database;
  let rows: RoadRow[];
  const content = liaochengRoads();
  const at = (id: number) => coordinatesOf(content, id);
  const ofWay = (id: number) => rows.filter((r) => r.osm_way_id === id);

  beforeAll(async () => {
    db = await openTestDatabase(await freshDatabase(backend));
    await importOsmRoads(db.knex, fixtureFile(content), { bbox: SERVICE_AREA });
    rows = await roadRows(db.knex);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes each way split at its junctions, with its OSM way id', () => {
    const edgesPerWay = Object.fromEntries([101, 102, 103, 104, 105, 108, 201].map((id) => [id, ofWay(id).length]));
    expect(edgesPerWay).toEqual({ 101: 2, 102: 2, 103: 1, 104: 1, 105: 1, 108: 1, 201: 1 });
    expect(rows).toHaveLength(9);
  });

  it('leaves out the footway and the private road', () => {
    expect(ofWay(106)).toHaveLength(0);
    expect(ofWay(107)).toHaveLength(0);
    expect(rows.flatMap((r) => r.coordinates)).not.toContainEqual(at(node.footpath));
  });

  it('replaces the sample network and marks every row as real OSM data', () => {
    for (const r of rows) expect(r).toMatchObject({ sample: false, approximate: false, osm_way_id: expect.any(Number) });
  });

  it('stores classes, links as their parent class', () => {
    const classOf = Object.fromEntries(rows.map((r) => [r.osm_way_id, r.class]));
    expect(classOf).toEqual({ 101: 'primary', 102: 'secondary', 103: 'tertiary', 104: 'motorway', 105: 'unclassified', 108: 'residential', 201: 'trunk' });
  });

  it('stores maxspeed in km/h and the class default where there is none', () => {
    const speedOf = Object.fromEntries(rows.map((r) => [r.osm_way_id, r.speed_kmh]));
    expect(speedOf).toEqual({ 101: 60, 102: 48.3, 103: 40, 104: 100, 105: 30, 108: 30, 201: 70 });
  });

  it('stores oneway=yes along the way: 柳园路 runs south to north', () => {
    const [first, second] = ofWay(102);
    expect([first.oneway, first.coordinates[0], second.coordinates[second.coordinates.length - 1]]).toEqual([true, at(node.south), at(node.north)]);
  });

  it('stores oneway=-1 reversed, so source → target is the direction of travel', () => {
    const [tertiary] = ofWay(103);
    expect([tertiary.oneway, tertiary.coordinates]).toEqual([true, [at(node.tertiaryEast), at(node.east)]]);
  });

  it('stores the motorway link as oneway without a oneway tag', () => {
    expect(ofWay(104).map((r) => r.oneway)).toEqual([true]);
  });

  it('stores two-way roads as two-way', () => {
    expect(ofWay(101).map((r) => r.oneway)).toEqual([false, false]);
  });

  it('stores the height and weight limits in metres and tonnes', () => {
    const [road] = ofWay(105);
    expect([road.max_height_m, road.max_weight_t]).toEqual([4.5, 15]);
  });

  it('stores hgv=no as closed to trucks', () => {
    expect(rows.filter((r) => r.no_trucks).map((r) => r.osm_way_id)).toEqual([108]);
  });

  it('gives the node two ways share one junction id', () => {
    const ends = rows.flatMap((r) => [
      { way: r.osm_way_id, id: r.source, at: r.coordinates[0] },
      { way: r.osm_way_id, id: r.target, at: r.coordinates[r.coordinates.length - 1] },
    ]);
    const atCrossing = ends.filter((e) => e.at[0] === at(node.crossing)[0] && e.at[1] === at(node.crossing)[1]);
    expect(new Set(atCrossing.map((e) => e.way))).toEqual(new Set([101, 102]));
    expect(new Set(atCrossing.map((e) => e.id)).size).toBe(1);
  });

  it('gives different places different junction ids', () => {
    const idAt = new Map<string, Set<number>>();
    for (const r of rows) {
      for (const [c, id] of [[r.coordinates[0], r.source], [r.coordinates[r.coordinates.length - 1], r.target]] as const) {
        const key = c.join(',');
        idAt.set(key, (idAt.get(key) ?? new Set()).add(id));
      }
    }
    const ids = [...idAt.values()].map((s) => [...s]);
    expect(ids.every((s) => s.length === 1)).toBe(true);
    expect(new Set(ids.flat()).size).toBe(idAt.size);
  });

  it('keeps every coordinate inside the service area', () => {
    const [minLon, minLat, maxLon, maxLat] = SERVICE_AREA;
    const outside = rows.flatMap((r) => r.coordinates).filter(([lon, lat]) => lon < minLon || lon > maxLon || lat < minLat || lat > maxLat);
    expect(outside).toEqual([]);
  });

  it('measures the lengths on the spheroid', () => {
    // 东昌西路 west half: 0.02° of longitude at 36.45° N, about 1.79 km.
    const [westHalf] = ofWay(101);
    expect(westHalf.length_m).toBeGreaterThan(1780);
    expect(westHalf.length_m).toBeLessThan(1800);
  });
});

describe.each(backends())('replacing the network on %s', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(await freshDatabase(backend));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('replaces the first import with the second', async () => {
    await importOsmRoads(db.knex, fixtureFile(liaochengRoads()), { bbox: SERVICE_AREA });
    const second = liaochengRoads();
    second.ways = second.ways.filter((w) => w.id === 101);
    await importOsmRoads(db.knex, fixtureFile(second), { bbox: SERVICE_AREA });
    const rows = await roadRows(db.knex);
    expect(rows.map((r) => [r.osm_way_id, r.source, r.target])).toEqual([[101, 1, 2]]);
  });

  it('leaves the network as it was when the file cannot be read', async () => {
    const before = await roadRows(db.knex);
    await expect(importOsmRoads(db.knex, fixtureFile('not a pbf'), { bbox: SERVICE_AREA })).rejects.toThrow();
    expect(await roadRows(db.knex)).toEqual(before);
  });

  it('refuses a file with no road inside the box and leaves the network as it was', async () => {
    const before = await roadRows(db.knex);
    const farAway: LonLatBox = [116.8, 37.0, 116.9, 37.1];
    await expect(importOsmRoads(db.knex, fixtureFile(liaochengRoads()), { bbox: farAway })).rejects.toThrow(/no road inside/);
    expect(await roadRows(db.knex)).toEqual(before);
  });
});
