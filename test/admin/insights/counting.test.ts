/**
 * Research counters after a scripted set of turns on each channel, through the real conversation
 * service (real content and matcher) and the SMS delivery pipeline: the right counters move, and
 * nothing stored could identify a person (a scan of every stored record for the users' ids, their
 * keys and every word they wrote).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { AdminStore } from '../../../src/admin/store/port.js';
import { createInsightsRecorder, type InsightsRecorder } from '../../../src/admin/insights/recorder.js';
import { CAPABILITIES, smsCapabilities } from '../../../src/channels/shared/capabilities.js';
import { deliver } from '../../../src/channels/shared/pipeline.js';
import { createSmsFitter } from '../../../src/channels/shared/sms.js';
import { PROJECT_ROOT } from '../../../src/config/index.js';
import { dayOf, smsSegments, type ChannelCapabilities, type ChannelId, type InboundMessage, type TurnHandler } from '../../../src/domain/index.js';
import { createConversationService } from '../../../src/engine/index.js';
import { createTranslator } from '../../../src/i18n/index.js';
import { loadKnowledge } from '../../../src/knowledge/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { createMatcher } from '../../../src/nlu/index.js';
import { createHmacKeyer } from '../../../src/state/keyer.js';
import { createMemoryStore } from '../../../src/state/memory.js';
import { tempAdminDataDir } from '../../helpers/admin-data.js';

const DAY_MS = Date.parse('2026-11-20T10:30:00Z');
const DAY = dayOf(DAY_MS);
const SECRET = 'insights-test-secret';

let dataDir: string;
let store: AdminStore;
let recorder: InsightsRecorder;
let handle: TurnHandler;
const t = await createTranslator(path.join(PROJECT_ROOT, 'locales'));
const texts: string[] = [];
const users: Array<[ChannelId, string]> = [];

beforeAll(async () => {
  const { kb } = await loadKnowledge({ contentDir: path.join(PROJECT_ROOT, 'content'), intentsDir: path.join(PROJECT_ROOT, 'intents'), smsShortFormSegments: 2, root: PROJECT_ROOT });
  dataDir = tempAdminDataDir();
  store = await createFileAdminStore({ dataDir, sweepIntervalMs: 0 });
  recorder = createInsightsRecorder({ store, logger: silentLogger, retentionDays: 400, now: () => DAY_MS });
  handle = createConversationService({
    store: createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 }),
    keyer: createHmacKeyer(SECRET),
    deps: { kb, matcher: createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] }), t, defaultLang: 'fr' },
    logger: silentLogger,
    onTurn: (facts) => recorder.recordTurn(facts),
  });
}, 60_000);
afterAll(async () => {
  await store?.close();
});

let n = 0;
/** One turn of `user` on `channel`. */
async function say(channel: ChannelId, caps: ChannelCapabilities, user: string, message: Partial<InboundMessage>): Promise<void> {
  if (message.text) texts.push(message.text);
  users.push([channel, user]);
  await handle({ userId: user, capabilities: caps, message: { channel, receivedAt: DAY_MS + ++n, ...message } });
}

