/**
 * `/api/messages` checks the whole token before reading the body: a forged, expired, foreign or
 * misaddressed token gets 401 while the body is still on its way (it is never buffered), and a
 * token signed with the channel's published key still gets its activity answered. The checks
 * that need the activity (the key's endorsement of its channel, the token's service URL) are made
 * after the body is read. Tokens are signed with a key of the test's own, published by a local
 * key server (`test/helpers/bf-tokens.ts`).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFrameworkChannel } from '../../src/channels/botframework/router.js';
import { createApp } from '../../src/server/app.js';
import { fakeTurns } from '../channels/harness.js';
import { startBotFrameworkKeyServer, type BotFrameworkKeyServer } from '../helpers/bf-tokens.js';
import { recordingLogger } from './support.js';

const APP_ID = '00000000-0000-0000-0000-0000000000b1';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

let keys: BotFrameworkKeyServer;
let url: string;
let server: http.Server;
const logs = recordingLogger();
const turns = fakeTurns({ replies: [{ lang: 'fr', text: 'Bonjour' }] as never });

beforeAll(async () => {
  keys = await startBotFrameworkKeyServer(['msteams', 'webchat']);
  const channel = createBotFrameworkChannel(
    { appId: APP_ID, appPassword: 'test-app-password', appTenantId: '', appType: 'MultiTenant', maxBodySize: '4mb', defaultLang: 'fr' },
    { handleTurn: turns.handleTurn, logger: logs.logger, authEndpoints: keys.endpoints },
  );
  const app = createApp({ mounts: [channel.mount], logger: logs.logger, health: async () => ({ status: 'ok', state: 'ok', channels: [], content: '' }) });
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/messages`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await keys?.close();
});

const activity = (over: Record<string, unknown> = {}) => ({
  type: 'message',
  id: 'a1',
  text: 'salut',
  channelId: 'webchat',
  serviceUrl: SERVICE_URL,
  deliveryMode: 'expectReplies',
  from: { id: 'user-1' },
  recipient: { id: 'bot' },
  conversation: { id: 'conv-1' },
  ...over,
});

/**
 * Announces a 3 MB body, sends only its first 64 KB and waits for the answer: a server that reads
 * the body before checking the token would wait for the rest for ever (the test would time out).
 */
function postWithHeldBody(authorization: string): Promise<{ status: number; bodySent: number }> {
  const total = 3 * 1024 * 1024;
  const head = Buffer.alloc(64 * 1024, 0x20);
  head.write('{"type":"message","text":"');
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(total), authorization } });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, bodySent: head.length });
      req.destroy();
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.write(head);
  });
}

async function post(authorization: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('Bot Framework tokens are checked before the body is read', () => {
  const good = () => keys.sign({ aud: APP_ID, serviceurl: SERVICE_URL });

  it.each([
    ['signed with a key that is not published', () => keys.sign({ aud: APP_ID, serviceurl: SERVICE_URL }, { key: keys.otherKey })],
    ['forged with another key under the published key id', () => keys.sign({ aud: APP_ID }, { key: keys.otherKey })],
    ['for another bot (audience)', () => keys.sign({ aud: '00000000-0000-0000-0000-0000000000ff', serviceurl: SERVICE_URL })],
    ['from another issuer', () => keys.sign({ aud: APP_ID, iss: 'https://evil.example' })],
    ['expired', () => keys.sign({ aud: APP_ID, serviceurl: SERVICE_URL, nbf: Math.floor(Date.now() / 1000) - 7200 }, { expiresInSeconds: -3600 })],
    ['under an unknown key id', () => keys.sign({ aud: APP_ID }, { kid: 'unknown-key' })],
  ])('a token %s gets 401 while the body is still being sent', async (_name, token) => {
    const turnsBefore = turns.requests.length;
    const out = await postWithHeldBody(`Bearer ${token()}`);
    expect(out.status).toBe(401);
    expect(turns.requests.length).toBe(turnsBefore);
  });

  it('a valid token gets its activity answered (replies in the response)', async () => {
    const before = turns.requests.length;
    const res = await post(`Bearer ${good()}`, activity());
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Bonjour');
    expect(turns.requests.length).toBe(before + 1);
  });

  it('after the body, the token must match the activity: its service URL and a channel the key endorses', async () => {
    const before = turns.requests.length;
    expect((await post(`Bearer ${good()}`, activity({ serviceUrl: 'https://webchat.botframework.com/' }))).status).toBe(401);
    expect((await post(`Bearer ${good()}`, activity({ channelId: 'telegram' }))).status).toBe(401);
    expect(turns.requests.length).toBe(before);
  });
});
