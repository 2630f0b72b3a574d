/**
 * Rebuilds every file in geodata/ in dependency order (`npm run geodata:build`):
 * regions → facilities and hotlines → townships → roads → checkpoints. Each step reads what the one before wrote.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { GEODATA_DIR, REPO_DIR } from './common';

const STEPS = ['build-regions.ts', 'build-facilities.ts', 'build-townships.ts', 'build-roads.ts', 'build-checkpoints.ts'];

for (const step of STEPS) {
  console.log(`— ${step}`);
  // Separate processes, so each script runs exactly as it does on its own.
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(GEODATA_DIR, 'scripts', step)], {
    cwd: REPO_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`${step} failed`);
    process.exit(result.status ?? 1);
  }
}
