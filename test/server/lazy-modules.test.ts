/**
 * A channel's SDK (and the Redis client) is loaded only when its credentials switch it on, so the
 * embedded default starts faster and smaller. Checked in a fresh process: which packages did
 * starting Dalil load?
 */
import { spawnSync } from 'node:child_process';
import { testEnv } from '../helpers/admin-data.js';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/index.js';

const PROBE = `
import { createRequire } from 'node:module';
import { startDalil } from './src/main.ts';
import { loadConfig } from './src/config/index.ts';
import { silentLogger } from './src/logging/logger.ts';
const dalil = await startDalil(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), silentLogger);
const loaded = Object.keys(createRequire(import.meta.url).cache);
const pkgs = ['grammy', 'twilio', 'botbuilder', '@redis/client'].filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')));
await dalil.close();
process.stdout.write(JSON.stringify(pkgs) + '\\n');
process.exit(0);
`;

function packagesLoaded(env: Record<string, string>): string[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...testEnv(env) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as string[];
}

describe('lazy loading of platform SDKs', () => {
  it('loads no channel SDK and no Redis client when no channel or Redis is configured', () => {
    // Outside production the Bot Framework runs anonymously (Emulator), so botbuilder alone is loaded.
    expect(packagesLoaded({ NODE_ENV: 'test' })).toEqual(['botbuilder']);
  });

  it('loads the SDK of a channel once its credentials are set', () => {
    const loaded = packagesLoaded({ NODE_ENV: 'test', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678', TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-enough-length' });
    expect(loaded).toContain('grammy');
    expect(loaded).not.toContain('twilio');
  });
});
