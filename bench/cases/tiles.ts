/**
 * Vector tiles of the zones in force over a random list of tiles z10–z15 inside the area, against
 * ST_AsMVT queried straight from PostgreSQL for the same tiles (a pg client loop in the bench
 * process: a pool of 10 connections, as the service has, fed by 50 concurrent callers).
 *
 * Measured: the cold pass (every tile requested once, so nothing is cached), the warm pass (the
 * same tiles again: cached per published snapshot), and z14 latency on a fresh z14 list.
 */
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import pg from 'pg';
import type { BenchContext } from '../lib/context';
import { expectStatuses, runLoad } from '../lib/load';
import { rawGet, quantile } from '../lib/http';
import { BENCH_AREA } from '../lib/dataset';
import { seededRandom } from '../lib/road-network';
import { atLeastTimes, below, fmt, type CaseResult, type ResultRow } from '../lib/report';

interface Tile {
  z: number;
  x: number;
  y: number;
}

const tileOf = (lon: number, lat: number, z: number): Tile => {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
};

/**
 * Random tiles (seeded) over the bench area: `draws` points at a zoom drawn from z10–z15, each
 * tile kept once. Low zooms have few tiles over a city, so they repeat and the list is shorter.
 */
function randomTiles(draws: number, seed: number): Tile[] {
  const random = seededRandom(seed);
  const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (let i = 0; i < draws; i++) {
    const z = 10 + Math.floor(random() * 6);
    const tile = tileOf(minLon + random() * (maxLon - minLon), minLat + random() * (maxLat - minLat), z);
    const key = `${tile.z}/${tile.x}/${tile.y}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tiles.push(tile);
  }
  return tiles;
}

/** Every z14 tile over the area that is not in `except`, in a seeded random order, at most `count`. */
function freshZ14Tiles(except: Tile[], count: number, seed: number): Tile[] {
  const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
  const a = tileOf(minLon, maxLat, 14);
  const b = tileOf(maxLon, minLat, 14);
  const taken = new Set(except.filter((t) => t.z === 14).map((t) => `${t.x}/${t.y}`));
  const tiles: Tile[] = [];
  for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) if (!taken.has(`${x}/${y}`)) tiles.push({ z: 14, x, y });
  const random = seededRandom(seed);
  for (let i = tiles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [tiles[i], tiles[j]] = [tiles[j], tiles[i]];
  }
  return tiles.slice(0, count);
}

const tilePath = (t: Tile) => `/tiles/zones/${t.z}/${t.x}/${t.y}.mvt`;

/** The query people would run instead: ST_AsMVT over the published zones, no cache. */
const DIRECT_SQL = `
  SELECT ST_AsMVT(t, 'zones', 4096, 'geom') AS tile
  FROM (
    SELECT id::text AS id, kind, name,
           ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
    FROM zones
    WHERE status = 'published' AND geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
  ) t
  WHERE t.geom IS NOT NULL`;

/** Runs the direct query for every tile, `concurrency` at a time over a pool of 10; tiles/s and per-tile latency. */
async function directQueries(databaseUrl: string, tiles: Tile[], concurrency: number): Promise<{ tilesPerSec: number; latencies: number[]; bytes: Map<string, Buffer> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const latencies = new Array<number>(tiles.length);
  const bytes = new Map<string, Buffer>();
  try {
    // Connections opened before timing, as the service's pool is warm too.
    await Promise.all(Array.from({ length: 10 }, () => pool.query('SELECT 1')));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < tiles.length) {
          const i = next++;
          const t = tiles[i];
          const t0 = performance.now();
          const res = await pool.query(DIRECT_SQL, [t.z, t.x, t.y]);
          latencies[i] = performance.now() - t0;
          bytes.set(tilePath(t), res.rows[0]?.tile ?? Buffer.alloc(0));
        }
      }),
    );
    return { tilesPerSec: tiles.length / ((performance.now() - started) / 1000), latencies, bytes };
  } finally {
    await pool.end();
  }
}

/** Zone ids in a tile's `zones` layer. */
function zoneIds(bytes: Buffer): string[] {
  const layer = new VectorTile(new Pbf(bytes)).layers.zones;
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, i) => String(layer.feature(i).properties.id)).sort();
}

export async function tilesCase(ctx: BenchContext): Promise<CaseResult> {
  const { options, log, service } = ctx;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];
  const mixed = randomTiles(options.sizes.tiles, 1014);
  const z14 = freshZ14Tiles(mixed, Math.max(50, Math.round(options.sizes.tiles / 8)), 1415);
  const connections = Math.min(options.connections, mixed.length);
  const headers = { 'accept-encoding': 'gzip' };

  // One untimed pass of the direct query first, so both sides find the zones in PostgreSQL's
  // buffers; "cold" below means the service's tile cache, not the database's.
  log('  warming PostgreSQL with one untimed pass of the direct query …');
  await directQueries(ctx.databaseUrl, mixed, connections);
  log(`  service, cold pass over ${mixed.length} tiles …`);
  const cold = await runLoad({ url: service.url, paths: mixed.map(tilePath), headers, connections, amount: mixed.length });
  expectStatuses('tiles cold', cold, [200]);
  log('  service, warm (cached) …');
  const warm = await runLoad({ url: service.url, paths: mixed.map(tilePath), headers, connections, durationS: options.durationS });
  expectStatuses('tiles warm', warm, [200]);
  log(`  service, z14 latency over ${z14.length} fresh tiles (10 connections) …`);
  const latency14 = await runLoad({ url: service.url, paths: z14.map(tilePath), headers, connections: Math.min(10, z14.length), amount: z14.length });
  expectStatuses('tiles z14', latency14, [200]);

  log(`  direct ST_AsMVT, ${mixed.length} tiles …`);
  const direct = await directQueries(ctx.databaseUrl, mixed, connections);
  const direct14 = await directQueries(ctx.databaseUrl, z14, 10);

  // The same zones in the same tiles: compare the ids of a sample of tiles.
  let compared = 0;
  let differing = 0;
  let nonEmpty = 0;
  const differences: string[] = [];
  for (const t of mixed.slice(0, 300)) {
    const ours = await rawGet(service.url + tilePath(t), { 'accept-encoding': 'identity' });
    const a = zoneIds(ours.body);
    const b = zoneIds(direct.bytes.get(tilePath(t)) ?? Buffer.alloc(0));
    compared++;
    if (a.length) nonEmpty++;
    if (a.join() !== b.join()) {
      differing++;
      const only = (x: string[], y: string[]) => x.filter((id) => !y.includes(id));
      differences.push(`${tilePath(t)}: only the service ${only(a, b).join(' ') || '-'}; only the direct query ${only(b, a).join(' ') || '-'}`);
    }
  }
  if (differing > 0) throw new Error(`tiles: ${differing} of ${compared} tiles carry other zones than the direct ST_AsMVT query:\n  ${differences.slice(0, 20).join('\n  ')}`);

  const directText = `ST_AsMVT direct (pg loop, pool 10): ${fmt(direct.tilesPerSec, 'tiles/s')} (p99 ${fmt(quantile(direct.latencies, 0.99), 'ms')})`;
  rows.push({
    case: `vector tiles, cold: ${mixed.length} random tiles z10–z15 each once (${connections} connections)`,
    project: `${fmt(cold.requestsPerSec, 'tiles/s')} (p99 ${fmt(cold.p99, 'ms')})`,
    reference: directText,
    goal: '≥ 1× the direct query’s tiles/s',
    ...atLeastTimes(cold.requestsPerSec, direct.tilesPerSec, 1),
    why: 'A tile not cached yet is cut on one of the service\'s tile threads (TILE_THREADS) from the published map ' +
      'and gzipped there, plus HTTP and the cache, while the reference runs ten queries at a time in PostgreSQL\'s processes with no HTTP; the load ' +
      'generator, the service and PostgreSQL share two cores. Repeated tiles (the warm row) are served from memory.',
  });
  rows.push({
    case: `vector tiles, warm: the same tiles again, cached per snapshot (${connections} connections)`,
    project: `${fmt(warm.requestsPerSec, 'tiles/s')} (p99 ${fmt(warm.p99, 'ms')})`,
    reference: directText,
    goal: '≥ 1× the direct query’s tiles/s',
    ...atLeastTimes(warm.requestsPerSec, direct.tilesPerSec, 1),
  });
  rows.push({
    case: `vector tiles: p99 at z14, ${z14.length} tiles not requested before (10 connections)`,
    project: `p99 ${fmt(latency14.p99, 'ms')} (p50 ${fmt(latency14.p50, 'ms')}, ${fmt(latency14.requestsPerSec, 'tiles/s')})`,
    reference: `ST_AsMVT direct, 10 at a time: p99 ${fmt(quantile(direct14.latencies, 0.99), 'ms')} (p50 ${fmt(quantile(direct14.latencies, 0.5), 'ms')}, ${fmt(direct14.tilesPerSec, 'tiles/s')})`,
    ratio: '—',
    goal: 'p99 < 50 ms at z14',
    ...below(latency14.p99, 50, 'ms'),
    why: `A z14 tile the service has not cut yet waits for the worker thread that cuts it (the bare query's own p99 here: ${fmt(quantile(direct14.latencies, 0.99), 'ms')}) ` +
      'plus the HTTP round trip, on two cores shared with the load generator.',
  });
  notes.push({
    case: 'vector tiles',
    text: `the service's tiles carry the same zones as the direct query in ${compared} of ${compared} sampled tiles (${nonEmpty} of them not empty). ` +
      `Every tile is cut on the service's tile threads from the published map. ` +
      `The direct query is timed in the bench process with no HTTP at all; the service's figures include HTTP, the tile cache, gzip (once per tile) and ` +
      `the load generator on the same two cores. The service answers tiles without zones from its in-memory index without asking PostgreSQL.`,
  });
  return { rows, notes };
}
