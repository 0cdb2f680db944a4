/**
 * Property tests of every inbound parser: whatever a platform (or someone holding a leaked
 * webhook secret) sends, a parser never throws, never hangs, and returns either "ignore" or a
 * well-formed message. Inputs are random JSON values, payloads shaped like the real ones with
 * random field types, and hostile Unicode text of up to 10,000 characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/domain/index.js';
import { CHANNEL_IDS } from '../../src/domain/index.js';
import { normaliseCommand, parseTelegramUpdate, updateType, type TelegramUpdate } from '../../src/channels/telegram/parse.js';
import { looksLikeUpdate } from '../../src/channels/telegram/router.js';
import { field, ignoreReason, mediaKindOf, parseTwilioMessage, type TwilioParams } from '../../src/channels/twilio/parse.js';
import { attachmentKind, parseActivity } from '../../src/channels/botframework/parse.js';
import { parseChatBody } from '../../src/channels/web/router.js';
import { ADVERSARIAL, hostileText, longText, noHang, RUNS } from './support.js';

const NOW = 1_767_225_600_000;

/** Any value a JSON body can hold, including deep and odd ones. */
const json = fc.jsonValue({ maxDepth: 4 });
/** A value of any type where a parser expects a specific one. */
const anyField = fc.oneof(json, hostileText(20), longText, fc.constant(undefined));
const text = fc.oneof(hostileText(80), longText, fc.constantFrom(...ADVERSARIAL));

/** What every parsed message must look like. */
function wellFormed(message: InboundMessage, channel: string): void {
  expect(CHANNEL_IDS).toContain(message.channel);
  expect(message.channel).toBe(channel);
  expect(message.receivedAt).toBe(NOW);
  for (const key of ['text', 'choiceId', 'localeHint'] as const) {
    if (message[key] !== undefined) expect(typeof message[key]).toBe('string');
  }
  if (message.location) {
    expect(Number.isFinite(message.location.lat) && Math.abs(message.location.lat) <= 90).toBe(true);
    expect(Number.isFinite(message.location.lon) && Math.abs(message.location.lon) <= 180).toBe(true);
  }
  expect(message.text !== undefined || message.choiceId !== undefined || message.location !== undefined || message.media !== undefined).toBe(true);
}

// Telegram --------------------------------------------------------------------------------------

const telegramUser = fc.record({ id: fc.oneof(fc.integer(), anyField), is_bot: fc.oneof(fc.boolean(), anyField), first_name: anyField, language_code: anyField }, { requiredKeys: [] });
const telegramChat = fc.record({ id: fc.oneof(fc.integer(), anyField), type: fc.oneof(fc.constantFrom('private', 'group', 'supergroup', 'channel'), anyField) }, { requiredKeys: [] });
const telegramMessage = fc.record(
  {
    message_id: fc.oneof(fc.integer(), anyField),
    from: fc.oneof(telegramUser, anyField),
    chat: fc.oneof(telegramChat, anyField),
    date: anyField,
    text: fc.oneof(text, anyField),
    caption: fc.oneof(text, anyField),
    location: fc.oneof(fc.record({ latitude: fc.double(), longitude: fc.double() }), anyField),
    venue: anyField,
    voice: anyField,
    photo: anyField,
    sticker: anyField,
    document: anyField,
    contact: anyField,
  },
  { requiredKeys: [] },
);
const telegramUpdate = fc.record(
  {
    update_id: fc.oneof(fc.integer(), anyField),
    message: fc.oneof(telegramMessage, anyField),
    edited_message: fc.oneof(telegramMessage, anyField),
    callback_query: fc.oneof(
      fc.record({ id: anyField, from: fc.oneof(telegramUser, anyField), message: fc.oneof(telegramMessage, anyField), data: fc.oneof(text, anyField) }, { requiredKeys: [] }),
      anyField,
    ),
    my_chat_member: anyField,
  },
  { requiredKeys: [] },
);

