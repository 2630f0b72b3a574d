/**
 * The bench's SYNTHETIC dataset, generated from fixed seeds: published zones of 64 vertices over
 * the city around Liaocheng, case reports (most inside zones, during each zone's outbreak), the
 * screening rounds of the protocol-8 zones, and the synthetic road network of road-network.ts.
 *
 * Nothing here is real: every zone is named "（合成）/(synthetic)" and marked `sample`, every case
 * carries the note "synthetic benchmark case". Dates count back from today (Asia/Shanghai), so
 * the zones are in force or lifted the way a live deployment's are.
 *
 * Loading goes through the project's migrations (the real schema) and bulk SQL: INSERT … SELECT
 * FROM unnest(array parameters), with the secondary indexes dropped for the load and rebuilt
 * after it from their own definitions.
 */
import type { Knex } from 'knex';
import { addDays, toDayNumber, fromDayNumber } from '../../contract/dates';
import { generateRoadNetwork, seededRandom } from './road-network';

/** The city-sized area every zone and case lies in: [minLon, minLat, maxLon, maxLat]. */
export const BENCH_AREA: [number, number, number, number] = [115.75, 36.25, 116.25, 36.65];

/** Bumped when the generated data changes, so old templates are not reused. */
export const DATASET_VERSION = 3;

/** Vertices of each generated zone's ring (the closing position not counted). */
export const ZONE_VERTICES = 64;

const ZONE_SEED = 20221111;
const CASE_SEED = 20221112;
const EARTH_RADIUS_M = 6371008.8;
const DEG = Math.PI / 180;
const M_PER_DEG_LAT = EARTH_RADIUS_M * DEG;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos(36.45 * DEG);

/** One generated zone. */
export interface BenchZone {
  id: string;
  name: string;
  kind: 'sealed' | 'controlled';
  edition: 'twenty-measures' | 'protocol-8';
  designatedOn: string;
  /** Last day of the zone's outbreak: its own cases are reported from designatedOn−2 to this day. */
  outbreakUntil: string;
  center: [number, number];
  radiusM: number;
  /** Closed ring, 6 decimals (about 0.1 m): what a designator's map click gives. */
  ring: [number, number][];
  /** Negative screening rounds (protocol-8 zones only). */
  screenings: string[];
}

/** A UUID-shaped id from the seeded random source (version nibble 4, variant 8). */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '8';
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** A star-shaped (hence simple) ring of ZONE_VERTICES vertices around a centre. */
export function starRing(center: [number, number], radiusM: number, random: () => number, vertices = ZONE_VERTICES): [number, number][] {
  const ring: [number, number][] = [];
  for (let k = 0; k < vertices; k++) {
    const angle = (2 * Math.PI * k) / vertices;
    const r = radiusM * (0.75 + 0.25 * random());
    ring.push([round6(center[0] + (r * Math.cos(angle)) / M_PER_DEG_LON), round6(center[1] + (r * Math.sin(angle)) / M_PER_DEG_LAT)]);
  }
  ring.push(ring[0]);
  return ring;
}

/**
 * The zones, deterministic for a count and a day. Twenty-measures zones are sealed; protocol-8
 * zones sealed or controlled (no precaution zones: their county cascade is not part of the
 * expiry case's hand-written SQL). Designated 1–14 days ago, each with an outbreak of 0–7 days.
 */
export function generateBenchZones(count: number, today: string, seed = ZONE_SEED, namePrefix = '基准测试样本区'): BenchZone[] {
  const random = seededRandom(seed);
  const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
  const zones: BenchZone[] = [];
  for (let i = 0; i < count; i++) {
    const edition = random() < 0.4 ? 'twenty-measures' : 'protocol-8';
    const kind = edition === 'twenty-measures' || random() < 0.45 ? 'sealed' : 'controlled';
    const radiusM = kind === 'sealed' ? 60 + random() * 190 : 200 + random() * 400;
    const marginLon = radiusM / M_PER_DEG_LON;
    const marginLat = radiusM / M_PER_DEG_LAT;
    const center: [number, number] = [
      minLon + marginLon + random() * (maxLon - minLon - 2 * marginLon),
      minLat + marginLat + random() * (maxLat - minLat - 2 * marginLat),
    ];
    const designatedOn = addDays(today, -(1 + Math.floor(random() * 14)));
    const outbreakUntil = minDate(addDays(designatedOn, Math.floor(random() * 8)), today);
    const screenings: string[] = [];
    if (edition === 'protocol-8') {
      // A round too early to count, and (mostly) the one that clears the zone 13–15 days on.
      if (random() < 0.2) screenings.push(addDays(outbreakUntil, 5));
      if (random() < 0.7) screenings.push(addDays(outbreakUntil, 13 + Math.floor(random() * 3)));
    }
    const id = seededUuid(random);
    const label = kind === 'sealed' ? '封控区' : '管控区';
    zones.push({
      id,
      name: `${namePrefix}${i + 1}${label}（合成）sample zone ${i + 1} (synthetic)`,
      kind,
      edition,
      designatedOn,
      outbreakUntil,
      center,
      radiusM,
      ring: starRing(center, radiusM, random),
      screenings: screenings.filter((d) => d <= today),
    });
  }
  return zones;
}

