/**
 * `npm run bench`: the service's hot paths side by side with the tools people would use instead,
 * measured in the same run on the same machine, in one table (bench/results.md).
 *
 * Flags: see bench/lib/options.ts. `npm run bench -- --size 0.002 --smoke` runs every case at a
 * tiny size in a few minutes and fails only on errors, not on missed goals (CI runs it).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { parseOptions, type CaseName } from './lib/options';
import { datasetCounts, pgRoutingAvailable, preparePostgres, serverVersions, serviceEnv } from './lib/databases';
import { commandAvailable, startNodeProcess, stopAllNow, type StartedProcess } from './lib/processes';
import { REFERENCE_PACKAGES, type BenchContext, type ReferencesAvailable } from './lib/context';
import { machineInfo, resultsDocument, table, writeResults, type CaseResult, type Note, type ResultRow } from './lib/report';
import { publicZonesCase } from './cases/public-zones';
import { ogcCase } from './cases/ogc';
import { tilesCase } from './cases/tiles';
import { lookupCase } from './cases/lookup';
import { routingCase } from './cases/routing';
import { expiryCase } from './cases/expiry';
import { publishCase } from './cases/publish';
import { embeddedCase } from './cases/embedded';
import { mixedCase } from './cases/mixed';
import { lighthouseCase } from './cases/lighthouse';

const options = parseOptions(process.argv.slice(2), process.env);

// A million road edges and their graph need more heap than Node's default: run again with more.
const HEAP_NEEDED = 6 * 2 ** 30;
if (options.only.has('routing') && options.sizes.roadGridSide > 300 && v8.getHeapStatistics().heap_size_limit < HEAP_NEEDED && !process.env.RISK_BENCH_CHILD) {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, RISK_BENCH_CHILD: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => console.log(line);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopAllNow();
      process.exit(130);
    });
  }
  process.on('exit', stopAllNow);

  if (!options.databaseUrl) {
    console.error('The bench runs against PostgreSQL/PostGIS: set DATABASE_URL or pass --database-url postgres://user:pass@host:5432/postgres');
    process.exit(2);
  }
  const s = options.sizes;
  log(`bench${options.smoke ? ' (smoke)' : ''}: size ${s.factor} — ${s.zones.toLocaleString('en')} zones, ${s.cases.toLocaleString('en')} cases, ` +
    `road grid ${s.roadGridSide}×${s.roadGridSide}; ${os.cpus().length} cores; load generator autocannon on this machine`);

  const references: ReferencesAvailable = {
    nginx: commandAvailable('nginx'),
    mapserver: commandAvailable('/usr/bin/mapserv'),
    spawnFcgi: commandAvailable('spawn-fcgi'),
    pgrouting: await pgRoutingAvailable(options.databaseUrl),
  };
  const missing = Object.entries(references).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length) log(`references missing (${missing.join(', ')}); their rows will say "reference not available". To install: ${REFERENCE_PACKAGES}`);

  const prepared = await preparePostgres(options.databaseUrl, s, options.rebuild, log);
  const versions = await serverVersions(prepared.url);
  const counts = await datasetCounts(prepared.url);
  const machine = machineInfo(versions);

  const rows: ResultRow[] = [];
  const notes: Note[] = [];
  let failures = 0;
  let service: StartedProcess | null = null;
  const needsService: CaseName[] = ['public-zones', 'ogc', 'tiles', 'lookup'];
  try {
    if (needsService.some((c) => options.only.has(c))) {
      log('starting the service on the bench database …');
      service = await startNodeProcess('service-process.ts', serviceEnv({ databaseUrl: prepared.url }), 'service');
      log(`  listening at ${service.url}`);
    }
    const ctx = (): BenchContext => ({ options, log, databaseUrl: prepared.url, service: service!, references });
    const cases: [CaseName, string, () => Promise<CaseResult>][] = [
      ['public-zones', 'public zones map', () => publicZonesCase(ctx())],
      ['ogc', 'OGC API Features', () => ogcCase(ctx())],
      ['tiles', 'vector tiles', () => tilesCase(ctx())],
      ['lookup', '"am I in a zone"', () => lookupCase(ctx())],
      ['routing', 'truck route', () => routingCase(ctx())],
      ['expiry', 'daily expiry', () => expiryCase(ctx())],
      ['publish', 'publishing a bulletin', () => publishCase(ctx())],
      ['embedded', 'embedded backend (PGlite)', () => embeddedCase(ctx())],
      ['mixed', 'mixed load (a bulletin night)', () => mixedCase(ctx())],
      ['lighthouse', 'the public page on a phone (Lighthouse)', () => lighthouseCase(ctx())],
    ];
    for (const [name, title, run] of cases) {
      if (!options.only.has(name)) continue;
      log(`\n== ${title} ==`);
      const t = performance.now();
      try {
        const result = await run();
        rows.push(...result.rows);
        notes.push(...result.notes);
        log(table(result.rows));
        for (const n of result.notes) log(`  note: ${n.text}`);
      } catch (err) {
        failures++;
        console.error(`[bench] ${title} failed:`, err);
        rows.push({ case: title, project: `error: ${(err as Error).message.split('\n')[0].slice(0, 160)}`, reference: '—', ratio: '—', goal: '—', met: null, margin: 'case failed' });
      }
      log(`  (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await service?.stop();
  }

  const totalS = (performance.now() - started) / 1000;
  const document = resultsDocument(options, machine, rows, notes, {
    totalS,
    loadAverageEnd: os.loadavg().map((l) => l.toFixed(1)).join(' '),
    datasetBuiltS: prepared.builtMs === null ? null : prepared.builtMs / 1000,
    roadEdges: counts.roads,
  });
  log(`\n${table(rows)}\n`);
  if (options.out) {
    writeResults(options.out, document);
    log(`results written to ${options.out}`);
  }
  log(`bench finished in ${Math.round(totalS)} s${failures ? `; ${failures} case(s) failed` : ''}`);
  // Missed goals are results, not failures; only errors fail the run.
  process.exit(failures ? 1 : 0);
}
