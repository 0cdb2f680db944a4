/**
 * Property test of whole conversations: random sequences of hostile messages (text of up to
 * 10,000 characters, button ids, media, locations, commands, numbers) go through the real
 * conversation service (real knowledge base, matcher and translations, memory store) on every
 * channel. Every turn gets a reply (only an SMS user who sent STOP gets silence), the engine never
 * fails (no apology), and every reply renders for its channel within the channel's limits.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCapabilities, InboundMessage, Translate, TurnHandler } from '../../src/domain/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher } from '../../src/nlu/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createConversationService } from '../../src/engine/index.js';
import { MAX_CHOICES } from '../../src/engine/limits.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createLogger } from '../../src/logging/logger.js';
import { CAPABILITIES, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { renderTelegram } from '../../src/channels/telegram/render.js';
import { renderSms, renderWhatsapp } from '../../src/channels/twilio/render.js';
import { renderBotFramework } from '../../src/channels/botframework/render.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { smsSegments } from '../../src/domain/index.js';
import { ADVERSARIAL, hostileText, longText, noHangAsync } from './support.js';

const ROOT = new URL('../..', import.meta.url).pathname;
type Channel = 'web' | 'telegram' | 'whatsapp' | 'sms' | 'botframework';
const CAPS: Record<Channel, ChannelCapabilities> = {
  web: CAPABILITIES.web,
  telegram: CAPABILITIES.telegram,
  whatsapp: CAPABILITIES.whatsapp,
  sms: smsCapabilities(3),
  botframework: CAPABILITIES.botframework,
};

const input: fc.Arbitrary<Partial<InboundMessage>> = fc.oneof(
  { arbitrary: hostileText(60).map((text) => ({ text })), weight: 8 },
  { arbitrary: fc.oneof(longText, fc.constantFrom(...ADVERSARIAL)).map((text) => ({ text })), weight: 1 },
  { arbitrary: fc.constantFrom('0', '1', '2', '3', '9', '99', 'MENU', 'BACK', 'LANGUE', 'HELP', 'PLUS', 'MORE', 'DELETE', 'STOP', 'START', 'PERSON', '/start', 'oui', 'no').map((text) => ({ text })), weight: 4 },
  { arbitrary: fc.oneof(fc.constantFrom('lang:ar', 'lang:fr', 'cat:papers', 'topic:residence-permit', 'topic:find-help', 'full:asylum-register', 'cmd:menu', 'cmd:delete', 'fb:yes', 'fb:no'), hostileText(10)).map((choiceId) => ({ choiceId })), weight: 3 },
  { arbitrary: fc.constantFrom('voice', 'image', 'sticker', 'other').map((media) => ({ media: media as InboundMessage['media'] })), weight: 1 },
  { arbitrary: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }).map((location) => ({ location })), weight: 1 },
);
const conversation = fc.record({
  channel: fc.constantFrom<Channel>('web', 'telegram', 'whatsapp', 'sms', 'botframework'),
  localeHint: fc.option(fc.oneof(fc.constantFrom('fr-FR', 'ar', 'es_MA', 'en', 'zz'), hostileText(5)), { nil: undefined }),
  messages: fc.array(input, { minLength: 1, maxLength: 6 }),
});

let handle: TurnHandler;
let t: Translate;
let store: ReturnType<typeof createMemoryStore>;
const keyer = createHmacKeyer('fuzz-secret');
beforeAll(async () => {
  const { kb } = await loadKnowledge({ contentDir: `${ROOT}content`, intentsDir: `${ROOT}intents`, smsShortFormSegments: 2, root: ROOT });
  const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  t = await createTranslator(`${ROOT}locales`);
  store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  handle = createConversationService({ store, keyer, deps: { kb, matcher, t, defaultLang: 'fr' }, logger: createLogger('silent') });
}, 60_000);

describe('a conversation of hostile messages', () => {
  it('always gets a reply that renders on its channel', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(conversation, async ({ channel, localeHint, messages }) => {
        const userId = `fuzz-${++n}`;
        const caps = CAPS[channel];
        const fit = channel === 'sms' ? createSmsFitter(caps, t) : undefined;
        for (const m of messages) {
          const message: InboundMessage = { channel, receivedAt: 1_767_225_600_000 + n * 1000, ...m, ...(localeHint ? { localeHint } : {}) };
          // After STOP a carrier channel stays silent, and a DELETE then erases everything silently
          // (the carrier forbids any message until START): silence is right for both.
          const stoppedBefore = (await store.get(keyer.key(channel, userId)))?.stopped === true;
          const out = await noHangAsync('turn', () => handle({ userId, message, capabilities: caps, ...(fit ? { fit } : {}) }));
          expect(out.duplicate).toBe(false);
          expect(out.replies.every((r) => r.kind !== 'error'), 'the engine failed (apology)').toBe(true);
          const stopped = (await store.get(keyer.key(channel, userId)))?.stopped === true;
          if (!(channel === 'sms' && (stopped || stoppedBefore))) expect(out.replies.length, `no reply to ${JSON.stringify(m).slice(0, 80)}`).toBeGreaterThan(0);
          for (const r of out.replies) {
            expect(r.text.trim().length).toBeGreaterThan(0);
            expect((r.choices ?? []).length).toBeLessThanOrEqual(MAX_CHOICES);
          }
          if (out.replies.length === 0) continue;
          if (channel === 'telegram') for (const o of renderTelegram(out.replies, caps)) expect(o.text.length).toBeLessThanOrEqual(4096 * 2);
          if (channel === 'whatsapp') for (const o of renderWhatsapp(out.replies, caps)) if (o.kind === 'text') expect(o.body.length).toBeLessThanOrEqual(1600);
          if (channel === 'sms') for (const b of renderSms(out.replies, caps)) expect(smsSegments(b)).toBeLessThanOrEqual(caps.maxLength);
          if (channel === 'botframework') expect(renderBotFramework(out.replies, caps).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
