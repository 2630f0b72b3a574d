/**
 * The bench's command line: sizes (scaled by --size), the database, and which cases to run.
 *
 *   npm run bench                          full size (5,000 zones, 1,000,000 cases, ~1,000,000 road edges)
 *   npm run bench -- --size 0.01           a scaled-down run
 *   npm run bench -- --size 0.002 --smoke  every case at tiny size, short loads; fails only on errors
 *   --database-url postgres://…/postgres   server to create the bench databases on (else DATABASE_URL)
 *   --only tiles,lookup                    run some cases only
 *   --duration 10                          seconds per load run (default 10; 2 in smoke mode)
 *   --rebuild                              rebuild the dataset instead of reusing today's template
 *   --out path                             where the results table goes (default bench/results.md; smoke: none)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The case names, in the order they run. */
export const CASE_NAMES = ['public-zones', 'ogc', 'tiles', 'lookup', 'routing', 'expiry', 'publish', 'embedded', 'mixed', 'lighthouse'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

/** Counts of everything the bench generates, derived from --size. */
export interface BenchSizes {
  /** Factor the full sizes are scaled by. @defaultValue 1 */
  factor: number;
  /** Published zones of about 64 vertices. @defaultValue 5000 */
  zones: number;
  /** Case reports. @defaultValue 1,000,000 */
  cases: number;
  /** Grid nodes per side of the road network (edges ≈ 2 × side²). @defaultValue 714 */
  roadGridSide: number;
  /** Zones closing roads in the routing case. @defaultValue 500 */
  routingZones: number;
  /** Node pairs routed by the in-process engine. @defaultValue 100 */
  routePairs: number;
  /** Node pairs routed by pgr_dijkstra (each reads the whole network). @defaultValue 10 */
  pgRoutingPairs: number;
  /** Points compared with PostGIS in the lookup case. @defaultValue 100,000 */
  lookupCheckPoints: number;
  /** Zones published by the bulletin of the publishing case. @defaultValue 50 */
  bulletinZones: number;
  /** Random tile draws z10–z15 in the tiles case (repeats dropped, so fewer tiles). @defaultValue 4000 */
  tiles: number;
  /** The embedded (PGlite) backend gets a smaller dataset: zones. @defaultValue 1000 */
  embeddedZones: number;
  /** … and cases. @defaultValue 100,000 */
  embeddedCases: number;
}

export interface BenchOptions {
  sizes: BenchSizes;
  smoke: boolean;
  /** URL of any database on the PostgreSQL server; the bench creates its own databases beside it. */
  databaseUrl: string | null;
  only: Set<CaseName>;
  /** Seconds per load run. */
  durationS: number;
  /** Connections of the HTTP load runs. @defaultValue 50 */
  connections: number;
  rebuild: boolean;
  /** Results file, or null to print only. */
  out: string | null;
}

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Sizes for a scale factor: counts scale linearly, the road grid side by √factor (edges ∝ side²). */
export function sizesFor(factor: number, smoke: boolean): BenchSizes {
  const scaled = (full: number, min: number) => Math.max(min, Math.round(full * factor));
  return {
    factor,
    zones: scaled(5000, 10),
    cases: scaled(1_000_000, 1000),
    roadGridSide: Math.max(20, Math.round(714 * Math.sqrt(factor))),
    routingZones: scaled(500, 2),
    routePairs: smoke ? 10 : 100,
    pgRoutingPairs: smoke ? 3 : 10,
    lookupCheckPoints: smoke ? 2000 : scaled(100_000, 2000),
    bulletinZones: Math.min(50, scaled(5000, 10)),
    tiles: smoke ? 200 : scaled(4000, 200),
    embeddedZones: Math.min(1000, scaled(5000, 10)),
    embeddedCases: Math.min(100_000, scaled(1_000_000, 1000)),
  };
}

/** Parses argv (`--key value` or `--key=value`); throws on an unknown flag or a bad value. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    const takesValue = ['size', 'database-url', 'only', 'duration', 'out', 'connections'].includes(key);
    if (!takesValue && !['smoke', 'rebuild'].includes(key)) throw new Error(`unknown flag --${key}`);
    flags.set(key, takesValue ? (inline ?? argv[++i] ?? '') : 'true');
  }
  const smoke = flags.has('smoke');
  const factor = Number(flags.get('size') ?? (smoke ? 0.002 : 1));
  if (!(factor > 0 && factor <= 4)) throw new Error('--size must be a number above 0 and at most 4');
  const only = new Set<CaseName>();
  for (const name of (flags.get('only') ?? '').split(',').filter(Boolean)) {
    if (!(CASE_NAMES as readonly string[]).includes(name)) throw new Error(`--only: unknown case ${name}; cases: ${CASE_NAMES.join(', ')}`);
    only.add(name as CaseName);
  }
  const durationS = Number(flags.get('duration') ?? (smoke ? 2 : 10));
  if (!(durationS >= 1 && durationS <= 120)) throw new Error('--duration must be 1–120 seconds');
  const connections = Number(flags.get('connections') ?? 50);
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1000)) throw new Error('--connections must be 1–1000');
  const out = flags.get('out') ?? (smoke ? null : path.join(BENCH_DIR, 'results.md'));
  return {
    sizes: sizesFor(factor, smoke),
    smoke,
    databaseUrl: flags.get('database-url') ?? env.DATABASE_URL ?? null,
    only: only.size ? only : new Set(CASE_NAMES),
    durationS,
    connections,
    rebuild: flags.has('rebuild'),
    out,
  };
}
