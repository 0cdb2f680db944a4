/**
 * The check that keeps tests out of the working tree's `.data/` (`data-guard.global.ts`) sees a new,
 * a changed and a removed file, and nothing when nothing changed.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { testEnv } from './admin-data.js';
import { changedFiles, listFiles } from './data-guard.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dalil-data-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the .data/ guard', () => {
  it('reports files added, changed or removed under a folder, and nothing otherwise', () => {
    mkdirSync(path.join(dir, 'admin', 'sessions'), { recursive: true });
    writeFileSync(path.join(dir, 'admin', 'users.json'), '{}');
    const before = listFiles(dir);
    expect(changedFiles(before, listFiles(dir))).toEqual([]);
    writeFileSync(path.join(dir, 'admin', 'sessions', 'abc.json'), '{}');
    utimesSync(path.join(dir, 'admin', 'users.json'), new Date(0), new Date(0));
    expect(changedFiles(before, listFiles(dir))).toEqual([path.join('admin', 'sessions', 'abc.json'), path.join('admin', 'users.json')]);
    rmSync(path.join(dir, 'admin'), { recursive: true });
    expect(changedFiles(before, listFiles(dir))).toEqual([`${path.join('admin', 'sessions')}/`, `admin/`, path.join('admin', 'users.json')].sort());
    expect(listFiles(path.join(dir, 'missing')).size).toBe(0);
  });

  it('gives tests an admin data folder outside the working tree', () => {
    const config = loadConfig(testEnv({ PORT: '0' }));
    expect(config.admin.dataDir.startsWith(tmpdir())).toBe(true);
    expect(config.admin.dataDir).not.toContain(`${path.sep}.data${path.sep}`);
  });
});
