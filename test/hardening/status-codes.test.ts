/**
 * A client's mistake gets a 4xx, never a 500: a sign-in posted as JSON or text, a signed Twilio
 * request with a JSON body, an admin record id over 200 characters. A path that exists under
 * another method answers 405 with `Allow`, not 404.
 */
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsChannel } from '../../src/channels/twilio/router.js';
import { AUTH_TOKEN, captureLogs, fakeTurns, PUBLIC_BASE_URL, serve, t, twilioTestSettings } from '../channels/harness.js';
import { signIn, startWithAccounts, type TestDalil } from '../admin/support.js';

let d: TestDalil;
beforeAll(async () => {
  d = await startWithAccounts();
}, 60_000);
afterAll(async () => {
  await d?.close();
});

describe('4xx, not 500', () => {
  it.each([
    ['JSON', 'application/json', JSON.stringify({ username: 'eddie', password: 'x' })],
    ['text', 'text/plain', 'username=eddie&password=x'],
    ['no body', 'application/x-www-form-urlencoded', ''],
    ['a JSON array', 'application/json', '[1,2]'],
  ])('POST /admin/login with %s is refused politely', async (_name, type, body) => {
    const res = await fetch(`${d.url}/admin/login`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('an admin record id over 200 characters is a 400 or 404', async () => {
    const { c, csrf } = await signIn(d, 'ada');
    const long = 'a'.repeat(250);
    for (const res of [
      await c.post(`/admin/users/${long}`, { _csrf: csrf, role: 'editor' }, { origin: d.url }),
      await c.get(`/admin/translations/import/${long}`),
      await c.post(`/admin/translations/import/${long}/apply`, { _csrf: csrf }, { origin: d.url }),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('a signed Twilio request with a JSON body gets 415', async () => {
    const logs = captureLogs();
    const turns = fakeTurns();
    const channel = createSmsChannel(twilioTestSettings(), { handleTurn: turns.handleTurn, logger: logs.logger, t });
    const app = await serve([channel.mount], logs.logger);
    try {
      const path = channel.mount.path;
      const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, {});
      const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Twilio-Signature': signature }, body: JSON.stringify({ From: '+212600000000', Body: 'hi' }) });
      expect(res.status).toBe(415);
      expect(turns.requests).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});

describe('405 with Allow', () => {
  it.each([
    ['GET', '/api/chat', 'POST'],
    ['PUT', '/healthz', 'GET, HEAD'],
    ['DELETE', '/', 'GET, HEAD'],
    ['PUT', '/admin/login', 'GET, HEAD, POST'],
    ['DELETE', '/admin/users', 'GET, HEAD, POST'],
  ])('%s %s', async (method, path, allow) => {
    const res = await fetch(`${d.url}${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(allow.split(', ').sort());
  });

  it('an unknown path is still a 404', async () => {
    expect((await fetch(`${d.url}/nowhere`, { method: 'PUT' })).status).toBe(404);
    expect((await fetch(`${d.url}/admin/nowhere`)).status).toBe(404);
  });
});
