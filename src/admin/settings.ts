/**
 * Settings of the admin. `config/` reads them from the environment (ADMIN_DATA_DIR,
 * ADMIN_COOKIE_SECURE, ADMIN_SESSION_HOURS, ADMIN_LOGIN_MAX_FAILURES, ADMIN_LOGIN_WINDOW_MINUTES,
 * ADMIN_MISSED_RETENTION_DAYS); the admin is handed them.
 */
import path from 'node:path';
import type { Config } from '../config/index.js';

/** What the admin needs to know besides the content settings: the `admin` part of the config. */
export type AdminSettings = Config['admin'];

/** The defaults, with `dataDir` under `root`. */
export function defaultAdminSettings(root: string, production: boolean): AdminSettings {
  return {
    dataDir: path.join(root, '.data', 'admin'),
    cookieSecure: production,
    sessionHours: 12,
    loginMaxFailures: 5,
    loginWindowMinutes: 15,
    missedRetentionDays: 30,
  };
}
