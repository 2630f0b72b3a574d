import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Unit tests of the client's pure modules (geometry, snapping, formatting, API errors, i18n). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', fileURLToPath(new URL('../tests/helpers/skip-reporter.ts', import.meta.url))],
  },
});
