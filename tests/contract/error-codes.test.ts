/**
 * The contract's table of error codes stays complete: every code the server constructs is in it.
 * Read from the server's source (not from its types, so a code written as a plain string where the
 * type check does not reach still counts): string codes passed to `new AppError(` and
 * `createError(`, the values of the code objects (`ZoneErrors`, `OgcErrorCode`, …) and the code
 * constants of the code modules (`geo/geojson-codes.ts`, `routing/errors.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, WARNING_CODES } from '../../contract/errors';

const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src');

/** The server's source files, tests left out (they may construct codes of their own on purpose). */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

interface Found {
  code: string;
  /** The status written beside the code, when it is a number literal. */
  status?: number;
  where: string;
}

/** Every code the source constructs or declares, with where it was found. */
function codesIn(file: string): Found[] {
  const text = fs.readFileSync(file, 'utf8');
  const where = path.relative(serverSrc, file);
  const found: Found[] = [];
  // new AppError('code', 409, …) and createError('code', 404)
  for (const m of text.matchAll(/(?:new\s+AppError|createError)\(\s*['"`]([^'"`]+)['"`]\s*(?:,\s*(\d{3})\b)?/g)) {
    found.push({ code: m[1], ...(m[2] ? { status: Number(m[2]) } : {}), where });
  }
  // export const ZoneErrors = { kindNotInEdition: 'kind_not_in_edition', … } as const
  for (const m of text.matchAll(/const\s+\w*(?:Error|Errors|Code|Codes)\s*=\s*\{([^}]*)\}/g)) {
    for (const v of m[1].matchAll(/:\s*['"]([^'"]+)['"]/g)) found.push({ code: v[1], where });
  }
  // export const ROUTE_NOT_FOUND = 'route_not_found', in the modules of codes
  if (/(?:codes|errors)\.ts$/.test(file)) {
    for (const m of text.matchAll(/const\s+[A-Z][A-Z0-9_]*\s*=\s*['"]([a-z0-9_]+)['"]/g)) found.push({ code: m[1], where });
  }
  return found;
}

describe('the table of error codes (contract/errors.ts)', () => {
  const found = sourceFiles(serverSrc).flatMap(codesIn);
  const warnings: readonly string[] = WARNING_CODES;

  it('finds the codes the server constructs (the scan itself works)', () => {
    const codes = new Set(found.map((f) => f.code));
    // A few written in each way: a string literal, an object's value, a module constant.
    for (const code of ['bad_request', 'kind_not_in_edition', 'collection_not_found', 'geometry_ring_not_closed', 'route_budget_exceeded']) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(80);
  });

  it('holds every code the server constructs', () => {
    const missing = found.filter((f) => !(f.code in ERRORS) && !warnings.includes(f.code)).map((f) => `${f.code} (${f.where})`);
    expect(missing).toEqual([]);
  });

  it('gives each code the status the server answers it with, where the source writes both', () => {
    const table: Record<string, number> = ERRORS;
    const differing = found
      .filter((f) => f.status !== undefined && f.code in table && table[f.code] !== f.status)
      .map((f) => `${f.code}: ${f.status} in ${f.where}, ${table[f.code]} in the table`);
    expect(differing).toEqual([]);
  });

  it('has stable, machine-readable codes with HTTP error statuses', () => {
    for (const [code, status] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(status >= 400 && status < 600, `${code}: ${status}`).toBe(true);
    }
    expect(Object.keys(ERRORS).filter((code) => warnings.includes(code))).toEqual([]);
  });
});
