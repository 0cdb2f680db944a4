/**
 * Settings of the admin. `config/` reads them from the environment (ADMIN_DATA_DIR,
 * ADMIN_COOKIE_SECURE, ADMIN_SESSION_HOURS, ADMIN_LOGIN_MAX_FAILURES, ADMIN_LOGIN_WINDOW_MINUTES,
 * ADMIN_MISSED_RETENTION_DAYS); the admin is handed them.
 */
import path from 'node:path';

/** What the admin needs to know besides the content settings. */
export interface AdminSettings {
  /** Folder of the file store (users, sessions, drafts, history) when Redis is not used. */
  dataDir: string;
  /** Send the session cookie only over HTTPS (`Secure`, `__Host-` name). Must be true in production. */
  cookieSecure: boolean;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** Failed sign-ins allowed per IP address and username within the window. */
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** Days missed questions are kept (at most 30). */
  missedRetentionDays: number;
}

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

/**
 * The admin settings of a config object: its `admin` field when `config/` has one, else the
 * defaults (so the CLI and main.ts work before and after the settings are added to the config).
 */
export function adminSettingsOf(config: { env?: string }, root: string): AdminSettings {
  const given = (config as { admin?: Partial<AdminSettings> }).admin ?? {};
  return { ...defaultAdminSettings(root, config.env === 'production'), ...given };
}
