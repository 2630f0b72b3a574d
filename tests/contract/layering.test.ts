/**
 * The layering rule of docs/architecture.md is enforced by ESLint (eslint.config.js): a service
 * never imports the HTTP layer or Express, only repositories import knex or pg. Linted here as
 * source text at the paths the rules look at, with the project's own configuration, so a rule that
 * stops matching (a renamed file pattern, a changed import path) fails this test. The browser tests'
 * rule (pages opened through newContext, which gives them the tests' clock) is checked the same way.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The ids of the rules a source text breaks at a path of the server. */
async function brokenRules(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('the layering of the server (ESLint)', () => {
  it('refuses the HTTP layer and Express in a service', async () => {
    expect(await brokenRules('server/src/zones/zones.service.ts', "import { parseInput } from '../http';\nexport const x = parseInput;\n")).toEqual([
      '@typescript-eslint/no-restricted-imports',
    ]);
    expect(await brokenRules('server/src/zones/zones.service.ts', "import express from 'express';\nexport const x = express;\n")).toEqual([
      '@typescript-eslint/no-restricted-imports',
    ]);
  });

  it('lets a route import the HTTP layer, and a service the contract and the errors', async () => {
    expect(await brokenRules('server/src/zones/zones.routes.ts', "import { parseInput } from '../http';\nexport const x = parseInput;\n")).toEqual([]);
    const service = "import { AppError } from '../errors';\nimport type { LiftBody } from '../../../contract/schemas';\nexport type X = typeof LiftBody;\nexport const y = AppError;\n";
    expect(await brokenRules('server/src/zones/zones.service.ts', service)).toEqual([]);
  });

  it('keeps knex out of services, but not out of repositories', async () => {
    const knexImport = "import knex from 'knex';\nexport const k = knex;\n";
    expect(await brokenRules('server/src/zones/zones.service.ts', knexImport)).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await brokenRules('server/src/zones/zones.repo.ts', knexImport)).toEqual([]);
  });
});

describe('the clock of the browser tests (ESLint)', () => {
  it('refuses a page opened past newContext, which gives the pages the tests\' clock', async () => {
    const rule = 'no-restricted-syntax';
    expect(await brokenRules('tests/browser/x.test.ts', 'export const c = (b: any) => b.newContext({});\n')).toEqual([rule]);
    expect(await brokenRules('tests/browser/x.test.ts', 'export const p = (browser: any) => browser.newPage();\n')).toEqual([rule]);
    expect(await brokenRules('tests/browser/x.test.ts', "import { newContext } from './helpers';\nexport const c = (b: any) => newContext(b, {});\n")).toEqual([]);
    expect(await brokenRules('tests/browser/x.test.ts', 'export const p = (context: any) => context.newPage();\n')).toEqual([]);
  });
});