const minDate = (a: string, b: string) => (a < b ? a : b);

/** Case reports as column arrays, ready for unnest(). */
export interface CaseColumns {
  lon: number[];
  lat: number[];
  reportedOn: string[];
  amongIsolated: boolean[];
}

/**
 * `count` cases in batches: 90 % inside a zone (well within its ring) on a day of that zone's
 * outbreak, one in ten of those among people already isolated; 10 % anywhere in the area on any
 * of the last 60 days.
 */
export function* generateCases(zones: BenchZone[], count: number, today: string, batchSize = 100_000): Generator<CaseColumns> {
  const random = seededRandom(CASE_SEED);
  const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
  const todayDay = toDayNumber(today);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const batch: CaseColumns = { lon: [], lat: [], reportedOn: [], amongIsolated: [] };
    for (let i = 0; i < n; i++) {
      if (zones.length > 0 && random() < 0.9) {
        const zone = zones[Math.floor(random() * zones.length)];
        const angle = random() * 2 * Math.PI;
        // Within 0.7 of the smallest vertex radius (0.75 r): inside the star ring for sure.
        const rho = 0.7 * 0.75 * zone.radiusM * Math.sqrt(random());
        batch.lon.push(round6(zone.center[0] + (rho * Math.cos(angle)) / M_PER_DEG_LON));
        batch.lat.push(round6(zone.center[1] + (rho * Math.sin(angle)) / M_PER_DEG_LAT));
        const first = toDayNumber(zone.designatedOn) - 2;
        const last = Math.min(toDayNumber(zone.outbreakUntil), todayDay);
        batch.reportedOn.push(fromDayNumber(first + Math.floor(random() * (last - first + 1))));
        batch.amongIsolated.push(random() < 0.1);
      } else {
        batch.lon.push(round6(minLon + random() * (maxLon - minLon)));
        batch.lat.push(round6(minLat + random() * (maxLat - minLat)));
        batch.reportedOn.push(fromDayNumber(todayDay - Math.floor(random() * 60)));
        batch.amongIsolated.push(false);
      }
    }
    yield batch;
  }
}

/** WKT of a zone (one polygon, as the zones table's MultiPolygon). */
export const zoneWkt = (zone: BenchZone) => `MULTIPOLYGON(((${zone.ring.map(([x, y]) => `${x} ${y}`).join(',')})))`;

/** knex types bound arrays as string[]; the bench binds arrays of numbers, booleans and nulls too. */
const arr = (values: unknown[]) => values as unknown as Knex.Value;

