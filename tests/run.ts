/**
 * `npm test`: runs every suite — the server, API, geodata and browser tests (vitest.config.ts),
 * then the client's unit tests (client/vitest.config.ts) — even when an earlier one fails, and
 * ends with one summary of all of them. Extra arguments (file filters, `-t name`) go to every suite.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// vitest's command-line entry (not in its package exports, so found by path).
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const extra = process.argv.slice(2);

const suites = [
  { name: 'server, API, geodata and browser tests', args: [] as string[] },
  { name: 'client unit tests', args: ['--config', 'client/vitest.config.ts'] },
];

const results: { name: string; status: number | null; signal: NodeJS.Signals | null }[] = [];
for (const suite of suites) {
  process.stdout.write(`\n=== ${suite.name}\n`);
  // A filter given on the command line may match files of one suite only: the other then has none.
  const args = [vitest, 'run', ...suite.args, ...(extra.length ? ['--passWithNoTests', ...extra] : [])];
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  results.push({ name: suite.name, status: run.status, signal: run.signal });
}

process.stdout.write('\n=== summary\n');
for (const r of results) {
  const verdict = r.status === 0 ? 'passed' : r.signal ? `killed by ${r.signal}` : `FAILED (exit ${r.status})`;
  process.stdout.write(`  ${r.name}: ${verdict}\n`);
}
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
