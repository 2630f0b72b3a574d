/**
 * The bench's databases. On PostgreSQL the dataset is built once per day and size into a template
 * database (`risk_bench_t_<hash>`), and every run works on a fresh copy of it (`risk_bench`),
 * because the publishing case and the expiry runs write. The embedded (PGlite) dataset is a
 * smaller one in a data directory, built the same way and only read by its cases.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/database';
import { migrateLatest } from '../../server/src/db/migrate';
import { loadConfig } from '../../server/src/config';
import { createContext, type AppContext } from '../../server/src/context';
import { todayInShanghai } from '../../contract/dates';
import { DATASET_VERSION, generateBenchZones, insertCases, insertRoadNetwork, insertZones } from './dataset';
import type { BenchSizes } from './options';

/** The working database every PostgreSQL case runs on. */
export const BENCH_DB = 'risk_bench';
const TEMPLATE_PREFIX = 'risk_bench_t_';

/** The designator account the publishing case logs in with (bench databases only). */
export const BENCH_DESIGNER = { username: 'bench-designer', password: 'bench-designer-password' };

/** The URL of database `name` on the server of `url`. */
export function databaseUrlFor(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Settings of a service (or a bench-side context) on a bench database. */
export function serviceEnv(db: { databaseUrl?: string; dataDir?: string }): Record<string, string> {
  return {
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : { DATA_DIR: db.dataDir! }),
    PORT: '0',
    HOST: '127.0.0.1',
    EXPIRY_SCHEDULE: 'false',
    LOAD_DEMO_DATA: 'false',
    LOAD_DEMO_OUTBREAK: 'false',
    // The OGC case asks for pages of 1,000 zones (the default maximum, stated here to be sure).
    MAX_FEATURES_PER_PAGE: '1000',
    // To measure other sizes of the worker pools than the defaults (cores − 1 heavy, cores for tiles).
    ...(process.env.WORKER_THREADS ? { WORKER_THREADS: process.env.WORKER_THREADS } : {}),
    ...(process.env.TILE_THREADS ? { TILE_THREADS: process.env.TILE_THREADS } : {}),
  };
}

/** Opens a bench database with the project's own services on it (for direct calls and loading). */
export async function openContext(db: { databaseUrl?: string; dataDir?: string }): Promise<AppContext> {
  const config = loadConfig(serviceEnv(db));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.poolMax, statementTimeoutMs: 600_000 });
  return createContext(config, database);
}

function datasetHash(sizes: BenchSizes, today: string, what: string): string {
  const migrations = fs.readdirSync(path.resolve(import.meta.dirname, '../../migrations')).sort().join(',');
  return crypto
    .createHash('sha1')
    .update(JSON.stringify({ what, today, v: DATASET_VERSION, zones: sizes.zones, cases: sizes.cases, side: sizes.roadGridSide, embedded: [sizes.embeddedZones, sizes.embeddedCases], migrations }))
    .digest('hex')
    .slice(0, 12);
}

