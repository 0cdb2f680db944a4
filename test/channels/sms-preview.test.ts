/**
 * The web chat's SMS preview shows what the SMS channel sends for the same question: the same
 * short form, "Full answer" first, the same segment count, through the SMS channel's own fitter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCapabilities, Lang, Reply, Translate, TurnHandler } from '../../src/domain/index.js';
import { smsSegments } from '../../src/domain/index.js';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher } from '../../src/nlu/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createConversationService } from '../../src/engine/index.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createLogger } from '../../src/logging/logger.js';
import { CAPABILITIES, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { renderSms } from '../../src/channels/twilio/render.js';
import { previewOf } from '../../src/channels/web/router.js';

let handle: TurnHandler;
let t: Translate;
const sms = smsCapabilities(3);

beforeAll(async () => {
  const { kb } = await loadKnowledge({ contentDir: `${PROJECT_ROOT}/content`, intentsDir: `${PROJECT_ROOT}/intents`, smsShortFormSegments: 2, root: PROJECT_ROOT });
  t = await createTranslator(`${PROJECT_ROOT}/locales`);
  const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  handle = createConversationService({ store, keyer: createHmacKeyer('preview-test'), deps: { kb, matcher, t, defaultLang: 'fr' }, logger: createLogger('silent') });
}, 60_000);

/** The replies to `question` for a user who has chosen `lang`, on a channel. */
async function ask(user: string, caps: ChannelCapabilities, lang: Lang, question: string): Promise<Reply[]> {
  const fit = caps.compact ? { fit: createSmsFitter(caps, t) } : {};
  const send = (m: { text?: string; choiceId?: string }) =>
    handle({ userId: user, capabilities: caps, ...fit, message: { channel: caps.channel, receivedAt: Date.now(), ...m } });
  await send({ choiceId: `lang:${lang}` });
  return (await send({ text: question })).replies;
}

describe('the SMS preview of the web chat', () => {
  it.each([
    ['fr', 'Comment avoir une carte de séjour au Maroc ?'],
    ['ar', 'كيف أحصل على بطاقة الإقامة في المغرب؟'],
    ['es', '¿Cómo consigo la tarjeta de residencia en Marruecos?'],
  ] as const)('is the SMS the channel sends (%s)', async (lang, question) => {
    const sent = renderSms(await ask(`sms-${lang}`, sms, lang, question), sms);
    expect(sent).toHaveLength(1);
    const web = (await ask(`web-${lang}`, CAPABILITIES.web, lang, question)).find((r) => r.kind === 'answer')!;
    const preview = previewOf(web, sms, createSmsFitter(sms, t)).sms;
    expect(preview.text).toBe(sent[0]);
    expect(preview.segments).toBe(smsSegments(sent[0]!));
    expect(preview.segments).toBeLessThanOrEqual(3);
    expect(preview.text).toContain(`1. ${t(lang, 'answer.full')}`);
  });
});
