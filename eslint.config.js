// ESLint: typescript-eslint's recommended rules for every TypeScript file, and the layering rule
// of the server: only repositories (*.repo.ts) and the database layer (db/) import knex or pg, so
// SQL lives in one place per feature. Type-only imports (`import type { Knex }`) are allowed
// anywhere: a service may pass a transaction along without writing SQL.
import tseslint from 'typescript-eslint';

const SQL_ONLY_IN_REPOSITORIES = 'SQL lives in *.repo.ts (and db/): call a repository instead.';

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
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'knex', message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true },
            { name: 'pg', message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read untyped JSON answers; `any` there is the honest type.
    files: ['tests/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