describe('telegram parser', () => {
  it('never throws on shaped updates with random field types and hostile text', () => {
    fc.assert(
      fc.property(telegramUpdate, (update) => {
        const out = noHang('parseTelegramUpdate', () => parseTelegramUpdate(update as unknown as TelegramUpdate, NOW));
        noHang('updateType', () => updateType(update as unknown as TelegramUpdate));
        if (out) {
          wellFormed(out.message, 'telegram');
          expect(typeof out.userId).toBe('string');
          expect(out.userId.length).toBeGreaterThan(0);
          expect(typeof out.chatId === 'number' || typeof out.chatId === 'string').toBe(true);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('never throws on any JSON body, and the router lets through only update-shaped ones', () => {
    fc.assert(
      fc.property(json, (body) => {
        const shaped = looksLikeUpdate(body);
        if (shaped) noHang('parseTelegramUpdate', () => parseTelegramUpdate(body as unknown as TelegramUpdate, NOW));
        else expect(typeof body !== 'object' || body === null || Array.isArray(body) || !Number.isSafeInteger((body as { update_id?: unknown }).update_id)).toBe(true);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('keeps the text of a private message whole, commands without the bot name', () => {
    fc.assert(
      fc.property(text, (t) => {
        const update = { update_id: 1, message: { message_id: 1, date: 1, from: { id: 7, is_bot: false, first_name: 'T' }, chat: { id: 7, type: 'private' }, text: t } };
        const out = noHang('parseTelegramUpdate', () => parseTelegramUpdate(update as unknown as TelegramUpdate, NOW));
        if (t.trim() === '') expect(out).toBeNull();
        else expect(out?.message.text).toBe(noHang('normaliseCommand', () => normaliseCommand(t)));
      }),
      { numRuns: RUNS },
    );
  });
});

// Twilio ----------------------------------------------------------------------------------------

const twilioValue = fc.oneof(text, fc.array(fc.oneof(text, hostileText(10)), { maxLength: 3 }), fc.constant(undefined), fc.constantFrom('', '0', '1', '2', '-1', '1e9', 'NaN', 'Infinity', '91', '-181', '35.7', 'received', 'delivered'));
const twilioParams = fc.record(
  {
    From: fc.oneof(fc.constantFrom('+15005550006', 'whatsapp:+15005550006', '', 'whatsapp:'), twilioValue),
    MessageSid: fc.oneof(fc.constant('SM00000000000000000000000000000001'), twilioValue),
    SmsMessageSid: twilioValue,
    Body: twilioValue,
    NumMedia: twilioValue,
    MediaContentType0: fc.oneof(fc.constantFrom('audio/ogg', 'image/webp', 'image/jpeg', 'video/mp4', 'application/pdf', 'text/vcard', ''), twilioValue),
    Latitude: twilioValue,
    Longitude: twilioValue,
    ButtonPayload: twilioValue,
    ListId: twilioValue,
    OptOutType: fc.oneof(fc.constantFrom('STOP', 'START', 'HELP', 'stop', 'STOPALL'), twilioValue),
    MessageStatus: twilioValue,
    SmsStatus: twilioValue,
  },
  { requiredKeys: [] },
);

describe('twilio parser', () => {
  it('never throws on any form, for both channels', () => {
    fc.assert(
      fc.property(fc.oneof(twilioParams, fc.dictionary(fc.oneof(fc.string(), hostileText(5)), twilioValue, { maxKeys: 8 })), fc.constantFrom('whatsapp', 'sms'), (params, channel) => {
        const p = params as TwilioParams;
        const out = noHang('parseTwilioMessage', () => parseTwilioMessage(p, channel as 'whatsapp' | 'sms', NOW));
        noHang('ignoreReason', () => ignoreReason(p, channel as 'whatsapp' | 'sms'));
        if (out) {
          wellFormed(out.message, channel);
          expect(out.userId).toBe(field(p, 'From'));
          expect(out.userId.startsWith('whatsapp:')).toBe(channel === 'whatsapp');
          // WhatsApp reports only what Twilio's OptOutType says; SMS also reads Twilio's default keywords.
          if (out.optOut && channel === 'whatsapp') expect((field(p, 'OptOutType') ?? '').trim().toUpperCase()).toBe(out.optOut);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('sorts any MIME type into a media kind', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.constant(undefined)), (type) => {
        expect(typeof noHang('mediaKindOf', () => mediaKindOf(type))).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });
});

// Bot Framework ---------------------------------------------------------------------------------

const activity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'typing', 'conversationUpdate', 'event'), anyField),
    id: anyField,
    channelId: anyField,
    from: fc.oneof(fc.record({ id: fc.oneof(text, anyField), role: anyField, name: anyField }, { requiredKeys: [] }), anyField),
    conversation: fc.oneof(fc.record({ id: anyField, isGroup: fc.oneof(fc.boolean(), anyField) }, { requiredKeys: [] }), anyField),
    text: fc.oneof(text, anyField),
    value: fc.oneof(fc.record({ choiceId: fc.oneof(text, anyField) }), anyField),
    attachments: fc.oneof(fc.array(fc.record({ contentType: fc.oneof(text, fc.constantFrom('image/png', 'audio/ogg', 'application/vnd.microsoft.card.hero')) }, { requiredKeys: [] }), { maxLength: 3 }), anyField),
    locale: anyField,
  },
  { requiredKeys: [] },
);

describe('bot framework parser', () => {
  it('never throws on shaped activities with random field types', () => {
    fc.assert(
      fc.property(fc.oneof(activity, json), (a) => {
        const out = noHang('parseActivity', () => parseActivity(a as Parameters<typeof parseActivity>[0], NOW));
        if (out) {
          wellFormed(out.message, 'botframework');
          expect(typeof out.userId).toBe('string');
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('sorts any content type', () => {
    fc.assert(fc.property(fc.oneof(text, fc.constant(undefined)), (type) => void noHang('attachmentKind', () => attachmentKind(type))), { numRuns: RUNS });
  });
});

// Web -------------------------------------------------------------------------------------------

describe('web /api/chat body', () => {
  it('accepts a well-formed body or refuses it with a BadRequestError, nothing else', () => {
    const body = fc.oneof(
      json,
      fc.record({ user: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/), anyField), text: fc.oneof(text, anyField), choice: anyField, id: anyField, preview: anyField }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(body, fc.dictionary(fc.string(), fc.oneof(fc.string(), json)), (b, query) => {
        try {
          const out = noHang('parseChatBody', () => parseChatBody(b, query));
          expect(out.user).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
          expect(out.text !== undefined || out.choice !== undefined).toBe(true);
        } catch (err) {
          expect((err as Error).name).toBe('BadRequestError');
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