/** Loads the whole dataset through the project's services and migrations, then applies today's expiry. */
async function loadDataset(
  db: Database,
  where: { databaseUrl?: string; dataDir?: string },
  counts: { zones: number; cases: number; roadGridSide: number | null },
  log: (line: string) => void,
): Promise<void> {
  const { zones: zoneCount, cases: caseCount, roadGridSide } = counts;
  const today = todayInShanghai();
  await migrateLatest(db.knex);
  const ctx = createContext(loadConfig(serviceEnv(where)), db);
  let t = performance.now();
  await ctx.services.geodata.ensureLoaded();
  await ctx.services.accounts.create(BENCH_DESIGNER.username, BENCH_DESIGNER.password, 'designator');
  log(`  Liaocheng geodata (regions, hospitals, hotlines) loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (roadGridSide !== null) {
    t = performance.now();
    const edges = await insertRoadNetwork(db.knex, roadGridSide, log);
    log(`  roads: ${edges.toLocaleString('en')} synthetic edges in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  t = performance.now();
  const zones = generateBenchZones(zoneCount, today);
  await insertZones(db.knex, zones);
  log(`  zones: ${zones.length.toLocaleString('en')} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await insertCases(db.knex, zones, caseCount, today, log);
  log(`  cases: ${caseCount.toLocaleString('en')} and their zone links in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (db.kind === 'postgres') await db.knex.raw('VACUUM ANALYZE');
  else await db.knex.raw('ANALYZE');
  t = performance.now();
  // The state a live deployment is in: every transition up to today recorded, so the timed
  // daily runs evaluate everything and find nothing left to write.
  const run = await ctx.services.expiry.run(today, 'bench-setup');
  log(`  expiry up to ${today}: ${run.transitions.length} transitions recorded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await db.knex('app_state').insert({ key: 'bench_dataset', value: JSON.stringify({ today, zones: zoneCount, cases: caseCount, roadGridSide }) });
  // Its timers (the public map's poll of the record) would otherwise outlive the database.
  ctx.close();
}

/** Whether pgRouting can be installed on this server. */
export async function pgRoutingAvailable(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'`);
    return res.rowCount === 1;
  } finally {
    await client.end();
  }
}

/**
 * A fresh copy of today's dataset as database `risk_bench`, building the template first when
 * there is none for this size and day (or when `rebuild`). Returns its URL.
 */
export async function preparePostgres(adminUrl: string, sizes: BenchSizes, rebuild: boolean, log: (line: string) => void): Promise<{ url: string; builtMs: number | null }> {
  const today = todayInShanghai();
  const dayTag = today.replaceAll('-', '');
  const template = `${TEMPLATE_PREFIX}${dayTag}_${datasetHash(sizes, today, 'postgres')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let builtMs: number | null = null;
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    let complete = false;
    if (exists && !rebuild) {
      const probe = new pg.Client({ connectionString: databaseUrlFor(adminUrl, template) });
      await probe.connect();
      try {
        complete = (await probe.query(`SELECT 1 FROM app_state WHERE key = 'bench_dataset'`).catch(() => ({ rowCount: 0 }))).rowCount === 1;
      } finally {
        await probe.end();
      }
    }
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(BENCH_DB)} WITH (FORCE)`);
    if (!complete) {
      // Each template holds a copy of a million cases and roads: kept are the one being built and
      // today's most recent other one (another size, say the smoke run's); the rest are dropped.
      const old = await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY oid DESC', [TEMPLATE_PREFIX]);
      const names = (old.rows as { datname: string }[]).map((r) => r.datname);
      const keep = names.find((name) => name !== template && name.startsWith(`${TEMPLATE_PREFIX}${dayTag}_`));
      for (const name of names) {
        if (name !== keep) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }
      log(`building the dataset (template database ${template}) …`);
      const started = performance.now();
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(template)}`);
      const templateUrl = databaseUrlFor(adminUrl, template);
      const db = await openDatabase({ databaseUrl: templateUrl, dataDir: '', statementTimeoutMs: 3_600_000 });
      try {
        await loadDataset(db, { databaseUrl: templateUrl }, { zones: sizes.zones, cases: sizes.cases, roadGridSide: sizes.roadGridSide }, log);
        // pgRouting is the routing case's reference, not part of the project's schema.
        if (await pgRoutingAvailable(adminUrl)) await db.knex.raw('CREATE EXTENSION IF NOT EXISTS pgrouting');
      } catch (err) {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)} WITH (FORCE)`);
        throw err;
      }
      await db.close();
      builtMs = performance.now() - started;
      log(`dataset built in ${(builtMs / 1000).toFixed(0)} s`);
    } else {
      log(`reusing today's dataset (template database ${template}); --rebuild to build it again`);
    }
    const started = performance.now();
    // FILE_COPY copies the files as they are: much faster than WAL-logging a copy of a big database.
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(BENCH_DB)} TEMPLATE ${pg.escapeIdentifier(template)} STRATEGY FILE_COPY`);
    log(`fresh copy ${BENCH_DB} made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await admin.end();
  }
  return { url: databaseUrlFor(adminUrl, BENCH_DB), builtMs };
}

/** The embedded dataset's data directory (built when missing); read-only for its cases. */
export async function prepareEmbedded(sizes: BenchSizes, rebuild: boolean, log: (line: string) => void): Promise<string> {
  const today = todayInShanghai();
  const root = path.join(os.tmpdir(), 'risk-bench-pglite');
  const dir = path.join(root, datasetHash(sizes, today, 'pglite'));
  const marker = path.join(dir, '.bench-complete');
  if (!rebuild && fs.existsSync(marker)) {
    log(`reusing today's embedded dataset in ${dir}`);
    return dir;
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  log(`building the embedded dataset (${sizes.embeddedZones} zones, ${sizes.embeddedCases.toLocaleString('en')} cases) in ${dir} …`);
  const db = await openDatabase({ databaseUrl: null, dataDir: dir });
  try {
    await loadDataset(db, { dataDir: dir }, { zones: sizes.embeddedZones, cases: sizes.embeddedCases, roadGridSide: null }, log);
  } finally {
    await db.close();
  }
  fs.writeFileSync(marker, today);
  return dir;
}

/** What the bench database holds, counted. */
export async function datasetCounts(url: string): Promise<{ zones: number; cases: number; roads: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (await client.query(`SELECT (SELECT count(*) FROM zones) AS zones, (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM roads) AS roads`)).rows[0];
    return { zones: Number(row.zones), cases: Number(row.cases), roads: Number(row.roads) };
  } finally {
    await client.end();
  }
}

/** PostgreSQL and PostGIS versions of a database. */
export async function serverVersions(url: string): Promise<{ postgres: string; postgis: string; pgrouting: string | null }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (await client.query(`SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`)).rows[0];
    const routing = await client.query('SELECT pgr_version() AS v').catch(() => null);
    return { postgres: row.postgres, postgis: row.postgis, pgrouting: routing?.rows[0]?.v ?? null };
  } finally {
    await client.end();
  }
}
