import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The console report, and a JSON copy from which CI prints its one-line summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest.json' },
    // Tests never write to the working tree's .data/: the admin gets a temporary ADMIN_DATA_DIR
    // (test/helpers/admin-data.ts) and the run fails if .data/ changed (test/helpers/data-guard.global.ts).
    // Every log event of the run is captured and scanned for personal data at the end (SECURITY.md).
    setupFiles: ['test/hardening/log-capture.setup.ts', 'test/helpers/admin-data.setup.ts'],
    globalSetup: ['test/hardening/log-capture.global.ts', 'test/helpers/data-guard.global.ts'],
  },
});
