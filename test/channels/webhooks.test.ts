/**
 * Every channel's webhook, table-driven: a recorded payload goes in through the real express app,
 * the engine is a fake returning canned replies, and each case checks the HTTP status, what the
 * engine was handed, the exact outgoing API calls / TwiML / activities, that nothing left the
 * machine and that no id, number, token or message text reached the logs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { InboundMessage, Lang, Reply } from '../../src/domain/index.js';
import { createTelegramChannel, TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { createSmsChannel, createWhatsappChannel, type TwilioSettings } from '../../src/channels/twilio/router.js';
import type { TwilioOutboundMessage } from '../../src/channels/twilio/send.js';
import { createBotFrameworkChannel } from '../../src/channels/botframework/router.js';
import { smsSegments } from '../../src/domain/sms.js';
import {
  captureLogs,
  fakeConnector,
  fakeTelegram,
  fakeTurns,
  fixture,
  guardNetwork,
  post,
  sensitiveValues,
  serve,
  TEST_BOT_INFO,
  type ApiCall,
  type ApiFailure,
  type HttpResult,
  type NetworkGuard,
  AUTH_TOKEN,
  PUBLIC_BASE_URL,
  twilioTestSettings,
  t,
} from './harness.js';

/** The engine's answer to media it cannot read, as the conversation service returns it. */
const pleaseType = (lang: Lang): Reply => ({ kind: 'notice', text: t(lang, 'media.pleaseType'), lang });

const BOT_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijkl';
const WEBHOOK_SECRET = 'test-secret_0123456789';
const SECRETS = [BOT_TOKEN, WEBHOOK_SECRET, AUTH_TOKEN];
const noSleep = { sleep: async () => undefined };
const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const twiml = (...bodies: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Response>${bodies.map((b) => `<Message>${b}</Message>`).join('')}</Response>`;

// Canned engine replies -------------------------------------------------------------------------
const MENU_FR: Reply = {
  kind: 'menu',
  lang: 'fr',
  text: 'Choisissez un thème :',
  choices: [
    { id: 'cat:papers', label: 'Papiers' },
    { id: 'cat:asylum', label: 'Asile' },
  ],
};
const ANSWER_AR: Reply = { kind: 'answer', lang: 'ar', text: 'مرحبا <بك> & *أهلا*' };
const ORGS_EN: Reply = {
  kind: 'answer',
  lang: 'en',
  text: 'Organisations near you:\n\n*GADEM*',
  links: [{ title: 'GADEM', url: 'https://example.org/gadem?a=1&b=2' }],
};
const ENGINE_PLEASE_TYPE_AR: Reply = { kind: 'notice', lang: 'ar', text: 'اكتب سؤالك من فضلك.' };
const para = (n: number, len: number): string => `P${n} ` + 'mot '.repeat(Math.floor((len - 4) / 4)).trim();
const LONG_FR: Reply = { kind: 'answer', lang: 'fr', text: [para(1, 2500), para(2, 2500), para(3, 500)].join('\n\n') };
const LONG_WA: Reply = { kind: 'answer', lang: 'fr', text: [para(1, 900), para(2, 900), para(3, 500)].join('\n\n') };
const THREE_CHOICES_ES: Reply = {
  kind: 'feedback',
  lang: 'es',
  text: '¿Te ha servido?',
  choices: [
    { id: 'fb:yes', label: 'Sí' },
    { id: 'fb:no', label: 'No' },
    { id: 'menu', label: 'Volver al menú principal ahora' },
  ],
};
const TEN_CHOICES_FR: Reply = {
  kind: 'menu',
  lang: 'fr',
  text: 'Menu principal',
  choices: Array.from({ length: 10 }, (_, i) => ({ id: `cat:${i + 1}`, label: `Thème numéro ${i + 1} avec un long titre` })),
};
const SMS_FR: Reply = { kind: 'answer', lang: 'fr', text: 'C’est la carte « de séjour » – voir *ici* 😀\u00a0!', choices: [{ id: 'more', label: 'Plus d’infos' }] };
const SMS_LONG_FR: Reply = {
  kind: 'answer',
  lang: 'fr',
  text: Array.from({ length: 8 }, (_, i) => `Paragraphe ${i + 1}: les etrangers en situation irreguliere ont droit aux soins d'urgence.`).join('\n\n'),
};
const SMS_AR: Reply = { kind: 'answer', lang: 'ar', text: 'لك الحق في العلاج في المستشفى العمومي.' };
const STOP_CONFIRM: Reply = { kind: 'notice', lang: 'fr', text: 'Vous ne recevrez plus de messages. Envoyez START pour reprendre.' };

// Channel drivers --------------------------------------------------------------------------------
type Auth = 'valid' | 'missing' | 'wrong' | 'other-url' | 'unverifiable';
type Channel = 'telegram' | 'whatsapp' | 'sms' | 'botframework';

interface Script {
  replies?: Reply[];
  duplicate?: boolean;
  fail?: boolean;
  lang?: Reply['lang'];
}