/** Secondary indexes of `tables` (not primary keys): dropped for a bulk load, rebuilt after. */
async function dropSecondaryIndexes(knex: Knex, tables: string[]): Promise<string[]> {
  const res = await knex.raw(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     JOIN pg_class c ON c.relname = i.indexname
     JOIN pg_index x ON x.indexrelid = c.oid
     WHERE i.schemaname = 'public' AND i.tablename = ANY(?) AND NOT x.indisprimary AND NOT x.indisunique`,
    [tables],
  );
  const rows = res.rows as { indexname: string; indexdef: string }[];
  for (const row of rows) await knex.raw('DROP INDEX ??', [row.indexname]);
  return rows.map((r) => r.indexdef);
}

async function rebuildIndexes(knex: Knex, definitions: string[]): Promise<void> {
  for (const definition of definitions) await knex.raw(definition);
}

/** Inserts the zones as published, with their county (the county holding a point on their surface). */
export async function insertZones(knex: Knex, zones: BenchZone[]): Promise<void> {
  for (let start = 0; start < zones.length; start += 2000) {
    const batch = zones.slice(start, start + 2000);
    await knex.raw(
      `INSERT INTO zones (id, kind, designated_kind, status, name, reason, designated_on, edition, published_at, sample, created_by, geom)
       SELECT z.id, z.kind, z.kind, 'published', z.name, 'synthetic benchmark zone', z.designated_on, z.edition,
              z.designated_on::timestamp AT TIME ZONE 'Asia/Shanghai', true, 'bench', ST_GeomFromText(z.wkt, 4326)
       FROM unnest(?::uuid[], ?::text[], ?::text[], ?::date[], ?::text[], ?::text[]) AS z (id, kind, name, designated_on, edition, wkt)`,
      [
        arr(batch.map((z) => z.id)),
        arr(batch.map((z) => z.kind)),
        arr(batch.map((z) => z.name)),
        arr(batch.map((z) => z.designatedOn)),
        arr(batch.map((z) => z.edition)),
        arr(batch.map(zoneWkt)),
      ],
    );
  }
  await knex.raw(
    `UPDATE zones SET county_code = r.code FROM regions r
     WHERE zones.created_by = 'bench' AND zones.county_code IS NULL AND ST_Intersects(r.geom, ST_PointOnSurface(zones.geom))`,
  );
  const rounds = zones.flatMap((z) => z.screenings.map((on) => [z.id, on] as const));
  if (rounds.length) {
    await knex.raw(
      `INSERT INTO screenings (zone_id, screened_on, negative, created_by)
       SELECT s.zone_id, s.screened_on, true, 'bench' FROM unnest(?::uuid[], ?::date[]) AS s (zone_id, screened_on)`,
      [arr(rounds.map((r) => r[0])), arr(rounds.map((r) => r[1]))],
    );
  }
}

/** Inserts the cases and links them to the zones containing them (the zone_cases rows the expiry reads). */
export async function insertCases(knex: Knex, zones: BenchZone[], count: number, today: string, log: (line: string) => void): Promise<void> {
  const indexes = await dropSecondaryIndexes(knex, ['cases', 'zone_cases']);
  let done = 0;
  for (const batch of generateCases(zones, count, today)) {
    await knex.raw(
      `INSERT INTO cases (reported_on, note, among_isolated, created_by, geom)
       SELECT c.reported_on, 'synthetic benchmark case', c.among_isolated, 'bench', ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)
       FROM unnest(?::float8[], ?::float8[], ?::date[], ?::bool[]) AS c (lon, lat, reported_on, among_isolated)`,
      [arr(batch.lon), arr(batch.lat), arr(batch.reportedOn), arr(batch.amongIsolated)],
    );
    done += batch.lon.length;
    if (count >= 200_000) log(`  cases: ${done.toLocaleString('en')} / ${count.toLocaleString('en')}`);
  }
  await rebuildIndexes(knex, indexes);
  await knex.raw(
    `INSERT INTO zone_cases (zone_id, case_id, reported_on, among_isolated)
     SELECT z.id, c.id, c.reported_on, c.among_isolated
     FROM zones z JOIN cases c ON c.geom && z.geom AND ST_Intersects(z.geom, c.geom)
     WHERE z.created_by = 'bench'`,
  );
}

/** Replaces the roads with the synthetic network (node ids and edge ids as generated). */
export async function insertRoadNetwork(knex: Knex, gridSide: number, log: (line: string) => void): Promise<number> {
  const network = generateRoadNetwork({ size: gridSide });
  const edges = network.edges;
  network.nodes.clear();
  await knex.raw('TRUNCATE roads');
  const indexes = await dropSecondaryIndexes(knex, ['roads']);
  const batchSize = 50_000;
  for (let start = 0; start < edges.length; start += batchSize) {
    const batch = edges.slice(start, start + batchSize);
    await knex.raw(
      `INSERT INTO roads (id, source, target, name, ref, class, speed_kmh, oneway, max_height_m, max_weight_t, no_trucks, length_m, sample, approximate, geom)
       SELECT r.id, r.source, r.target, r.name, r.ref, r.class, r.speed_kmh, r.oneway, r.max_height_m, r.max_weight_t, r.no_trucks,
              r.length_m, true, false, ST_GeomFromText(r.wkt, 4326)
       FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::bool[], ?::float8[], ?::float8[], ?::bool[], ?::float8[], ?::text[])
         AS r (id, source, target, name, ref, class, speed_kmh, oneway, max_height_m, max_weight_t, no_trucks, length_m, wkt)`,
      [
        arr(batch.map((e) => e.id)),
        arr(batch.map((e) => e.source)),
        arr(batch.map((e) => e.target)),
        arr(batch.map((e) => e.name)),
        arr(batch.map((e) => e.ref)),
        arr(batch.map((e) => e.cls)),
        arr(batch.map((e) => e.speedKmh)),
        arr(batch.map((e) => e.oneway)),
        arr(batch.map((e) => e.maxHeightM)),
        arr(batch.map((e) => e.maxWeightT)),
        arr(batch.map((e) => e.noTrucks)),
        // Full double precision: pgRouting's costs must equal the engine's to the last bit.
        arr(batch.map((e) => e.lengthM)),
        arr(batch.map((e) => `LINESTRING(${e.geometry.map(([x, y]) => `${x} ${y}`).join(',')})`)),
      ],
    );
    if (edges.length >= 200_000 && (start / batchSize) % 4 === 3) log(`  roads: ${(start + batch.length).toLocaleString('en')} / ${edges.length.toLocaleString('en')}`);
  }
  await rebuildIndexes(knex, indexes);
  await knex.raw(`SELECT setval(pg_get_serial_sequence('roads', 'id'), (SELECT coalesce(max(id), 1) FROM roads))`);
  return edges.length;
}
