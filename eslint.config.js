// ESLint: typescript-eslint's recommended rules for every TypeScript file, and the layering rules
// of the server (docs/architecture.md): only repositories (*.repo.ts) and the database layer (db/)
// import knex or pg, so SQL lives in one place per feature; services (*.service.ts) import neither
// the HTTP layer (http.ts) nor Express. Type-only imports (`import type { Knex }`) are allowed
// anywhere: a service may pass a transaction along without writing SQL. Browser tests open their
// pages through tests/browser/helpers.ts's newContext, which gives them the tests' clock.
import tseslint from 'typescript-eslint';

const SQL_ONLY_IN_REPOSITORIES = 'SQL lives in *.repo.ts (and db/): call a repository instead.';
const HTTP_ONLY_IN_ROUTES =
  'Services know nothing of HTTP: the route parses the request with the contract (contract/schemas) and passes typed input; a service throws AppError (errors.ts).';
const KNEX_AND_PG = [
  { name: 'knex', message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true },
  { name: 'pg', message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'client/dist/**', 'data/**', '.data-test/**', 'tests/screenshots/**', '**/*.vue'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused arguments named _x are deliberate (a route's unused request, say).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/*.repo.ts', 'server/src/db/**', 'server/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: KNEX_AND_PG }],
    },
  },
  {
    // The layering of a feature: route (HTTP) → service (rules) → repository (SQL). A service never
    // reaches back into the HTTP layer (server/src/http.ts) or Express. The rule's options replace
    // the block above for these files, so the knex and pg paths are repeated.
    files: ['server/src/**/*.service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...KNEX_AND_PG, { name: 'express', message: HTTP_ONLY_IN_ROUTES }],
          patterns: [{ regex: '^(\\.\\.?/)+http$', message: HTTP_ONLY_IN_ROUTES }],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read untyped JSON answers; `any` there is the honest type.
    files: ['tests/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A browser test's pages must share the tests' clock, also when CI moves it with libfaketime.
    files: ['tests/browser/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='newContext'], CallExpression[callee.object.name='browser'][callee.property.name='newPage']",
          message: "Open pages with newContext(browser, options) from ./helpers: it gives them the tests' clock.",
        },
      ],
    },
  },
);
