/**
 * Dalil started as `main.ts` starts it, with SMS and WhatsApp on: turns on each channel's real
 * webhook (and the web chat) reach the Insights counters of the day, and the SMS segments counted
 * are those of the messages Twilio was asked to send.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { dayOf, smsSegments } from '../../../src/domain/index.js';
import { createLogger } from '../../../src/logging/logger.js';
import { startDalil, type RunningDalil } from '../../../src/main.js';
import { testEnv } from '../../helpers/admin-data.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL } from '../../channels/harness.js';
import { HMAC, postTwilio, smsForm, twimlMessages, whatsappForm } from '../../hardening/support.js';

let dalil: RunningDalil;
let dataDir: string;

beforeAll(async () => {
  const env = testEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    HMAC_SECRET: HMAC,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: '+15005550001',
    TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
    PUBLIC_BASE_URL,
    INSIGHTS_RETENTION_DAYS: '30',
  });
  dataDir = env.ADMIN_DATA_DIR;
  dalil = await startDalil(loadConfig(env), createLogger('silent'), { twilioSender: async () => undefined });
}, 60_000);
afterAll(async () => {
  await dalil?.close();
});

/** Today's counters as stored under the admin data folder. */
function todaysCounts(): Record<string, number> {
  const dir = path.join(dataDir, 'insights');
  const name = `${Buffer.from(dayOf(Date.now())).toString('base64url')}.json`;
  expect(readdirSync(dir)).toContain(name);
  return (JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { v: Record<string, number> }).v;
}

describe('insights wired as main.ts wires them', () => {
  it('count turns from the SMS and WhatsApp webhooks and the web chat, and the SMS segments sent', async () => {
    const bodies: string[] = [];
    let sid = 0;
    for (const text of ['bonjour', 'comment avoir la carte de sejour ?']) {
      const out = await postTwilio(dalil.url, '/webhooks/twilio/sms', smsForm('+212600000077', text, `SM${String(++sid).padStart(32, '0')}`));
      expect(out.status).toBe(200);
      bodies.push(...twimlMessages(out.text).map((b) => b.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')));
    }
    expect(bodies.length).toBeGreaterThan(0);
    const wa = await postTwilio(dalil.url, '/webhooks/twilio/whatsapp', whatsappForm('+212600000078', 'how do I rent a flat, the landlord wants a deposit', `SM${String(++sid).padStart(32, '0')}`));
    expect(wa.status).toBe(200);
    const web = await fetch(`${dalil.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'insights-web-user', text: 'bonjour' }) });
    expect(web.status).toBe(200);
    // Counting is written after the turn, without holding it up.
    await expect.poll(() => Object.entries(todaysCounts()).filter(([f]) => f.startsWith('q|')).reduce((s, [, n]) => s + n, 0), { timeout: 3000 }).toBe(4);
    const counts = todaysCounts();
    expect(Object.keys(counts).some((f) => f.startsWith('q|sms|fr|'))).toBe(true);
    expect(Object.keys(counts).some((f) => f.startsWith('q|whatsapp|'))).toBe(true);
    expect(Object.keys(counts).some((f) => f.startsWith('q|web|'))).toBe(true);
    expect(counts['s|sms|fr|segments']).toBe(bodies.reduce((s, b) => s + smsSegments(b), 0));
  });
});
