/**
 * Where a test's admin keeps its data: a fresh temporary folder, never the working tree's `.data/`
 * (the default of ADMIN_DATA_DIR). Every folder made here is removed after its test file by
 * `admin-data.setup.ts`; `data-guard.global.ts` fails the run if anything was written to `.data/`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty temporary folder for the admin's data, removed after the test file. */
export function tempAdminDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dalil-admin-'));
  made.push(dir);
  return dir;
}

/** The environment of a test's `loadConfig` (or child process), with a fresh temporary ADMIN_DATA_DIR. */
export function testEnv<E extends Record<string, string | undefined>>(env: E): E & { ADMIN_DATA_DIR: string } {
  return { ...env, ADMIN_DATA_DIR: tempAdminDataDir() };
}

/** Removes the folders made by `tempAdminDataDir` in this test file. */
export function removeTempAdminDataDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
