/**
 * Bounds on what one request may make Dalil do: a deeply nested JSON body is refused before it is
 * parsed (even when MAX_BODY_SIZE allows megabytes), the Bot Framework endpoint checks its caller
 * before reading the body, an anonymous (Emulator) bot answers only loopback callers, and replies
 * go only to allowed service URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { createApp } from '../../src/server/app.js';
import { createBotFrameworkChannel, serviceUrlAllowed } from '../../src/channels/botframework/router.js';
import { jsonTooDeep } from '../../src/channels/shared/json-body.js';
import { TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { fakeConnector, fakeTurns } from '../channels/harness.js';
import { BOT_TOKEN, HMAC, recordingLogger, WEBHOOK_SECRET } from './support.js';
import { testEnv } from '../helpers/admin-data.js';

let dalil: RunningDalil;
beforeAll(async () => {
  const config = loadConfig(testEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    HMAC_SECRET: HMAC,
    MAX_BODY_SIZE: '4mb',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  }));
  dalil = await startDalil(config, recordingLogger().logger);
}, 60_000);
afterAll(async () => {
  await dalil?.close();
});

const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe('deeply nested JSON', () => {
  it('jsonTooDeep counts nesting outside strings only', () => {
    expect(jsonTooDeep(Buffer.from(nested(64)))).toBe(false);
    expect(jsonTooDeep(Buffer.from(nested(65)))).toBe(true);
    expect(jsonTooDeep(Buffer.from(JSON.stringify({ text: '['.repeat(1000) + '\\"[[' })))).toBe(false);
    expect(jsonTooDeep(Buffer.from(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(70)}}`))).toBe(true);
  });

  it.each([
    ['web', '/api/chat', {}],
    ['telegram', '/webhooks/telegram', { [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET }],
    ['bot framework', '/api/messages', {}],
  ])('%s: 2,000,000 nested brackets get 400 and the process keeps answering', async (_name, path, headers) => {
    const res = await fetch(`${dalil.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: nested(2_000_000) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'request body nested too deeply' });
    const ok = await fetch(`${dalil.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'depth-check', text: 'bonjour' }) });
    expect(ok.status).toBe(200);
  }, 30_000);
});

describe('bot framework callers and service URLs', () => {
  const base = { appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant', maxBodySize: '64kb', defaultLang: 'fr' as const };

  async function serveBf(settings: Partial<typeof base> & { allowRemoteAnonymous?: boolean; serviceUrls?: string[] }, trustProxy: boolean) {
    const logs = recordingLogger();
    const turns = fakeTurns({ replies: [{ lang: 'fr', text: 'Bonjour' }] as never });
    const channel = createBotFrameworkChannel({ ...base, ...settings }, { handleTurn: turns.handleTurn, logger: logs.logger });
    const app = createApp({ mounts: [channel.mount], logger: logs.logger, health: async () => ({ status: 'ok', state: 'ok', channels: [], content: '' }), trustProxy });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as { port: number }).port;
    return { url: `http://127.0.0.1:${port}/api/messages`, turns, logs, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  const activity = (serviceUrl: string) => ({ type: 'message', id: 'a1', text: 'salut', channelId: 'emulator', serviceUrl, from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: 'c1' } });

  it('an anonymous bot refuses a caller beyond loopback, unless explicitly allowed', async () => {
    const connector = await fakeConnector();
    for (const [allow, status] of [[false, 401], [true, 200]] as const) {
      const bf = await serveBf({ allowRemoteAnonymous: allow, serviceUrls: [new URL(connector.serviceUrl).origin] }, true);
      try {
        const res = await fetch(bf.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify(activity(connector.serviceUrl)) });
        expect(res.status).toBe(status);
        expect(bf.turns.requests).toHaveLength(allow ? 1 : 0);
      } finally {
        await bf.close();
      }
    }
    await connector.close();
  });

  it('never posts a reply to a service URL off the allow-list', async () => {
    const bf = await serveBf({ allowRemoteAnonymous: true }, true);
    try {
      for (const url of ['http://10.0.0.5:6379/', 'http://169.254.169.254/latest/', 'https://evil.example/', 'http://127.0.0.1:6379/']) {
        const res = await fetch(bf.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify(activity(url)) });
        expect(res.status, url).toBe(400);
      }
      expect(bf.turns.requests).toHaveLength(0);
      expect(bf.logs.count('channel.botframework.service_url_refused')).toBe(4);
    } finally {
      await bf.close();
    }
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/emea/', { loopback: false })).toBe(true);
    expect(serviceUrlAllowed('https://webchat.botframework.com/', { loopback: false })).toBe(true);
    expect(serviceUrlAllowed('https://webchat.botframework.com:6379/', { loopback: false })).toBe(false);
    expect(serviceUrlAllowed('http://localhost:3978', { loopback: false })).toBe(false);
    expect(serviceUrlAllowed('http://localhost:3978', { loopback: true })).toBe(true);
    expect(serviceUrlAllowed('https://bots.partner.example/x', { loopback: false, extra: ['https://bots.partner.example'] })).toBe(true);
  });

  it('an authenticated bot answers 401 to a bad token before reading the body', async () => {
    const bf = await serveBf({ appId: '00000000-0000-0000-0000-00000000000a', appPassword: 'fake-app-password' }, false);
    try {
      for (const authorization of [undefined, 'Basic abc', 'Bearer not-a-jwt']) {
        const res = await fetch(bf.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: nested(100_000) });
        expect(res.status).toBe(401);
      }
    } finally {
      await bf.close();
    }
  });
});