interface Case {
  name: string;
  channel: Channel;
  fixture: string;
  auth?: Auth;
  engine?: Script;
  /** Raw body instead of the fixture (malformed requests). */
  rawBody?: string;
  /** Telegram API failures to inject. */
  apiFailures?: Array<[string, ApiFailure]>;
  /** Twilio settings overrides (content templates). */
  twilio?: Partial<TwilioSettings>;
  /** Twilio: form fields set over the fixture's (null removes one), as Twilio's docs describe them. */
  params?: Record<string, string | null>;
  /** Twilio REST sender failure. */
  restError?: { status: number; code: number };
  /** Bot Framework: ask for replies in the HTTP response. */
  expectReplies?: boolean;
  /** Fields the engine's message must not have. */
  absent?: Array<keyof InboundMessage>;
  expect: {
    status: number;
    /** What the engine was handed (subset), or null when it must not be called. */
    inbound: Partial<InboundMessage> | null;
    /** Telegram: exact Bot API calls. */
    calls?: ApiCall[];
    /** Twilio: exact response body. */
    body?: string;
    /** Twilio: exact REST messages. */
    rest?: TwilioOutboundMessage[];
    /** Bot Framework: activities sent (subset of each), in the response or to the connector. */
    activities?: Array<Record<string, unknown>>;
    /** Log events that must be present. */
    events?: string[];
    /** Twilio: how many times the sender's conversation was marked stopped (default 0). */
    stopped?: number;
  };
}

const send = (text: string, extra: Record<string, unknown> = {}): ApiCall => ({
  method: 'sendMessage',
  payload: { chat_id: 5550001234, text, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra },
});
const MENU_KEYBOARD = { reply_markup: { inline_keyboard: [[{ text: 'Papiers', callback_data: 'cat:papers' }], [{ text: 'Asile', callback_data: 'cat:asylum' }]] } };

