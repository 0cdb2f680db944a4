/**
 * Vitest global setup (vitest.config.ts `globalSetup`): lists the working tree's `.data/` before
 * the run and fails the run if a test added, changed or removed anything there. Tests give the
 * admin a temporary ADMIN_DATA_DIR instead (`admin-data.ts`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { changedFiles, listFiles } from './data-guard.js';

const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.data');

export default function setup(): () => void {
  const before = listFiles(DATA_DIR);
  return () => {
    const changed = changedFiles(before, listFiles(DATA_DIR));
    if (changed.length === 0) return;
    // An error thrown by a global teardown is printed but does not change the exit code by itself.
    process.exitCode = 1;
    throw new Error(
      `TESTS WROTE TO ${DATA_DIR}: ${changed.length} path(s) changed (give the admin a temporary ADMIN_DATA_DIR, test/helpers/admin-data.ts):\n` +
        changed.slice(0, 20).map((p) => `  ${p}`).join('\n'),
    );
  };
}
