/**
 * One inbound SMS, one outgoing message within SMS_SEGMENT_BUDGET, through the real SMS webhook,
 * the real conversation service and the real content: first contact (welcome and privacy notice
 * included), language choice, menu, an answer, MORE and HELP, in French and Arabic. Segments are
 * counted here independently of src/domain/sms.ts, from the GSM 03.38 tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { ConversationStore, TurnHandler } from '../../src/domain/index.js';
import { createSmsChannel } from '../../src/channels/twilio/router.js';
import { AUTH_TOKEN, PUBLIC_BASE_URL, captureLogs, guardNetwork, post, serve, t, twilioTestSettings, type NetworkGuard } from './harness.js';

// GSM 03.38 basic character set and its extension table (each extension character costs two septets).
const GSM_BASIC = new Set(
  [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'],
);
const GSM_EXT = new Set([...'^{}\\[~]|€\f']);

/** Segments of one SMS body: GSM-7 160 septets alone, 153 per segment when split; else UCS-2 70 / 67 UTF-16 units. */
function segmentsOf(body: string): number {
  const chars = [...body];
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXT.has(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXT.has(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  const units = body.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

describe('the independent segment counter', () => {
  it.each([
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    ['€'.repeat(80), 1],
    ['€'.repeat(81), 2],
    ['ع'.repeat(70), 1],
    ['ع'.repeat(71), 2],
    ['ع'.repeat(134), 2],
    ['ع'.repeat(135), 3],
    ['ç' + 'a'.repeat(69), 1],
  ] as const)('%#: %s', (body, n) => expect(segmentsOf(body)).toBe(n));
});

const BUDGET = 3;
const SETTINGS = twilioTestSettings({ smsSegmentBudget: BUDGET });
const logs = captureLogs();
let guard: NetworkGuard;
let handleTurn: TurnHandler;
let store: ConversationStore;

beforeAll(async () => {
  guard = guardNetwork();
  const { loadConfig, PROJECT_ROOT } = await import('../../src/config/index.js');
  const { loadKnowledge } = await import('../../src/knowledge/index.js');
  const { createMatcher } = await import('../../src/nlu/index.js');
  const { createConversationService } = await import('../../src/engine/index.js');
  const { createMemoryStore } = await import('../../src/state/memory.js');
  const { createHmacKeyer } = await import('../../src/state/keyer.js');
  const config = loadConfig({ NODE_ENV: 'test', HMAC_SECRET: 'sms-budget-test' });
  const { kb } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
  const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  handleTurn = createConversationService({ store, keyer: createHmacKeyer('sms-budget-test'), deps: { kb, matcher, t, defaultLang: 'fr', maxMessageChars: config.maxMessageChars }, logger: logs.logger });
}, 60_000);
afterAll(async () => {
  guard?.restore();
  await store?.close();
});

/** The bodies of a TwiML response, unescaped. */
function messagesOf(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}

type Step = { inbound: string; body: string; params?: Record<string, string>; expect: { messages: 0 | 1; contains?: string[] } };

const SCRIPTS: Record<string, Step[]> = {
  'fr, a question first': [
    { inbound: 'first contact', body: "c'est quoi la carte de séjour ?", expect: { messages: 1, contains: ['SUPPRIMER', 'CONFIDENTIALITE', 'Carte de s'] } },
    { inbound: 'MORE', body: 'PLUS', expect: { messages: 1 } },
    { inbound: 'privacy', body: 'CONFIDENTIALITE', expect: { messages: 1, contains: ['SUPPRIMER'] } },
    { inbound: 'HELP (Advanced Opt-Out)', body: 'HELP', params: { OptOutType: 'HELP' }, expect: { messages: 0 } },
    { inbound: 'AIDE', body: 'AIDE', expect: { messages: 1 } },
  ],
  'fr, a greeting first': [
    { inbound: 'first contact', body: 'bonjour', expect: { messages: 1, contains: ['1. Français'] } },
    { inbound: 'language choice', body: '1', expect: { messages: 1, contains: ['SUPPRIMER', '10. Aide et urgences'] } },
    { inbound: 'menu', body: 'menu', expect: { messages: 1, contains: ['1. Papiers'] } },
    { inbound: 'an answer', body: 'je suis malade, je veux voir un médecin', expect: { messages: 1 } },
    { inbound: 'MORE', body: 'PLUS', expect: { messages: 1 } },
  ],
  'ar, a question first': [
    { inbound: 'first contact', body: 'ما هي بطاقة الإقامة؟', expect: { messages: 1, contains: ['امسح', 'بطاقة الإقامة'] } },
    { inbound: 'MORE', body: 'المزيد', expect: { messages: 1 } },
    { inbound: 'HELP', body: 'مساعدة', expect: { messages: 1 } },
  ],
  'ar, a greeting first': [
    { inbound: 'first contact', body: 'مرحبا', expect: { messages: 1 } },
    { inbound: 'language choice', body: '3', expect: { messages: 1, contains: ['امسح'] } },
    // The ten categories' short names fit the budget: the whole menu comes at once, MORE has nothing left.
    { inbound: 'menu', body: 'القائمة', expect: { messages: 1, contains: ['1. ', '10. '] } },
    { inbound: 'MORE after the whole menu', body: 'المزيد', expect: { messages: 1, contains: ['لا يوجد شيء آخر'] } },
    { inbound: 'an answer', body: 'أنا مريض وأريد رؤية طبيب', expect: { messages: 1 } },
    { inbound: 'MORE', body: 'المزيد', expect: { messages: 1 } },
  ],
  'fr, an arrest at first contact': [
    { inbound: 'first contact', body: "la police m'a arrêté, aidez-moi", expect: { messages: 1, contains: ['appelez'] } },
  ],
};

describe.each(Object.entries(SCRIPTS))('SMS budget per inbound message: %s', (name, steps) => {
  it('gets at most one message of at most the budget for each inbound SMS', async () => {
    const channel = createSmsChannel(SETTINGS, { handleTurn, logger: logs.logger, t, sender: async () => expect.fail('no REST call within the deadline') });
    const app = await serve([channel.mount], logs.logger);
    const path = channel.mount.path;
    const from = `+1500555${String(Object.keys(SCRIPTS).indexOf(name)).padStart(4, '0')}`;
    try {
      for (const [i, step] of steps.entries()) {
        const params = { MessageSid: `SM${String(i).padStart(4, '0')}${name.length}`.padEnd(34, '0'), From: from, To: SETTINGS.smsFrom, Body: step.body, NumMedia: '0', SmsStatus: 'received', ...step.params };
        const headers = { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params) };
        const r = await post(`${app.url}${path}`, params, { form: true, headers });
        expect(r.status).toBe(200);
        const out = messagesOf(r.text);
        expect(out, step.inbound).toHaveLength(step.expect.messages);
        for (const body of out) {
          expect(segmentsOf(body), `${step.inbound}: ${body}`).toBeLessThanOrEqual(BUDGET);
          expect(body.length).toBeLessThanOrEqual(1600);
          for (const part of step.expect.contains ?? []) expect(body, step.inbound).toContain(part);
        }
      }
    } finally {
      await app.close();
    }
    expect(guard.attempts).toEqual([]);
  });
});
