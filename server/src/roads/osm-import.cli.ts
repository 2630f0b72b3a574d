/**
 * `npm run roads:import-osm -- FILE.osm.pbf [--bbox minLon,minLat,maxLon,maxLat]` replaces the road
 * network with the roads of an OpenStreetMap extract (e.g. a Shandong extract), keeping those inside
 * the box (default: SERVICE_AREA). It uses the database the service is configured with (DATA_DIR or
 * DATABASE_URL) and brings its schema up to date first.
 *
 * The embedded database (no DATABASE_URL) serves one process at a time: stop the service before
 * importing. On PostgreSQL the service can keep running; it picks up the new network within 10 s.
 */
import fs from 'node:fs';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateLatest } from '../db/migrate';
import { geodataService } from '../geodata/geodata.service';
import { importOsmRoads, parseImportBbox, type OsmReadProgress } from './osm-import';

const USAGE = 'usage: npm run roads:import-osm -- FILE.osm.pbf [--bbox minLon,minLat,maxLon,maxLat]';
// Replacing a province's roads is one long batch, not a request: allow it more than the API's statement timeout.
const IMPORT_STATEMENT_TIMEOUT_MS = 30 * 60 * 1000;

function parseArgs(argv: string[]): { file: string; bbox: string | null } | null {
  let file: string | null = null;
  let bbox: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--bbox' && i + 1 < argv.length) bbox = argv[++i];
    else if (a.startsWith('--bbox=')) bbox = a.slice('--bbox='.length);
    else if (a.startsWith('--') || file !== null) return null;
    else file = a;
  }
  return file === null ? null : { file, bbox };
}

const showProgress = (p: OsmReadProgress) =>
  console.error(`  ${p.pass}: ${p.count.toLocaleString('en')} read${p.done ? ' (pass complete)' : ''}`);

async function main(argv: string[]) {
  const args = parseArgs(argv);
  if (!args) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  let bbox = config.serviceArea;
  try {
    if (args.bbox !== null) bbox = parseImportBbox(args.bbox, config.serviceArea);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (!fs.existsSync(args.file)) {
    console.error(`no such file: ${args.file}`);
    process.exit(2);
  }

  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: IMPORT_STATEMENT_TIMEOUT_MS });
  try {
    await migrateLatest(db.knex);
    // The service loads the geodata files (sample roads included) at start when the database has
    // none or older ones. Loading them now, as it would, keeps its next start from putting the
    // sample roads back over the imported ones.
    if (config.loadDemoData) {
      const limits = { maxVertices: config.limits.maxZoneVertices, maxDepth: config.limits.maxJsonDepth, serviceArea: config.serviceArea };
      if (await geodataService(db.knex, limits).ensureLoaded()) console.error('Liaocheng geodata loaded first');
    }
    console.error(`reading ${args.file}, keeping roads inside [${bbox.join(', ')}]`);
    // Everything is read before anything is written, and the write is one transaction
    // (roadsRepo.replaceAll inside importOsmRoads): a bad file, Ctrl-C or a crash leaves the old
    // network whole, never half of each.
    const stats = await importOsmRoads(db.knex, args.file, { bbox, onProgress: showProgress });
    console.log(`nodes inside the box: ${stats.nodesInBox}`);
    console.log(`highway ways: ${stats.highwayWays} (closed to motor vehicles or not through roads: ${stats.closedWays}, outside the box: ${stats.outsideWays})`);
    console.log(`ways imported: ${stats.keptWays} (cut at the box edge: ${stats.cutWays})`);
    console.log(`road edges written: ${stats.edges}, junctions: ${stats.junctions}`);
    console.log(`edges by class: ${Object.entries(stats.edgesByClass).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    console.log('Road data © OpenStreetMap contributors, ODbL 1.0: show this attribution wherever the roads are displayed.');
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

await main(process.argv.slice(2));
