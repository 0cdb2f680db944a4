/**
 * A channel's SDK (and the Redis client) is loaded only when its credentials switch it on, and a
 * channel's SDK only at its first request, so Dalil is ready sooner and smaller. Checked in a fresh
 * process: which packages did starting Dalil (and then one request) load?
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
const loadedNow = () => {
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  return ['grammy', 'twilio', 'botbuilder', '@redis/client'].filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')));
};
const atStart = loadedNow();
let status;
if (process.env.PROBE_POST) {
  const res = await fetch(dalil.url + process.env.PROBE_POST, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'conversationUpdate', channelId: 'emulator', conversation: { id: 'c1' }, from: { id: 'u1' }, recipient: { id: 'b1' }, deliveryMode: 'expectReplies' }) });
  status = res.status;
}
if (process.env.PROBE_WAIT_FOR) {
  // Waits (at most 30 s) for a package loaded in the background, e.g. by the Telegram setup.
  for (let i = 0; i < 300 && !loadedNow().includes(process.env.PROBE_WAIT_FOR); i++) await new Promise((r) => setTimeout(r, 100));
}
const afterRequest = loadedNow();
await dalil.close();
process.stdout.write(JSON.stringify({ atStart, afterRequest, status }) + '\\n');
process.exit(0);
`;

interface Probe {
  atStart: string[];
  afterRequest: string[];
  status?: number;
}

function probe(env: Record<string, string>): Probe {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...testEnv(env) },
    encoding: 'utf8',
    timeout: 80_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Probe;
}

function packagesLoaded(env: Record<string, string>): string[] {
  return probe(env).atStart;
}

// Each probe starts Dalil in a fresh process (training its matcher): slow on a busy machine.
describe('lazy loading of platform SDKs', { timeout: 90_000 }, () => {
  it('loads no channel SDK and no Redis client when no channel or Redis is configured', () => {
    // Outside production the Bot Framework runs anonymously (Emulator): mounted, but botbuilder waits for its first request.
    expect(packagesLoaded({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('loads the SDK of a channel at its first request, which it then answers', () => {
    const run = probe({ NODE_ENV: 'test', PROBE_POST: '/api/messages' });
    expect(run.atStart).toEqual([]);
    expect(run.afterRequest).toEqual(['botbuilder']);
    expect(run.status).toBe(200);
  });

  it('mounts a configured channel at startup but loads its SDK at its first request', () => {
    const run = probe({ NODE_ENV: 'test', TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_AUTH_TOKEN: 'token', TWILIO_SMS_FROM: '+10000000000', PUBLIC_BASE_URL: 'http://127.0.0.1:9', PROBE_POST: '/webhooks/twilio/sms' });
    expect(run.atStart).toEqual([]);
    expect(run.afterRequest).toEqual(['twilio']);
    // A JSON body where Twilio posts a form: refused by the real channel, which was therefore built.
    expect(run.status).toBe(415);
  });

  it('builds Telegram after listening for its setup; a setup that cannot reach Telegram is no crash', () => {
    const run = probe({ NODE_ENV: 'test', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678', TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-enough-length', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', PROBE_WAIT_FOR: 'grammy' });
    expect(run.atStart).not.toContain('twilio');
    expect(run.afterRequest).toEqual(['grammy']);
  });
});
