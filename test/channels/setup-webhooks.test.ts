/**
 * `npm run setup:webhooks` against local fakes of the Telegram Bot API, Twilio's account resource and
 * Microsoft's token endpoint: it sets what it may, prints the URLs to paste, says in plain words which
 * setting is wrong, changes nothing with --check, and never prints a secret.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { setupWebhooks } from '../../src/cli/setup-webhooks.js';
import { testEnv } from '../helpers/admin-data.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTelegram, PUBLIC_BASE_URL, type FakeTelegram } from './harness.js';

const BOT_TOKEN = '123456789:AAFakeTokenForSetupTests_abcdefghijk';
const SECRET = 'setup-webhook-secret-0123456789abcdef';
const APP_ID = '00000000-1111-2222-3333-444444444444';
const APP_PASSWORD = 'azure-client-secret-value-for-tests';

/** Twilio's account resource and Microsoft's token endpoint, answering like the real ones. */
async function fakePlatforms(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === `/2010-04-01/Accounts/${ACCOUNT_SID}.json`) {
        const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
        return req.headers.authorization === expected ? json(200, { sid: ACCOUNT_SID, status: 'active' }) : json(401, { code: 20003, message: 'Authenticate' });
      }
      if (req.url === '/botframework.com/oauth2/v2.0/token') {
        const form = new URLSearchParams(raw);
        if (form.get('client_id') !== APP_ID) return json(400, { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found' });
        if (form.get('client_secret') !== APP_PASSWORD) return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        return json(200, { token_type: 'Bearer', access_token: 'token' });
      }
      json(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('setup:webhooks', () => {
  let telegram: FakeTelegram;
  let platforms: Awaited<ReturnType<typeof fakePlatforms>>;
  beforeAll(async () => {
    telegram = await fakeTelegram(BOT_TOKEN);
    platforms = await fakePlatforms();
  });
  afterAll(async () => {
    await telegram?.close();
    await platforms?.close();
  });

  const env = (overrides: Record<string, string> = {}) =>
    loadConfig(
      testEnv({
        PUBLIC_BASE_URL,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
        TWILIO_SMS_FROM: '+15005550001',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: APP_PASSWORD,
        ...overrides,
      }),
    );
  const run = (config: ReturnType<typeof env>, check = false) =>
    setupWebhooks(config, { check, endpoints: { twilioApi: platforms.url, microsoftLogin: platforms.url, timeoutMs: 2000 } });
  const noSecrets = (text: string) => {
    for (const secret of [BOT_TOKEN, SECRET, AUTH_TOKEN, APP_PASSWORD]) expect(text).not.toContain(secret);
  };

  it('sets the Telegram webhook and command menus, checks every credential once, and prints the URLs to paste', async () => {
    telegram.calls.length = 0;
    const report = await run(env());
    const text = report.lines.join('\n');
    expect(report.ok).toBe(true);
    const webhook = telegram.calls.find((c) => c.method === 'setWebhook');
    expect(webhook?.payload).toEqual({ url: `${PUBLIC_BASE_URL}/webhooks/telegram`, secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    const menus = telegram.calls.filter((c) => c.method === 'setMyCommands');
    expect(menus.map((c) => c.payload.language_code ?? 'default').sort()).toEqual(['ar', 'default', 'en', 'es', 'fr']);
    expect(menus.every((c) => (c.payload.scope as { type?: string } | undefined)?.type === 'all_private_chats')).toBe(true); // where Dalil answers
    expect(text).toContain(`${PUBLIC_BASE_URL}/webhooks/twilio/whatsapp`);
    expect(text).toContain(`${PUBLIC_BASE_URL}/webhooks/twilio/sms`);
    expect(text).toContain(`${PUBLIC_BASE_URL}/api/messages`);
    expect(text).toContain('the token belongs to @DalilTestBot');
    expect(text).not.toContain('!!');
    noSecrets(text);
  });

  it('with --check changes nothing and reports the webhook as Telegram has it', async () => {
    telegram.calls.length = 0;
    const report = await run(env(), true);
    expect(telegram.calls.map((c) => c.method).sort()).toEqual(['getMe', 'getWebhookInfo']);
    // The fake keeps no webhook: the check says it is not set and how to fix it.
    expect(report.ok).toBe(false);
    expect(report.lines.join('\n')).toMatch(/the webhook is not set; run without --check to set it/);
  });

  it('says in plain words which setting is wrong, without printing it', async () => {
    telegram.calls.length = 0;
    const report = await run(
      env({ TELEGRAM_BOT_TOKEN: '999:WrongTokenWrongTokenWrongToken', TWILIO_AUTH_TOKEN: 'beefbeefbeefbeefbeefbeefbeefbeef', MICROSOFT_APP_PASSWORD: 'not-the-secret' }),
    );
    const text = report.lines.join('\n');
    expect(report.ok).toBe(false);
    expect(text).toContain('TELEGRAM_BOT_TOKEN is wrong');
    expect(text).toContain('TWILIO_AUTH_TOKEN does not match TWILIO_ACCOUNT_SID');
    expect(text).toContain('MICROSOFT_APP_PASSWORD is wrong for MICROSOFT_APP_ID');
    expect(telegram.calls.some((c) => c.method === 'setWebhook')).toBe(false);
    for (const secret of ['WrongTokenWrongTokenWrongToken', 'beefbeefbeefbeef', 'not-the-secret']) expect(text).not.toContain(secret);
    const missing = await run(env({ PUBLIC_BASE_URL: '', MICROSOFT_APP_ID: 'ffffffff-1111-2222-3333-444444444444', TWILIO_ACCOUNT_SID: 'AC123' }));
    const said = missing.lines.join('\n');
    expect(said).toContain('PUBLIC_BASE_URL is empty');
    expect(said).toContain('TWILIO_ACCOUNT_SID must be the account SID');
    expect(said).toContain('MICROSOFT_APP_ID is not known');
  });
});
