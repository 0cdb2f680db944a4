/**
 * Vitest setup file (vitest.config.ts `setupFiles`): removes the temporary admin data folders of
 * the test file once its own `afterAll` hooks (which stop the servers using them) have run.
 */
import { afterAll } from 'vitest';
import { removeTempAdminDataDirs } from './admin-data.js';

// Registered before the test file's hooks, so with vitest's stacked hooks it runs after them.
afterAll(() => {
  removeTempAdminDataDirs();
});
