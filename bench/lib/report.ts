/**
 * The one results table: per case the project's figure, the reference's figure from the same
 * run, their ratio, the goal, and whether it was met and by how much. Printed, and written with
 * the machine's description to bench/results.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { BenchOptions } from './options';

/** One row of the table. */
export interface ResultRow {
  case: string;
  project: string;
  /** The reference's figure, with its name; "—" when the case has none. */
  reference: string;
  ratio: string;
  goal: string;
  /** null: the goal could not be evaluated (reference missing, case failed). */
  met: boolean | null;
  /** How far above or below the goal, in words. */
  margin: string;
  /** Why the figure is what it is, printed when the goal is not met. */
  why?: string;
}

/** A free-text remark printed under the table. */
export interface Note {
  case: string;
  text: string;
}

/** What every case returns. */
export interface CaseResult {
  rows: ResultRow[];
  notes: Note[];
}

const nf = (digits: number) => new Intl.NumberFormat('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** 12,345 req/s, 1.2 ms, … with sensible digits. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${nf(digits).format(value)}${unit ? ` ${unit}` : ''}`;
}

/** "12.3×" */
export const times = (ratio: number) => (Number.isFinite(ratio) ? `${fmt(ratio)}×` : '—');

/** Goal "project ≥ k × reference" (higher is better, e.g. req/s). */
export function atLeastTimes(project: number, reference: number, k: number): Pick<ResultRow, 'ratio' | 'met' | 'margin'> {
  const ratio = project / reference;
  const met = ratio >= k;
  return {
    ratio: times(ratio),
    met,
    margin: met ? `met: ${times(ratio / k)} the goal` : `not met: ${fmt((100 * ratio) / k)} % of the goal (${times(k / ratio)} short)`,
  };
}

/** Goal "value ≥ target" (higher is better). */
export function atLeast(value: number, target: number, unit: string): Pick<ResultRow, 'met' | 'margin'> {
  const met = value >= target;
  return { met, margin: met ? `met: ${times(value / target)} the goal` : `not met: ${fmt((100 * value) / target)} % of ${fmt(target, unit)} (short by ${fmt(target - value, unit)})` };
}

/** Goal "value < limit" (lower is better, e.g. latency). */
export function below(value: number, limit: number, unit: string): Pick<ResultRow, 'met' | 'margin'> {
  const met = value < limit;
  return { met, margin: met ? `met: ${fmt(limit - value, unit)} under the limit` : `not met: ${times(value / limit)} the limit (over by ${fmt(value - limit, unit)})` };
}

/** A row for a case whose reference could not run. */
export function referenceMissing(row: Omit<ResultRow, 'reference' | 'ratio' | 'met' | 'margin'>, why: string): ResultRow {
  return { ...row, reference: `reference not available (${why})`, ratio: '—', met: null, margin: 'not evaluated' };
}

/** The markdown table. */
export function table(rows: ResultRow[]): string {
  const header = ['Case', 'Project', 'Reference (same run)', 'Ratio', 'Goal', 'Met', 'By how much'];
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${[r.case, r.project, r.reference, r.ratio, r.goal, r.met === null ? '–' : r.met ? 'yes' : '**no**', r.margin].map(escape).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Versions and size of the machine the bench ran on. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  postgis: string;
  pgrouting: string | null;
  nginx: string | null;
  mapserver: string | null;
  loadAverageStart: string;
}

function commandOutput(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    // nginx -v prints to stderr.
    const e = err as { stderr?: string };
    return e.stderr?.trim() || null;
  }
}

/** Describes this machine and the references' versions. */
export function machineInfo(versions: { postgres: string; postgis: string; pgrouting: string | null }): MachineInfo {
  const nginx = commandOutput('sh', ['-c', 'nginx -v 2>&1'])?.replace(/^nginx version:\s*/, '') ?? null;
  const mapserver = commandOutput('sh', ['-c', 'mapserv -v 2>/dev/null'])?.match(/MapServer version [\d.]+/)?.[0] ?? null;
  return {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    ...versions,
    nginx: nginx && /^nginx\//.test(nginx) ? nginx : null,
    mapserver,
    loadAverageStart: os.loadavg().map((l) => l.toFixed(1)).join(' '),
  };
}

/** The whole results document. */
export function resultsDocument(opts: BenchOptions, machine: MachineInfo, rows: ResultRow[], notes: Note[], extra: { totalS: number; loadAverageEnd: string; datasetBuiltS: number | null; roadEdges: number }): string {
  const s = opts.sizes;
  const lines = [
    '# Benchmark results',
    '',
    `Run with \`npm run bench${opts.sizes.factor !== 1 ? ` -- --size ${opts.sizes.factor}` : ''}${opts.smoke ? ' --smoke' : ''}\` on ${machine.date}.`,
    '',
    `- Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB memory, ${machine.os}; load average ${machine.loadAverageStart} at the start, ${extra.loadAverageEnd} at the end (other work was running on the machine).`,
    `- Software: Node ${machine.node}, PostgreSQL ${machine.postgres}, PostGIS ${machine.postgis}, pgRouting ${machine.pgrouting ?? 'not installed'}, ${machine.nginx ?? 'nginx not installed'}, ${machine.mapserver ?? 'MapServer not installed'}.`,
    `- Load generator: autocannon, ${opts.connections} connections, ${opts.durationS} s per run, on the same machine as the servers (it takes CPU from them).`,
    `- Data (SYNTHETIC, seeded): ${s.zones.toLocaleString('en')} published zones of 64 vertices over [115.75, 36.25, 116.25, 36.65], ${s.cases.toLocaleString('en')} case reports, a road network of ${extra.roadEdges.toLocaleString('en')} edges (a perturbed ${s.roadGridSide}×${s.roadGridSide} grid with expressways); ${s.routingZones} zones close roads in the routing case. The embedded (PGlite) rows use ${s.embeddedZones.toLocaleString('en')} zones and ${s.embeddedCases.toLocaleString('en')} cases.${extra.datasetBuiltS !== null ? ` Building the dataset took ${Math.round(extra.datasetBuiltS)} s.` : ''}`,
    `- Whole run: ${Math.round(extra.totalS)} s.`,
    '',
    table(rows),
    '',
  ];
  const missed = rows.filter((r) => r.met === false);
  if (missed.length) {
    lines.push('## Goals not met: by how much, and why', '');
    for (const r of missed) lines.push(`- **${r.case}** — ${r.margin}.${r.why ? ` ${r.why}` : ''}`);
    lines.push('');
  }
  const unevaluated = rows.filter((r) => r.met === null);
  if (unevaluated.length) {
    lines.push('## Not evaluated', '');
    for (const r of unevaluated) lines.push(`- **${r.case}**: ${r.project === '—' ? '' : `${r.project}; `}${r.reference}`);
    lines.push('');
  }
  if (notes.length) {
    lines.push('## Notes', '');
    for (const n of notes) lines.push(`- **${n.case}**: ${n.text}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes the document (creating the folder when needed). */
export function writeResults(file: string, document: string): void {
  fs.writeFileSync(file, document);
}
