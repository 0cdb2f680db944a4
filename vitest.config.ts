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
    // Every log event of the run is captured and scanned for personal data at the end (SECURITY.md).
    setupFiles: ['test/hardening/log-capture.setup.ts'],
    globalSetup: ['test/hardening/log-capture.global.ts'],
  },
});
