/**
 * The public page as a phone sees it: Lighthouse 12 (mobile settings: a Moto G Power-sized screen,
 * simulated slow 4G and a 4× slower CPU) against `/` of a started service on the embedded store
 * with the Liaocheng geodata and the sample outbreak (what a resident sees on a first start), in
 * Debian's Chromium. Also the JavaScript the page sends before it can answer "am I in a zone?"
 * (the entry script and what it imports at once), against all of the page's JavaScript, MapLibre
 * included, measured on the same build.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchContext } from '../lib/context';
import { serviceEnv } from '../lib/databases';
import { BENCH_DIR } from '../lib/options';
import { startNodeProcess, workDir } from '../lib/processes';
import { atLeast, fmt, type CaseResult, type ResultRow } from '../lib/report';

const ROOT = path.resolve(BENCH_DIR, '..');
const DIST = path.join(ROOT, 'client', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CATEGORIES = [
  { id: 'performance', label: 'performance', goal: 90 },
  { id: 'accessibility', label: 'accessibility', goal: 95 },
  { id: 'best-practices', label: 'best practices', goal: 95 },
] as const;

/** Bytes and gzip bytes of the built client's files. */
function sizeOf(files: string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(DIST, file));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

/**
 * The scripts index.html loads at once (its module entry and the chunks it preloads) and every
 * script of the build. Vite writes the entry's static imports as `modulepreload` links.
 */
function scriptsOfBuild(): { initial: string[]; all: string[] } {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const all = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => /\.m?js$/.test(f) && !/Designer|Coordinator|Login/.test(f)).map((f) => `assets/${f}`);
  return { initial: [...new Set(initial)], all };
}

interface LighthouseReport {
  /** Lighthouse's own measure of the host's CPU speed at the start of the run (higher is faster). */
  environment?: { benchmarkIndex?: number };
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; displayValue?: string; score: number | null; title: string }>;
}

async function runLighthouse(url: string, out: string): Promise<LighthouseReport> {
  const bin = path.join(ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js');
  await promisify(execFile)(
    process.execPath,
    [
      bin,
      url,
      `--only-categories=${CATEGORIES.map((c) => c.id).join(',')}`,
      '--output=json',
      `--output-path=${out}`,
      '--quiet',
      // The machine has no GPU and runs as root in a container.
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ],
    { cwd: ROOT, env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
  );
  return JSON.parse(fs.readFileSync(out, 'utf8')) as LighthouseReport;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Lighthouse (mobile) scores of the public page, and its JavaScript before the first answer. */
export async function lighthouseCase(ctx: Pick<BenchContext, 'options' | 'log'>): Promise<CaseResult> {
  const { options, log } = ctx;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('client/dist is missing: run `npm run build:client` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

  const { initial, all } = scriptsOfBuild();
  const first = sizeOf(initial);
  const whole = sizeOf(all);
  rows.push({
    case: 'public page: JavaScript before the first answer (entry script and its preloaded chunks)',
    project: `${fmt(first.raw / 1024, 'KiB')} (${fmt(first.gzip / 1024, 'KiB')} gzip), ${initial.length} files`,
    reference: `all of the public page's JavaScript, MapLibre included: ${fmt(whole.raw / 1024, 'KiB')} (${fmt(whole.gzip / 1024, 'KiB')} gzip)`,
    ratio: `${fmt((100 * first.raw) / whole.raw)} %`,
    goal: 'MapLibre not in it (≤ 40 % of the whole)',
    met: first.raw <= 0.4 * whole.raw && !initial.some((f) => /maplibre/.test(f)),
    margin: `${fmt((100 * first.raw) / whole.raw)} % of the whole; the main chunk was 1.18 MB with MapLibre in it before`,
  });

  const dataDir = workDir('lighthouse-data');
  log('  starting a service on the embedded store with the sample outbreak …');
  const service = await startNodeProcess('service-process.ts', { ...serviceEnv({ dataDir }), LOAD_DEMO_DATA: 'true', LOAD_DEMO_OUTBREAK: 'true' }, 'lighthouse-service');
  try {
    // A running service has served these before: Lighthouse measures the page, not a cold start.
    for (const path of ['/', '/api/public/zones', '/api/regions', '/api/facilities', '/api/checkpoints']) await (await fetch(`${service.url}${path}`)).arrayBuffer();
    const runs = options.smoke ? 1 : 5;
    const reports: LighthouseReport[] = [];
    for (let i = 0; i < runs; i++) {
      log(`  Lighthouse run ${i + 1} of ${runs} …`);
      reports.push(await runLighthouse(`${service.url}/`, path.join(dataDir, `report-${i}.json`)));
    }
    for (const category of CATEGORIES) {
      const score = median(reports.map((r) => Math.round(100 * (r.categories[category.id]?.score ?? 0))));
      const row: ResultRow = {
        case: `public page on a phone: Lighthouse ${category.label} (mobile, median of ${runs})`,
        project: `${score} (runs: ${reports.map((r) => Math.round(100 * (r.categories[category.id]?.score ?? 0))).join(', ')})`,
        reference: '—',
        ratio: '—',
        goal: `≥ ${category.goal}`,
        ...atLeast(score, category.goal, 'points'),
      };
      if (!row.met) {
        const failing = Object.values(reports[0]!.audits)
          .filter((a) => a.score !== null && a.score < 0.9 && a.displayValue)
          .slice(0, 4)
          .map((a) => `${a.title}: ${a.displayValue}`);
        row.why = failing.length ? `Lighthouse's lowest audits: ${failing.join('; ')}.` : 'see the Lighthouse report';
      }
      rows.push(row);
    }
    const metric = (id: string) => fmt(median(reports.map((r) => r.audits[id]?.numericValue ?? NaN)), 'ms');
    notes.push({
      case: 'lighthouse',
      text: `Lighthouse 12 mobile (simulated slow 4G, 4× CPU slowdown) on this machine; medians: first contentful paint ${metric('first-contentful-paint')}, largest contentful paint ${metric('largest-contentful-paint')}, total blocking time ${metric('total-blocking-time')}, cumulative layout shift ${fmt(median(reports.map((r) => r.audits['cumulative-layout-shift']?.numericValue ?? NaN)))}; Lighthouse's benchmark index of this host per run ${reports.map((r) => fmt(r.environment?.benchmarkIndex ?? NaN)).join(', ')} (its 4× slowdown assumes a fast desktop host: a slower or busier host yields longer simulated tasks and a lower score). The page is served by the embedded store with the sample outbreak. At this phone's width the page opens on its SVG overview of the zones and loads MapLibre only when the map is tapped or a place is chosen, which Lighthouse does not do: the score is that of the first screen a resident gets (tests/browser/public-phone.test.ts checks that MapLibre is not fetched before).`,
    });
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows, notes };
}