describe('insights counters', () => {
  it('count each channel, language, outcome, topic, urgency, city, feedback, latency and SMS segment of a scripted day', async () => {
    const wa = '+212600000001';
    await say('whatsapp', CAPABILITIES.whatsapp, wa, { choiceId: 'lang:en' });
    await say('whatsapp', CAPABILITIES.whatsapp, wa, { text: 'how can I rent a flat, the landlord wants a deposit' });
    await say('whatsapp', CAPABILITIES.whatsapp, wa, { choiceId: 'fb:no' });
    const tg = '987654321';
    await say('telegram', CAPABILITIES.telegram, tg, { choiceId: 'lang:fr' });
    await say('telegram', CAPABILITIES.telegram, tg, { text: 'la police m’a arrêté hier soir, que faire' });
    await say('telegram', CAPABILITIES.telegram, tg, { text: 'je suis à Tanger' });
    const web = 'web-session-4f2a';
    await say('web', CAPABILITIES.web, web, { choiceId: 'lang:ar' });
    await say('web', CAPABILITIES.web, web, { text: 'ما هي وصفة الكسكس بالخضر' });
    const bf = 'teams-user-29:1abc';
    await say('botframework', CAPABILITIES.botframework, bf, { choiceId: 'lang:es' });
    await say('botframework', CAPABILITIES.botframework, bf, { choiceId: 'topic:housing' });
    await say('botframework', CAPABILITIES.botframework, bf, { choiceId: 'fb:yes' });

    // SMS through the delivery pipeline: the segments of the bodies sent are counted.
    const smsCaps = smsCapabilities(3);
    const sent: string[] = [];
    const sms = '+212611111111';
    for (const text of ['bonjour', 'comment avoir une carte de sejour au maroc']) {
      texts.push(text);
      users.push(['sms', sms]);
      await deliver(
        { id: 'sms', capabilities: smsCaps, fit: createSmsFitter(smsCaps, t) },
        { userId: sms, message: { channel: 'sms', text, receivedAt: DAY_MS + ++n } },
        {
          render: (replies) => replies.map((r) => r.text),
          send: async (bodies) => {
            sent.push(...bodies);
            return { sent: bodies.length };
          },
        },
        { handleTurn: handle, logger: silentLogger, defaultLang: 'fr', onDelivered: (fact) => recorder.recordSms({ day: DAY, lang: fact.lang, segments: fact.smsSegments }) },
      );
    }
    await recorder.flush();

    const counts = (await store.getCounts('insights', [DAY]))[0]!;
    const get = (field: string): number => counts[field] ?? 0;
    // WhatsApp, English: language choice, the housing answer, then "not helpful".
    expect(get('q|whatsapp|en|other')).toBe(1);
    expect(get('q|whatsapp|en|answered')).toBe(1);
    expect(get('t|whatsapp|en|housing|a')).toBe(1);
    expect(get('q|whatsapp|en|feedback')).toBe(1);
    expect(get('t|whatsapp|en|housing|n')).toBe(1);
    // Telegram, French: an urgent arrest, then a city named.
    expect(get('u|telegram|fr|arrest')).toBe(1);
    expect(get('q|telegram|fr|answered')).toBe(1);
    expect(get('q|telegram|fr|directory')).toBe(1);
    expect(get('c|telegram|fr|tanger')).toBe(1);
    // Web, Arabic: a question Dalil cannot answer.
    expect(get('q|web|ar|out-of-scope')).toBe(1);
    // Bot Framework, Spanish: a topic chosen from a menu, then "helpful".
    expect(get('t|botframework|es|housing|a')).toBe(1);
    expect(get('t|botframework|es|housing|y')).toBe(1);
    // SMS: both turns counted, and exactly the segments that went out.
    expect(Object.entries(counts).filter(([f]) => f.startsWith('q|sms|fr|')).reduce((s, [, v]) => s + v, 0)).toBe(2);
    expect(sent.length).toBeGreaterThan(0);
    expect(get('s|sms|fr|segments')).toBe(sent.reduce((s, x) => s + smsSegments(x), 0));
    // Every turn is in the latency histogram, once.
    const turns = Object.entries(counts).filter(([f]) => f.startsWith('q|')).reduce((s, [, v]) => s + v, 0);
    expect(turns).toBe(13);
    expect(Object.entries(counts).filter(([f]) => f.startsWith('l|')).reduce((s, [, v]) => s + v, 0)).toBe(turns);
  });

  it('store nothing that identifies a person: no user id, key, word of a message, or time finer than a day', async () => {
    const stored: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        // The record's values and its name; its envelope's expiry is the store's, not a person's.
        else stored.push(`${e.name}\n${JSON.stringify((JSON.parse(readFileSync(p, 'utf8')) as { v: unknown }).v)}`);
      }
    };
    walk(path.join(dataDir, 'insights'));
    expect(stored.length).toBe(1);
    const dump = stored.join('\n');
    const keyer = createHmacKeyer(SECRET);
    for (const [channel, user] of users) {
      expect(dump).not.toContain(user);
      expect(dump).not.toContain(user.replace(/\D/g, '').slice(-6) || user);
      expect(dump).not.toContain(keyer.key(channel, user));
    }
    // Words of three letters or more that people wrote (topic and city ids aside, which are ours).
    const ours = new Set(['housing', 'tanger']);
    for (const word of texts.join(' ').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && !ours.has(w.toLowerCase()))) {
      expect(dump.toLowerCase(), `stored text contains "${word}"`).not.toContain(`|${word.toLowerCase()}|`);
    }
    expect(dump).not.toMatch(/T\d{2}:\d{2}|\d{10,}/);
    // Each field is made of closed-list parts only.
    const record = JSON.parse(stored[0]!.split('\n').slice(1).join('\n')) as Record<string, number>;
    expect(Object.keys(record).length).toBeGreaterThan(10);
    for (const field of Object.keys(record)) expect(field).toMatch(/^(q|t|u|c|s|l)\|(web|telegram|whatsapp|sms|botframework|cli)\|(fr|en|ar|es)\|[a-z0-9-]+(\|[auyn])?$/);
  });
});