const CASES: Case[] = [
  // Telegram ---------------------------------------------------------------------------------------
  {
    name: 'text message -> inline keyboard',
    channel: 'telegram',
    fixture: 'text-message',
    engine: { replies: [MENU_FR] },
    expect: { status: 200, inbound: { channel: 'telegram', text: "j'ai perdu mon passeport, que faire ?", localeHint: 'fr' }, calls: [send('Choisissez un thème :', MENU_KEYBOARD)] },
  },
  {
    name: '/start@bot -> command as is, HTML escaped',
    channel: 'telegram',
    fixture: 'command-start',
    engine: { replies: [ANSWER_AR] },
    expect: { status: 200, inbound: { text: '/start', localeHint: 'ar' }, calls: [send('مرحبا &lt;بك&gt; &amp; <b>أهلا</b>')] },
  },
  {
    name: 'callback query -> choice, answered first',
    channel: 'telegram',
    fixture: 'callback-query',
    engine: { replies: [MENU_FR] },
    expect: {
      status: 200,
      inbound: { choiceId: 'cat:papers', localeHint: 'es' },
      calls: [{ method: 'answerCallbackQuery', payload: { callback_query_id: '4382000000000000001' } }, send('Choisissez un thème :', MENU_KEYBOARD)],
    },
  },
  {
    name: 'location -> location, links as text',
    channel: 'telegram',
    fixture: 'location',
    engine: { replies: [ORGS_EN] },
    expect: {
      status: 200,
      inbound: { location: { lat: 34.0209, lon: -6.8416 }, localeHint: 'en' },
      calls: [send('Organisations near you:\n\n<b>GADEM</b>\n\nGADEM: https://example.org/gadem?a=1&amp;b=2')],
    },
  },
  {
    name: 'voice note -> the engine\'s polite "please type"',
    channel: 'telegram',
    fixture: 'voice',
    engine: { replies: [pleaseType('fr')], lang: 'fr' },
    expect: { status: 200, inbound: { media: 'voice' }, calls: [send(t('fr', 'media.pleaseType'))] },
  },
  {
    name: 'sticker -> media, the engine reply is sent',
    channel: 'telegram',
    fixture: 'sticker',
    engine: { replies: [ENGINE_PLEASE_TYPE_AR] },
    expect: { status: 200, inbound: { media: 'sticker' }, calls: [send('اكتب سؤالك من فضلك.')] },
  },
  {
    name: 'photo -> media image',
    channel: 'telegram',
    fixture: 'photo',
    engine: { replies: [pleaseType('en')], lang: 'en' },
    expect: { status: 200, inbound: { media: 'image' }, calls: [send(t('en', 'media.pleaseType'))] },
  },
  { name: 'edited message ignored', channel: 'telegram', fixture: 'edited-message', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, calls: [] } },
  { name: 'my_chat_member ignored', channel: 'telegram', fixture: 'my-chat-member', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, calls: [] } },
  { name: 'group message ignored', channel: 'telegram', fixture: 'group-message', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, calls: [] } },
  {
    name: 'missing secret token -> 401',
    channel: 'telegram',
    fixture: 'text-message',
    auth: 'missing',
    engine: { replies: [MENU_FR] },
    expect: { status: 401, inbound: null, calls: [], events: ['channel.telegram.bad_secret'] },
  },
  { name: 'wrong secret token -> 401', channel: 'telegram', fixture: 'text-message', auth: 'wrong', engine: { replies: [MENU_FR] }, expect: { status: 401, inbound: null, calls: [] } },
  { name: 'malformed JSON -> 400', channel: 'telegram', fixture: 'text-message', rawBody: '{"update_id": 1,', expect: { status: 400, inbound: null, calls: [] } },
  { name: 'redelivered update -> nothing sent', channel: 'telegram', fixture: 'text-message', engine: { replies: [MENU_FR], duplicate: true }, expect: { status: 200, inbound: {}, calls: [] } },
  {
    name: 'a handler that rejects (its promise broken) -> logged, nothing sent, 200',
    channel: 'telegram',
    fixture: 'text-message',
    engine: { fail: true },
    expect: { status: 200, inbound: {}, calls: [], events: ['channel.telegram.turn_failed'] },
  },
  {
    name: 'reply over 4,096 characters -> split at paragraphs',
    channel: 'telegram',
    fixture: 'text-message',
    engine: { replies: [LONG_FR] },
    expect: { status: 200, inbound: {}, calls: [send(para(1, 2500)), send(`${para(2, 2500)}\n\n${para(3, 500)}`)] },
  },
  {
    name: 'bot blocked (403) -> not retried, logged as user-blocked',
    channel: 'telegram',
    fixture: 'text-message',
    engine: { replies: [MENU_FR] },
    apiFailures: [['sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' }]],
    expect: { status: 200, inbound: {}, calls: [send('Choisissez un thème :', MENU_KEYBOARD)], events: ['channel.telegram.send_failed'] },
  },
  {
    name: 'flood limit (429) -> retried',
    channel: 'telegram',
    fixture: 'text-message',
    engine: { replies: [MENU_FR] },
    apiFailures: [['sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }]],
    expect: { status: 200, inbound: {}, calls: [send('Choisissez un thème :', MENU_KEYBOARD), send('Choisissez un thème :', MENU_KEYBOARD)] },
  },

  // WhatsApp -------------------------------------------------------------------------------------
  {
    name: 'text -> TwiML with numbered choices',
    channel: 'whatsapp',
    fixture: 'text',
    engine: { replies: [MENU_FR] },
    expect: { status: 200, inbound: { channel: 'whatsapp', text: "bonjour, la police m'a arrete hier" }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile'), rest: [] },
  },
  {
    name: 'location pin -> location',
    channel: 'whatsapp',
    fixture: 'location',
    engine: { replies: [ORGS_EN] },
    expect: { status: 200, inbound: { location: { lat: 35.7595, lon: -5.834 } }, body: twiml('Organisations near you:\n\n*GADEM*\n\nGADEM: https://example.org/gadem?a=1&amp;b=2'), rest: [] },
  },
  {
    name: 'voice note -> polite "please type"',
    channel: 'whatsapp',
    fixture: 'voice-note',
    engine: { replies: [pleaseType('es')], lang: 'es' },
    expect: { status: 200, inbound: { media: 'voice' }, body: twiml(t('es', 'media.pleaseType')), rest: [] },
  },
  {
    name: 'image -> media image',
    channel: 'whatsapp',
    fixture: 'image',
    engine: { replies: [ENGINE_PLEASE_TYPE_AR] },
    expect: { status: 200, inbound: { media: 'image' }, body: twiml('اكتب سؤالك من فضلك.'), rest: [] },
  },
  { name: 'quick-reply button -> choice', channel: 'whatsapp', fixture: 'button-reply', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { choiceId: 'cat:papers' }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile') } },
  { name: 'list-picker item -> choice', channel: 'whatsapp', fixture: 'list-reply', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { choiceId: 'cat:health' } } },
  { name: 'status callback ignored', channel: 'whatsapp', fixture: 'status-callback', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY, rest: [] } },
  // WhatsApp opt-out (Twilio sends OptOutType on WhatsApp too): recorded, nothing sent, no turn.
  { name: 'STOP (OptOutType) -> marked stopped, engine not run, nothing sent', channel: 'whatsapp', fixture: 'text', params: { Body: 'STOP', OptOutType: 'STOP' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY, rest: [], stopped: 1, events: ['channel.whatsapp.opt_out'] } },
  { name: 'START (OptOutType) -> engine told, nothing sent', channel: 'whatsapp', fixture: 'text', params: { Body: 'START', OptOutType: 'START' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'START' }, body: TWIML_EMPTY, rest: [], events: ['channel.whatsapp.opt_in'] } },
  { name: 'HELP (OptOutType) -> engine not run, nothing sent', channel: 'whatsapp', fixture: 'text', params: { Body: 'help', OptOutType: 'HELP' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY, rest: [] } },
  { name: 'STOP typed without OptOutType -> an ordinary message', channel: 'whatsapp', fixture: 'text', params: { Body: 'stop' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'stop' }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile'), rest: [] } },
  { name: 'missing signature -> 403', channel: 'whatsapp', fixture: 'text', auth: 'missing', engine: { replies: [MENU_FR] }, expect: { status: 403, inbound: null, rest: [], events: ['channel.whatsapp.bad_signature'] } },
  { name: 'wrong signature -> 403', channel: 'whatsapp', fixture: 'text', auth: 'wrong', engine: { replies: [MENU_FR] }, expect: { status: 403, inbound: null, rest: [] } },
  {
    name: 'signature of another URL (not PUBLIC_BASE_URL) -> 403',
    channel: 'whatsapp',
    fixture: 'text',
    auth: 'other-url',
    engine: { replies: [MENU_FR] },
    expect: { status: 403, inbound: null, rest: [] },
  },
  {
    name: 'reply over 1,600 characters -> REST messages in order, empty TwiML',
    channel: 'whatsapp',
    fixture: 'text',
    engine: { replies: [LONG_WA] },
    expect: {
      status: 200,
      inbound: {},
      body: TWIML_EMPTY,
      rest: [
        { to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886', body: para(1, 900) },
        { to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886', body: `${para(2, 900)}\n\n${para(3, 500)}` },
      ],
    },
  },
  {
    name: 'answer then its sources -> one message in that order (WhatsApp does not keep the order of separate ones)',
    channel: 'whatsapp',
    fixture: 'text',
    engine: { replies: [{ kind: 'answer', lang: 'fr', text: para(1, 900) }, { kind: 'notice', lang: 'fr', text: 'Sources : loi 02-03' }] },
    expect: { status: 200, inbound: {}, body: twiml(`${para(1, 900)}\n\nSources : loi 02-03`), rest: [] },
  },
  {
    name: 'three choices with a quick-reply template -> Content API message',
    channel: 'whatsapp',
    fixture: 'text',
    twilio: { quickReplyContentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    engine: { replies: [THREE_CHOICES_ES] },
    expect: {
      status: 200,
      inbound: {},
      body: TWIML_EMPTY,
      rest: [
        {
          to: 'whatsapp:+15005550006',
          from: 'whatsapp:+14155238886',
          contentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          contentVariables: JSON.stringify({ '1': '¿Te ha servido?', '2': 'Sí', '3': 'fb:yes', '4': 'No', '5': 'fb:no', '6': 'Volver al menú…', '7': 'menu' }),
        },
      ],
    },
  },
  {
    name: 'ten choices with a list-picker template -> Content API message',
    channel: 'whatsapp',
    fixture: 'text',
    twilio: { listPickerContentSid: 'HXcccccccccccccccccccccccccccccccc', quickReplyContentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    engine: { replies: [TEN_CHOICES_FR] },
    expect: { status: 200, inbound: {}, body: TWIML_EMPTY },
  },
  {
    name: 'two choices, templates configured -> numbered list (templates have fixed sizes)',
    channel: 'whatsapp',
    fixture: 'text',
    twilio: { listPickerContentSid: 'HXcccccccccccccccccccccccccccccccc', quickReplyContentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    engine: { replies: [MENU_FR] },
    expect: { status: 200, inbound: {}, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile'), rest: [] },
  },
  {
    name: 'REST failure (outside the 24-hour window) -> 200, logged, not retried',
    channel: 'whatsapp',
    fixture: 'text',
    engine: { replies: [LONG_WA] },
    restError: { status: 400, code: 63016 },
    expect: {
      status: 200,
      inbound: {},
      body: TWIML_EMPTY,
      rest: [{ to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886', body: para(1, 900) }],
      events: ['channel.whatsapp.send_failed'],
    },
  },

  // SMS --------------------------------------------------------------------------------------------
  {
    name: 'text -> GSM-7-safe TwiML, no emoji or markup, numbered choices',
    channel: 'sms',
    fixture: 'text',
    engine: { replies: [SMS_FR] },
    expect: { status: 200, inbound: { channel: 'sms', text: 'c’est quoi la carte de séjour ?' }, body: twiml('C\'est la carte "de séjour" - voir ici !\n\n1. Plus d\'infos'), rest: [] },
  },
  {
    name: 'long answer -> first page within the budget with the PLUS hint',
    channel: 'sms',
    fixture: 'text',
    engine: { replies: [SMS_LONG_FR] },
    expect: { status: 200, inbound: {} },
  },
  {
    name: 'Arabic answer -> UCS-2, sent whole within the budget',
    channel: 'sms',
    fixture: 'text',
    engine: { replies: [SMS_AR] },
    expect: { status: 200, inbound: {}, body: twiml(SMS_AR.text) },
  },
  {
    name: 'STOP (Advanced Opt-Out) -> engine told, nothing sent',
    channel: 'sms',
    fixture: 'stop',
    engine: { replies: [STOP_CONFIRM] },
    expect: { status: 200, inbound: { text: 'STOP' }, body: TWIML_EMPTY, events: ['channel.sms.opt_out'] },
  },
  // Twilio's Advanced Opt-Out answered START and HELP itself (OptOutType): Dalil records, never answers again.
  { name: 'START (OptOutType) -> engine told, nothing sent', channel: 'sms', fixture: 'start', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'START' }, body: TWIML_EMPTY, events: ['channel.sms.opt_in'] } },
  { name: 'HELP (OptOutType) -> engine not run, nothing sent', channel: 'sms', fixture: 'help', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY, events: ['channel.sms.help'] } },
  { name: 'START with TWILIO_KEYWORD_REPLIES=dalil -> engine reply sent', channel: 'sms', fixture: 'start', twilio: { keywordReplies: 'dalil' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'START' }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile') } },
  { name: 'HELP with TWILIO_KEYWORD_REPLIES=dalil -> engine reply sent', channel: 'sms', fixture: 'help', twilio: { keywordReplies: 'dalil' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'HELP' }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile') } },
  { name: 'STOP with TWILIO_KEYWORD_REPLIES=dalil -> still nothing sent', channel: 'sms', fixture: 'stop', twilio: { keywordReplies: 'dalil' }, engine: { replies: [STOP_CONFIRM] }, expect: { status: 200, inbound: { text: 'STOP' }, body: TWIML_EMPTY } },
  // Without OptOutType: Twilio's default keywords are recognised (and answered by Twilio), whole message, any case.
  ...(['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'OPTOUT', 'stop.'] as const).map(
    (word): Case => ({ name: `"${word}" without OptOutType -> STOP recorded, nothing sent`, channel: 'sms', fixture: 'text', params: { Body: word }, engine: { replies: [STOP_CONFIRM] }, expect: { status: 200, inbound: { text: 'STOP' }, body: TWIML_EMPTY, events: ['channel.sms.opt_out'] } }),
  ),
  ...(['start', 'YES', 'Unstop'] as const).map(
    (word): Case => ({ name: `"${word}" without OptOutType -> START recorded, nothing sent`, channel: 'sms', fixture: 'text', params: { Body: word }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'START' }, body: TWIML_EMPTY, events: ['channel.sms.opt_in'] } }),
  ),
  ...(['help', 'INFO'] as const).map(
    (word): Case => ({ name: `"${word}" without OptOutType -> Twilio answers, engine not run`, channel: 'sms', fixture: 'text', params: { Body: word }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY, events: ['channel.sms.help'] } }),
  ),
  { name: 'own-language stop word (ARRET) -> passed to the engine as typed', channel: 'sms', fixture: 'text', params: { Body: 'ARRET' }, engine: { replies: [] }, expect: { status: 200, inbound: { text: 'ARRET' }, body: TWIML_EMPTY } },
  { name: 'a sentence with a keyword in it is a question', channel: 'sms', fixture: 'text', params: { Body: 'stop police' }, engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'stop police' }, body: twiml('Choisissez un thème :\n\n1. Papiers\n2. Asile') } },
  { name: 'PLUS -> passed to the engine', channel: 'sms', fixture: 'more', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: { text: 'PLUS' } } },
  {
    name: 'stopped number (engine silent) sending MMS -> nothing at all',
    channel: 'sms',
    fixture: 'mms',
    engine: { replies: [] },
    expect: { status: 200, inbound: { media: 'image' }, body: TWIML_EMPTY },
  },
  { name: 'status callback ignored', channel: 'sms', fixture: 'status-callback', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, body: TWIML_EMPTY } },
  { name: 'wrong signature -> 403', channel: 'sms', fixture: 'text', auth: 'wrong', engine: { replies: [MENU_FR] }, expect: { status: 403, inbound: null, events: ['channel.sms.bad_signature'] } },
  { name: 'missing signature -> 403', channel: 'sms', fixture: 'text', auth: 'missing', engine: { replies: [MENU_FR] }, expect: { status: 403, inbound: null } },
  {
    name: 'engine failure -> silence (STOP may be in force), logged',
    channel: 'sms',
    fixture: 'text',
    engine: { fail: true },
    expect: { status: 200, inbound: {}, body: TWIML_EMPTY, events: ['channel.sms.turn_failed'] },
  },
  { name: 'redelivered message -> nothing sent', channel: 'sms', fixture: 'text', engine: { replies: [MENU_FR], duplicate: true }, expect: { status: 200, inbound: {}, body: TWIML_EMPTY } },

  // Bot Framework -------------------------------------------------------------------------------
  {
    name: 'message, expectReplies -> suggested actions in the response',
    channel: 'botframework',
    fixture: 'message',
    expectReplies: true,
    engine: { replies: [MENU_FR] },
    expect: {
      status: 200,
      inbound: { channel: 'botframework', text: 'necesito ayuda con mis papeles', localeHint: 'es-ES' },
      activities: [
        {
          type: 'message',
          text: 'Choisissez un thème :',
          textFormat: 'markdown',
          suggestedActions: {
            to: [],
            actions: [
              { type: 'messageBack', title: 'Papiers', text: '1', displayText: 'Papiers', value: { choiceId: 'cat:papers' } },
              { type: 'messageBack', title: 'Asile', text: '2', displayText: 'Asile', value: { choiceId: 'cat:asylum' } },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'message, normal delivery -> posted to the connector',
    channel: 'botframework',
    fixture: 'message',
    engine: { replies: [ORGS_EN] },
    expect: { status: 200, inbound: {}, activities: [{ type: 'message', text: 'Organisations near you:\n\n**GADEM**\n\nGADEM: https://example.org/gadem?a=1&b=2', replyToId: '9f1c2b3a-0000-4000-8000-000000000001' }] },
  },
  { name: 'messageBack -> choice, no text', channel: 'botframework', fixture: 'message-back', expectReplies: true, engine: { replies: [MENU_FR] }, absent: ['text'], expect: { status: 200, inbound: { choiceId: 'cat:asylum' } } },
  {
    name: 'image attachment -> polite "please type"',
    channel: 'botframework',
    fixture: 'image',
    expectReplies: true,
    engine: { replies: [pleaseType('en')], lang: 'en' },
    expect: { status: 200, inbound: { media: 'image', localeHint: 'en-US' }, activities: [{ type: 'message', text: t('en', 'media.pleaseType') }] },
  },
  {
    name: 'conversationUpdate adding the user -> greeted first (an empty message from them)',
    channel: 'botframework',
    fixture: 'conversation-update',
    engine: { replies: [MENU_FR] },
    absent: ['text', 'choiceId', 'media'],
    expect: { status: 200, inbound: {}, activities: [{ type: 'message', text: 'Choisissez un thème :' }] },
  },
  { name: 'typing ignored', channel: 'botframework', fixture: 'typing', engine: { replies: [MENU_FR] }, expect: { status: 200, inbound: null, activities: [] } },
  {
    name: 'app id configured, no Authorization -> 401',
    channel: 'botframework',
    fixture: 'message',
    auth: 'missing',
    engine: { replies: [MENU_FR] },
    expect: { status: 401, inbound: null, activities: [], events: ['channel.botframework.unauthorized'] },
  },
  {
    name: 'app id configured, forged bearer token -> 401',
    channel: 'botframework',
    fixture: 'message',
    auth: 'wrong',
    engine: { replies: [MENU_FR] },
    expect: { status: 401, inbound: null, activities: [], events: ['channel.botframework.unauthorized'] },
  },
  {
    name: "well-formed token whose keys cannot be fetched (Microsoft unreachable) -> 503, one log line, no internal error quoted",
    channel: 'botframework',
    fixture: 'message',
    auth: 'unverifiable',
    engine: { replies: [MENU_FR] },
    expect: { status: 503, inbound: null, activities: [], events: ['channel.botframework.auth_unavailable'] },
  },
];

/**
 * A token shaped like the Bot Framework's (RS256, its issuer, this bot's audience) whose signing
 * keys must be fetched from Microsoft: the network guard makes that fetch fail.
 */
const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const UNVERIFIABLE_TOKEN = `${b64({ alg: 'RS256', kid: 'dalil-test-key', typ: 'JWT' })}.${b64({
  iss: 'https://api.botframework.com',
  aud: '00000000-0000-0000-0000-00000000000a',
  nbf: 1767225000,
  exp: 4102444800,
})}.c2lnbmF0dXJl`;

// Sensitive fields of each channel's payloads.
const SENSITIVE_KEYS: Record<Channel, ReadonlySet<string>> = {
  telegram: new Set(['id', 'text', 'first_name', 'chat_instance', 'caption']),
  whatsapp: new Set(['From', 'To', 'Body', 'WaId', 'ProfileName', 'ChannelToAddress', 'Latitude', 'Longitude']),
  sms: new Set(['From', 'To', 'Body']),
  botframework: new Set(['id', 'text']),
};

// Runner -------------------------------------------------------------------------------------------
let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => guard.restore());
afterEach(() => {
  expect(guard.attempts, 'a request tried to leave the machine').toEqual([]);
});

interface Outcome {
  http: HttpResult;
  calls: ApiCall[];
  rest: TwilioOutboundMessage[];
  activities: Array<Record<string, unknown>>;
}


const TWILIO_BASE = twilioTestSettings();

function twilioHeaders(path: string, params: Record<string, string>, auth: Auth, localUrl: string): Record<string, string> {
  if (auth === 'missing') return {};
  const url = auth === 'other-url' ? `${localUrl}${path}` : `${PUBLIC_BASE_URL}${path}`;
  const token = auth === 'wrong' ? 'another-auth-token-0000000000000' : AUTH_TOKEN;
  return { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(token, url, params) };
}

async function run(c: Case, turns: ReturnType<typeof fakeTurns>, logger: ReturnType<typeof captureLogs>['logger']): Promise<Outcome> {
  const auth = c.auth ?? 'valid';
  const payload = fixture(c.channel, c.fixture);
  if (c.channel === 'telegram') {
    const api = await fakeTelegram(BOT_TOKEN);
    for (const [method, failure] of c.apiFailures ?? []) api.fail(method, failure);
    const channel = createTelegramChannel(
      { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr' },
      { handleTurn: turns.handleTurn, logger, botInfo: TEST_BOT_INFO, retry: noSleep, now: () => 1767225600000 },
    );
    const app = await serve([channel.mount], logger);
    try {
      const headers: Record<string, string> = auth === 'missing' ? {} : { [TELEGRAM_SECRET_HEADER]: auth === 'wrong' ? 'not-the-secret' : WEBHOOK_SECRET };
      const http = await post(`${app.url}/webhooks/telegram`, c.rawBody ?? payload, { headers });
      expect(api.wrongToken).toBe(0);
      return { http, calls: api.calls, rest: [], activities: [] };
    } finally {
      await app.close();
      await api.close();
    }
  }
  if (c.channel === 'whatsapp' || c.channel === 'sms') {
    const rest: TwilioOutboundMessage[] = [];
    const sender = async (m: TwilioOutboundMessage): Promise<void> => {
      rest.push(m);
      if (c.restError) throw Object.assign(new Error('Twilio REST error'), c.restError);
    };
    const settings = { ...TWILIO_BASE, ...(c.twilio ?? {}) };
    const stopped: string[] = [];
    const markStopped = async (userId: string): Promise<void> => void stopped.push(userId);
    const deps = { handleTurn: turns.handleTurn, logger, t, sender, retry: noSleep, now: () => 1767225600000, markStopped };
    const channel = c.channel === 'whatsapp' ? createWhatsappChannel(settings, deps) : createSmsChannel(settings, deps);
    const app = await serve([channel.mount], logger);
    try {
      const path = channel.mount.path;
      const params = { ...(payload as Record<string, string>) };
      for (const [k, v] of Object.entries(c.params ?? {})) if (v === null) delete params[k]; else params[k] = v;
      const http = await post(`${app.url}${path}`, params, { form: true, headers: twilioHeaders(path, params, auth, app.url) });
      expect(stopped).toHaveLength(c.expect.stopped ?? 0);
      return { http, calls: [], rest, activities: [] };
    } finally {
      await app.close();
    }
  }
  // Bot Framework
  const connector = await fakeConnector();
  const authenticated = auth !== 'valid';
  const channel = createBotFrameworkChannel(
    {
      appId: authenticated ? '00000000-0000-0000-0000-00000000000a' : '',
      appPassword: authenticated ? 'fake-app-password' : '',
      appTenantId: '',
      appType: 'MultiTenant',
      maxBodySize: '64kb',
      defaultLang: 'fr',
    },
    { handleTurn: turns.handleTurn, logger, retry: noSleep, now: () => 1767225600000 },
  );
  const app = await serve([channel.mount], logger);
  try {
    const activity = { ...payload, serviceUrl: connector.serviceUrl, ...(c.expectReplies ? { deliveryMode: 'expectReplies' } : {}) };
    const headers: Record<string, string> =
      auth === 'wrong' ? { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.forged' } : auth === 'unverifiable' ? { authorization: `Bearer ${UNVERIFIABLE_TOKEN}` } : {};
    const http = await post(`${app.url}/api/messages`, activity, { headers });
    const activities = c.expectReplies && http.status === 200 ? ((JSON.parse(http.text) as { activities: Array<Record<string, unknown>> }).activities ?? []) : connector.posted.map((p) => p.activity);
    if (!c.expectReplies) {
      const conv = (payload as { conversation: { id: string } }).conversation.id;
      for (const p of connector.posted) expect(p.path).toBe(`/v3/conversations/${conv}/activities/${(payload as { id: string }).id}`);
    }
    return { http, calls: [], rest: [], activities };
  } finally {
    await app.close();
    await connector.close();
  }
}

describe.each(CASES.map((c) => [`${c.channel}: ${c.name}`, c] as const))('%s', (_name, c) => {
  it('answers as expected, sends exactly what it should and logs nothing personal', async () => {
    const logs = captureLogs();
    const turns = fakeTurns(c.engine ?? {});
    const out = await run(c, turns, logs.logger);
    if (c.auth === 'unverifiable') {
      // The one connection tried was the key fetch, refused by the guard: nothing left the machine.
      expect(guard.attempts).toEqual(['login.botframework.com']);
      guard.attempts.length = 0;
    }

    expect(out.http.status).toBe(c.expect.status);
    if (c.expect.inbound === null) expect(turns.requests).toHaveLength(0);
    else {
      expect(turns.requests).toHaveLength(1);
      const request = turns.requests[0]!;
      expect(request.message).toMatchObject(c.expect.inbound);
      for (const key of c.absent ?? []) expect(request.message).not.toHaveProperty(key);
      expect(request.message.receivedAt).toBe(1767225600000);
      expect(request.capabilities.channel).toBe(c.channel);
      expect(request.userId).not.toBe('');
      expect(typeof request.fit === 'function').toBe(c.channel === 'sms');
    }
    if (c.expect.calls) expect(out.calls).toEqual(c.expect.calls);
    if (c.expect.body !== undefined) {
      expect(out.http.contentType).toMatch(/text\/xml/);
      expect(out.http.text).toBe(c.expect.body);
    }
    if (c.expect.rest) expect(out.rest).toEqual(c.expect.rest);
    if (c.expect.activities) {
      expect(out.activities).toHaveLength(c.expect.activities.length);
      c.expect.activities.forEach((a, i) => expect(out.activities[i]).toMatchObject(a));
    }
    for (const event of c.expect.events ?? []) expect(logs.entries.map((e) => e.event)).toContain(event);

    // Privacy: nothing of the payload that identifies or quotes the user, and no secret.
    const dump = logs.dump();
    for (const secret of [...SECRETS, ...sensitiveValues(fixture(c.channel, c.fixture), SENSITIVE_KEYS[c.channel])]) {
      expect(dump, `log leaks "${secret}"`).not.toContain(secret);
    }
    for (const e of logs.entries) expect(e.event).toMatch(/^[a-z]+(\.[a-z_]+)+$/);
  });
});

// Checks that do not fit the table -------------------------------------------------------------------
describe('harness', () => {
  it('blocks and records a connection to the outside world', async () => {
    const local = guardNetwork();
    try {
      await expect(fetch('https://api.telegram.org/')).rejects.toThrow();
      expect(local.attempts).toContain('api.telegram.org');
    } finally {
      local.restore();
      guard.attempts.length = 0;
    }
  });
});

describe('telegram setup and start-up', () => {
  it('registers the commands in four languages and the webhook with its secret', async () => {
    const api = await fakeTelegram(BOT_TOKEN);
    const logs = captureLogs();
    try {
      const channel = createTelegramChannel(
        { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr' },
        { handleTurn: fakeTurns().handleTurn, logger: logs.logger, botInfo: TEST_BOT_INFO },
      );
      expect(await channel.setup()).toBe(true);
      const commands = api.calls.filter((c) => c.method === 'setMyCommands');
      expect(commands.map((c) => c.payload.language_code)).toEqual([undefined, 'fr', 'en', 'ar', 'es']);
      // Dalil does not answer in groups: the menu is for private chats only.
      for (const c of commands) expect(c.payload.scope).toEqual({ type: 'all_private_chats' });
      for (const c of commands) {
        expect((c.payload.commands as Array<{ command: string }>).map((x) => x.command)).toEqual(['start', 'menu', 'language', 'help', 'delete']);
      }
      expect(api.calls.at(-1)).toEqual({
        method: 'setWebhook',
        payload: { url: 'https://dalil.example.org/webhooks/telegram', secret_token: WEBHOOK_SECRET, allowed_updates: ['message', 'callback_query'] },
      });
      expect(logs.dump()).not.toContain(WEBHOOK_SECRET);
    } finally {
      await api.close();
    }
  });

  it('asks getMe once when the bot identity is not given', async () => {
    const api = await fakeTelegram(BOT_TOKEN);
    const logs = captureLogs();
    const channel = createTelegramChannel(
      { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr' },
      { handleTurn: fakeTurns({ replies: [MENU_FR] }).handleTurn, logger: logs.logger },
    );
    const app = await serve([channel.mount], logs.logger);
    try {
      const headers = { [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET };
      expect((await post(`${app.url}/webhooks/telegram`, fixture('telegram', 'text-message'), { headers })).status).toBe(200);
      expect((await post(`${app.url}/webhooks/telegram`, fixture('telegram', 'location'), { headers })).status).toBe(200);
      expect(api.calls.map((c) => c.method)).toEqual(['getMe', 'sendMessage', 'sendMessage']);
    } finally {
      await app.close();
      await api.close();
    }
  });

  it('refuses to serve the webhook without a valid secret', () => {
    const deps = { handleTurn: fakeTurns().handleTurn, logger: captureLogs().logger, t };
    const base = { botToken: BOT_TOKEN, apiRoot: 'http://127.0.0.1:9', publicBaseUrl: '', maxBodySize: '64kb', defaultLang: 'fr' as const };
    expect(() => createTelegramChannel({ ...base, webhookSecret: '' }, deps)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createTelegramChannel({ ...base, webhookSecret: 'has spaces' }, deps)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});

describe('twilio settings', () => {
  it('refuses to run without the public URL the signature covers', () => {
    const deps = { handleTurn: fakeTurns().handleTurn, logger: captureLogs().logger, t };
    expect(() => createSmsChannel({ ...TWILIO_BASE, publicBaseUrl: '' }, deps)).toThrow(/PUBLIC_BASE_URL/);
    expect(() => createWhatsappChannel({ ...TWILIO_BASE, authToken: '' }, deps)).toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('pages a long SMS answer: first page within the budget, the rest kept for MORE', async () => {
    const logs = captureLogs();
    const turns = fakeTurns({ replies: [SMS_LONG_FR] });
    const channel = createSmsChannel(TWILIO_BASE, { handleTurn: turns.handleTurn, logger: logs.logger, t });
    const app = await serve([channel.mount], logs.logger);
    try {
      const params = fixture<Record<string, string>>('sms', 'text');
      const http = await post(`${app.url}/webhooks/twilio/sms`, params, { form: true, headers: twilioHeaders('/webhooks/twilio/sms', params, 'valid', app.url) });
      const body = /<Message>([\s\S]*)<\/Message>/.exec(http.text)?.[1] ?? '';
      const text = body.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      expect(text.startsWith('Paragraphe 1:')).toBe(true);
      expect(text.endsWith('\nRépondez PLUS pour la suite.')).toBe(true);
      expect(smsSegments(text)).toBeLessThanOrEqual(3);
      const paged = turns.requests[0]!.fit!([SMS_LONG_FR], 'fr');
      expect(paged.later.length).toBeGreaterThan(0);
      for (const page of paged.later) expect(smsSegments(page)).toBeLessThanOrEqual(3);
      expect(paged.later.at(-1)!.endsWith('Paragraphe 8: les etrangers en situation irreguliere ont droit aux soins d\'urgence.')).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('bot framework settings', () => {
  it('warns when anonymous and refuses half-set credentials', () => {
    const logs = captureLogs();
    const deps = { handleTurn: fakeTurns().handleTurn, logger: logs.logger, t };
    const base = { appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant', maxBodySize: '64kb', defaultLang: 'fr' as const };
    expect(createBotFrameworkChannel(base, deps).anonymous).toBe(true);
    expect(logs.entries.find((e) => e.event === 'channel.botframework.anonymous')?.level).toBe('warn');
    expect(() => createBotFrameworkChannel({ ...base, appId: 'some-app-id' }, deps)).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => createBotFrameworkChannel({ ...base, appPassword: 'secret' }, deps)).toThrow(/MICROSOFT_APP_ID/);
    expect(createBotFrameworkChannel({ ...base, appId: 'some-app-id', appPassword: 'secret' }, deps).anonymous).toBe(false);
  });
});

describe('whatsapp: parts that need several messages', () => {
  it('sends the next part only after Twilio accepted the previous one', async () => {
    const logs = captureLogs();
    const events: string[] = [];
    const sender = async (m: TwilioOutboundMessage): Promise<void> => {
      events.push(`start ${m.body?.slice(0, 2)}`);
      await new Promise((r) => setTimeout(r, 20));
      events.push(`accepted ${m.body?.slice(0, 2)}`);
    };
    const turns = fakeTurns({ replies: [LONG_WA] });
    const channel = createWhatsappChannel(TWILIO_BASE, { handleTurn: turns.handleTurn, logger: logs.logger, t, sender, retry: noSleep });
    const app = await serve([channel.mount], logs.logger);
    try {
      const params = fixture<Record<string, string>>('whatsapp', 'text');
      const http = await post(`${app.url}${channel.mount.path}`, params, { form: true, headers: twilioHeaders(channel.mount.path, params, 'valid', app.url) });
      expect(http.status).toBe(200);
      expect(events).toEqual(['start P1', 'accepted P1', 'start P2', 'accepted P2']);
    } finally {
      await app.close();
    }
  });
});
