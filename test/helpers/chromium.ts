/**
 * Debian's Chromium for the browser tests (never a browser downloaded by a tool). Without it the
 * browser suites are skipped with a warning, except on CI, where its absence fails the run.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser suites can run here. */
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  if (process.env.CI === 'true') throw new Error(`E2E SUITE FAILED: no ${CHROMIUM} and CI=true (apt-get install -y chromium)`);
  console.warn(`E2E SUITE SKIPPED: no ${CHROMIUM} (install it with: apt-get install -y chromium)`);
}
