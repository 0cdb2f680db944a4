/**
 * With NODE_ENV=production Dalil refuses to start on settings that would expose users: the
 * development HMAC secret (or a short one), a channel without the secret that authenticates its
 * webhook, a Bot Framework registration without its app id, a public URL without HTTPS. The error
 * names every problem at once. Other settings added for hardening are validated too.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HMAC_SECRET, loadConfig, productionProblems } from '../../src/config/index.js';
import { ROOT } from './support.js';

const SECRET = 'k7Qm2vX9pL4sR8tW1yZ6bN3cF5hJ0gD2aE4uI7oP9qS=';
const GOOD = {
  NODE_ENV: 'production',
  HMAC_SECRET: SECRET,
  PUBLIC_BASE_URL: 'https://dalil.example.org',
  TELEGRAM_BOT_TOKEN: '123456789:AAFakeTokenForTestsOnly_abcdefghijkl',
  TELEGRAM_WEBHOOK_SECRET: 'test-secret_0123456789',
  TWILIO_ACCOUNT_SID: 'ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  TWILIO_AUTH_TOKEN: 'f00dfacef00dfacef00dfacef00dface',
  TWILIO_SMS_FROM: '+15005550001',
  MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000000a',
  MICROSOFT_APP_PASSWORD: 'fake-app-password',
  CASE_ENCRYPTION_KEY: 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE=',
};

describe('production start-up checks', () => {
  it('accepts a complete production configuration', () => {
    expect(() => loadConfig(GOOD)).not.toThrow();
    expect(productionProblems(loadConfig(GOOD))).toEqual([]);
  });

  it.each([
    ['the default HMAC secret', { HMAC_SECRET: DEFAULT_HMAC_SECRET }, /HMAC_SECRET is the default/],
    ['no HMAC secret at all (the default applies)', { HMAC_SECRET: '' }, /HMAC_SECRET is the default/],
    ['a short HMAC secret', { HMAC_SECRET: 'short-secret' }, /HMAC_SECRET is shorter than 32/],
    ['a Telegram token without webhook secret', { TELEGRAM_WEBHOOK_SECRET: '' }, /TELEGRAM_WEBHOOK_SECRET is missing/],
    ['Twilio without auth token', { TWILIO_AUTH_TOKEN: '' }, /TWILIO_AUTH_TOKEN is missing/],
    ['Twilio without public URL', { PUBLIC_BASE_URL: '' }, /PUBLIC_BASE_URL is missing/],
    ['an empty Bot Framework app id with its password set', { MICROSOFT_APP_ID: '' }, /MICROSOFT_APP_ID is empty/],
    ['a Bot Framework app id without password', { MICROSOFT_APP_PASSWORD: '' }, /MICROSOFT_APP_PASSWORD is missing/],
    ['a public URL without HTTPS', { PUBLIC_BASE_URL: 'http://dalil.example.org' }, /PUBLIC_BASE_URL must be an https/],
    ['no case encryption key', { CASE_ENCRYPTION_KEY: '' }, /CASE_ENCRYPTION_KEY is missing/],
    ['a short metrics token', { METRICS_TOKEN: 'short' }, /METRICS_TOKEN is shorter than 24/],
  ])('refuses %s, saying which setting', (_name, change, message) => {
    expect(() => loadConfig({ ...GOOD, ...change })).toThrow(message);
    // Outside production the same settings start (with a warning for the secret).
    expect(() => loadConfig({ ...GOOD, ...change, NODE_ENV: 'development' })).not.toThrow();
  });

  it('names every problem at once', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: GOOD.TELEGRAM_BOT_TOKEN, TWILIO_SMS_FROM: '+15005550001', MICROSOFT_APP_PASSWORD: 'x' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['HMAC_SECRET', 'TELEGRAM_WEBHOOK_SECRET', 'TWILIO_AUTH_TOKEN', 'PUBLIC_BASE_URL', 'MICROSOFT_APP_ID']) expect(message).toContain(name);
    // It never repeats a secret value.
    expect(message).not.toContain(GOOD.TELEGRAM_BOT_TOKEN);
  });

  it('validates the hardening settings', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ rateLimitPerMinute: 20, smsDailyCap: 30, webhookDeadlineMs: 5000, shutdownTimeoutMs: 10_000, maxBodySize: '64kb', trustProxy: 'loopback, linklocal, uniquelocal' });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', SMS_DAILY_CAP: '0', TRUST_PROXY: '1' })).toMatchObject({ rateLimitPerMinute: 0, smsDailyCap: 0, trustProxy: 1 });
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ SMS_DAILY_CAP: 'many' })).toThrow(/SMS_DAILY_CAP/);
    expect(() => loadConfig({ MAX_BODY_SIZE: '1gb' })).toThrow(/MAX_BODY_SIZE/);
    expect(() => loadConfig({ MAX_BODY_SIZE: '20mb' })).toThrow(/MAX_BODY_SIZE/);
    expect(loadConfig({ MAX_BODY_SIZE: '1mb' }).maxBodySize).toBe('1mb');
    expect(() => loadConfig({ WEBHOOK_DEADLINE_MS: '10' })).toThrow(/WEBHOOK_DEADLINE_MS/);
    expect(() => loadConfig({ TRUST_PROXY: 'all; rm -rf' })).toThrow(/TRUST_PROXY/);
  });

  it('the server process itself refuses to start and says why', () => {
    const env = { ...process.env, NODE_ENV: 'production', HMAC_SECRET: '', PORT: '0', TELEGRAM_BOT_TOKEN: GOOD.TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: '' };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('refusing to start in production');
    expect(run.stderr).toContain('HMAC_SECRET is the default development secret');
    expect(run.stderr).toContain('TELEGRAM_WEBHOOK_SECRET is missing');
    expect(run.stderr).not.toContain(GOOD.TELEGRAM_BOT_TOKEN);
    expect(run.stdout).not.toContain('Dalil is running');
  });
});

describe('NODE_ENV is read without case, and unknown values are refused', () => {
  it.each(['Production', 'PRODUCTION', ' production '])('"%s" is production: the default secret is refused', (value) => {
    expect(loadConfig({ ...GOOD, NODE_ENV: value }).env).toBe('production');
    expect(() => loadConfig({ ...GOOD, NODE_ENV: value, HMAC_SECRET: '' })).toThrow(/HMAC_SECRET is the default/);
  });

  it.each(['prod', 'staging', 'live'])('"%s" is refused rather than read as development', (value) => {
    expect(() => loadConfig({ ...GOOD, NODE_ENV: value })).toThrow(/NODE_ENV must be production, development or test/);
  });

  it('validates the Bot Framework service URLs allow-list', () => {
    expect(loadConfig({ BOTFRAMEWORK_SERVICE_URLS: 'https://bots.partner.example/, http://localhost:3978' }).botframework.serviceUrls).toEqual(['https://bots.partner.example', 'http://localhost:3978']);
    expect(() => loadConfig({ BOTFRAMEWORK_SERVICE_URLS: 'http://10.0.0.5:6379' })).toThrow(/BOTFRAMEWORK_SERVICE_URLS/);
    expect(loadConfig({}).botframework.allowRemoteAnonymous).toBe(false);
  });
});
