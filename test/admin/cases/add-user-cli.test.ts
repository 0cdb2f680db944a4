/**
 * `npm run admin:add-user -- --role caseworker --org ID`: a case worker's account is tied to a
 * partner that exists; the command refuses clearly otherwise (and without --org).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/index.js';
import { parseAddUserArgs } from '../../../src/cli/admin-add-user.js';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { AdminUser } from '../../../src/admin/auth/accounts.js';
import { tempAdminDataDir } from '../../helpers/admin-data.js';

const dataDir = tempAdminDataDir();
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the command with the password piped on standard input. */
function addUser(args: string[]): { status: number | null; out: string } {
  const env = { ...process.env };
  delete env.REDIS_URL;
  const r = spawnSync(TSX, [path.join(PROJECT_ROOT, 'src/cli/admin-add-user.ts'), ...args, '--data-dir', dataDir], { input: 'case-worker-password\n', env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}


describe('admin:add-user for case workers', () => {
  it('parses --org, and needs it with --role caseworker only', () => {
    expect(parseAddUserArgs(['--username', 'wanda', '--role', 'caseworker', '--org', 'ong-a'])).toMatchObject({ role: 'caseworker', org: 'ong-a' });
    expect(() => parseAddUserArgs(['--username', 'wanda', '--role', 'caseworker'])).toThrow(/needs --org/);
    expect(() => parseAddUserArgs(['--username', 'eddie', '--role', 'editor', '--org', 'ong-a'])).toThrow(/only for --role caseworker/);
  });

  it('refuses a partner that does not exist, then creates the account once it does', async () => {
    const refused = addUser(['--username', 'wanda', '--role', 'caseworker', '--org', 'ong-a']);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('no partner organisation "ong-a"');
    const store = await createFileAdminStore({ dataDir });
    expect(await store.get('users', 'wanda')).toBeUndefined();
    await store.put('partners', 'ong-a', { id: 'ong-a', orgId: 'gadem', topics: [], cities: [], langs: ['fr'], hours: { tz: 'Africa/Casablanca', days: {} }, active: true });
    const ok = addUser(['--username', 'wanda', '--role', 'caseworker', '--org', 'ong-a']);
    expect(ok.out).toContain('created wanda (caseworker, ong-a)');
    expect(ok.status).toBe(0);
    expect(await store.get<AdminUser>('users', 'wanda')).toMatchObject({ role: 'caseworker', partnerId: 'ong-a' });
    expect(ok.out).not.toContain('case-worker-password');
    await store.close();
  }, 120_000);
});
