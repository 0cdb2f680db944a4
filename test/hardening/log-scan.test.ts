/**
 * The privacy scanner that checks the whole suite's log output at the end of every run
 * (log-capture.global.ts) must be able to fail: it finds phone numbers, chat ids, tokens and the
 * message texts of fixtures and tests, and lets ordinary events through.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addLogTap, createLogger } from '../../src/logging/logger.js';
import { collectSensitive, scanEvents, type CapturedEvent } from './log-scan.js';

const sensitive = collectSensitive(fileURLToPath(new URL('..', import.meta.url)));
const event = (fields: Record<string, unknown>): CapturedEvent => ({ level: 'info', event: 'test.event', fields });

describe('log privacy scanner', () => {
  it('collects fixture values, secrets and the message texts tests type', () => {
    expect(sensitive.fixtureValues).toContain('5550001234');
    expect(sensitive.fixtureValues).toContain('whatsapp:+15005550006');
    expect(sensitive.fixtureValues).toContain("j'ai perdu mon passeport, que faire ?");
    expect(sensitive.secrets).toContain('123456789:AAFakeTokenForTestsOnly_abcdefghijkl');
    expect(sensitive.secrets).toContain('f00dfacef00dfacef00dfacef00dface');
    expect(sensitive.messageTexts.size).toBeGreaterThan(50);
    expect(sensitive.messageTexts).toContain('how do i get a residence card in morocco');
  });

  it.each([
    ['a Moroccan mobile number in E.164', { to: '+212600112233' }, 'phone'],
    ['the same with spaces', { to: '+212 6 00 11 22 33' }, 'phone'],
    ['a national number', { n: 'call 0612345678 now' }, 'phone'],
    ['a national number with dots', { n: '06.12.34.56.78' }, 'phone'],
    ['a WhatsApp address', { from: 'whatsapp:+15005550006' }, 'phone'],
    ['a number without the plus', { n: '212612345678' }, 'phone'],
    ['a Telegram bot token', { url: 'https://api.telegram.org/bot987654321:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKKlll/sendMessage' }, 'token'],
    ['a Twilio message SID', { sid: 'SM0a1b2c3d4e5f60718293a4b5c6d7e801' }, 'token'],
    ['a chat id of a fixture, as a number', { chat: 5550001234 }, 'fixture'],
    ['a fixture message text', { text: "j'ai perdu mon passeport, que faire ?" }, 'fixture'],
    ['a message text typed by a test, in another case', { q: 'HOW DO I GET A RESIDENCE CARD IN MOROCCO' }, 'message-text'],
    ['a secret constant of the tests', { secret: 'test-secret_0123456789' }, 'secret'],
  ])('finds %s', (_name, fields, kind) => {
    const findings = scanEvents([event(fields)], sensitive);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ event: 'test.event', kind });
  });

  it('lets ordinary events through', () => {
    const ordinary = [
      event({ channel: 'sms', intent: 'residence-permit', confidence: 0.93, lang: 'ar', replies: 2, latencyMs: 12 }),
      event({ port: 43123, ms: 1826, topics: 32, phrases: 5184, channels: 'telegram,whatsapp,sms,web', warnings: 84 }),
      event({ reason: 'ECONNREFUSED', downMs: 4012, prefix: 'dalil:' }),
      event({ kind: 'retryable', status: 500, code: 20429, sent: 0, pending: 2 }),
      event({ hint: 'set HMAC_SECRET before real users arrive', path: '/api/chat', type: 'entity.parse.failed' }),
      event({ content: '2026-11-28T10:15:00Z', version: 'c0ffee0123456789' }),
    ];
    expect(scanEvents(ordinary, sensitive)).toEqual([]);
  });

  it('sees what every createLogger logger receives, at every level, silent ones included', () => {
    const seen: string[] = [];
    const untap = addLogTap((e) => seen.push(`${e.level}:${e.event}:${String(e.fields.value)}`));
    try {
      createLogger('silent').debug('a.b', { value: 1 });
      createLogger('error', () => undefined).info('c.d', { value: 2 });
    } finally {
      untap();
    }
    createLogger('silent').info('e.f', { value: 3 });
    expect(seen).toEqual(['debug:a.b:1', 'info:c.d:2']);
  });
});
