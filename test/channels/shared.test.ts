/**
 * The helpers every adapter shares: splitter, SMS paging, escaping, signature compare, retries,
 * failure classification, rendering, and the parsers' edge cases.
 */
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GrammyError, HttpError } from 'grammy';
import { gsmFold, langOfLocale, smsEncoding, smsSegments, type Reply } from '../../src/domain/index.js';
import { splitText, measure } from '../../src/channels/shared/split.js';
import { createSmsFitter, renderSmsBody, smsSafe } from '../../src/channels/shared/sms.js';
import { escapeHtml, markupToHtml } from '../../src/channels/shared/html.js';
import { safeEqual } from '../../src/channels/shared/signature.js';
import { classifyHttpStatus, sendWithRetry, SendError, type SendFailure } from '../../src/channels/shared/send.js';
import { CAPABILITIES, capabilitiesTable, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { renderText } from '../../src/channels/shared/render.js';
import { classifyTelegramError } from '../../src/channels/telegram/send.js';
import { normaliseCommand, parseTelegramUpdate, type TelegramUpdate } from '../../src/channels/telegram/parse.js';
import { renderTelegram } from '../../src/channels/telegram/render.js';
import { classifyTwilioError } from '../../src/channels/twilio/send.js';
import { mediaKindOf, parseTwilioMessage } from '../../src/channels/twilio/parse.js';
import { renderWhatsapp, truncateLabel } from '../../src/channels/twilio/render.js';
import { parseActivity } from '../../src/channels/botframework/parse.js';
import { fixture, guardNetwork, t as translate } from './harness.js';

const words = fc.array(fc.constantFrom('a', 'mot', 'carte', 'séjour', 'بطاقة', 'الإقامة', '😀', '👩🏽‍⚕️', 'x'.repeat(12), 'œuvre', '«', '»', '.', '?'), { minLength: 1, maxLength: 12 });
const paragraph = words.map((w) => w.join(' '));
const text = fc.array(fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')), { minLength: 1, maxLength: 12 }).map((ps) => ps.join('\n\n'));
const tokens = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const hasLoneSurrogate = (s: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('splitText', () => {
  it('keeps every piece within the limit, drops no word, cuts no word, no surrogate pair', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 40, max: 400 }), (t, max) => {
        const pieces = splitText(t, max, 'chars');
        for (const p of pieces) {
          expect(p.length).toBeLessThanOrEqual(max);
          expect(p).toBe(p.trim());
          expect(p).not.toBe('');
          expect(hasLoneSurrogate(p)).toBe(false);
        }
        expect(pieces.flatMap(tokens)).toEqual(tokens(t));
      }),
      { numRuns: 300 },
    );
  });

  it('counts SMS segments for unit "segments"', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 4 }), (t, max) => {
        const pieces = splitText(t, max, 'segments');
        for (const p of pieces) expect(smsSegments(p)).toBeLessThanOrEqual(max);
        expect(pieces.flatMap(tokens)).toEqual(tokens(t));
      }),
      { numRuns: 200 },
    );
  });

  it('cuts only between paragraphs when each paragraph fits', () => {
    fc.assert(
      fc.property(fc.array(paragraph.filter((p) => p.length <= 100), { minLength: 1, maxLength: 15 }), (ps) => {
        const pieces = splitText(ps.join('\n\n'), 100, 'chars');
        expect(pieces.flatMap((p) => p.split('\n\n'))).toEqual(ps.map((p) => p.trim()).filter(Boolean));
      }),
      { numRuns: 200 },
    );
  });

  it('packs paragraphs greedily and falls back to sentences, then words', () => {
    expect(splitText('aaa\n\nbbb\n\nccc', 8, 'chars')).toEqual(['aaa\n\nbbb', 'ccc']);
    expect(splitText('One two. Three four. Five.', 12, 'chars')).toEqual(['One two.', 'Three four.', 'Five.']);
    expect(splitText('alpha beta gamma', 11, 'chars')).toEqual(['alpha beta', 'gamma']);
    expect(splitText('😀😀😀😀', 4, 'chars')).toEqual(['😀😀', '😀😀']);
    expect(splitText('   \n\n  ', 10, 'chars')).toEqual([]);
    expect(() => splitText('x', 0, 'chars')).toThrow(RangeError);
  });

  it('measures chars as UTF-16 units and segments as SMS segments', () => {
    expect(measure('😀', 'chars')).toBe(2);
    expect(measure('a'.repeat(161), 'segments')).toBe(2);
    expect(measure('ب'.repeat(71), 'segments')).toBe(2);
  });
});

describe('SMS rendering and paging', () => {
  const caps = smsCapabilities(3);
  it('makes French GSM-7 when its letters allow', () => {
    const out = smsSafe('L’OFPRA « n’est » pas – ici…\u00a0: *attention* 🙂');
    expect(out).toBe('L\'OFPRA "n\'est" pas - ici... : attention');
    expect(smsEncoding(out)).toBe('GSM-7');
  });

  it('renders the text plain with numbered choices, and leaves links out', () => {
    const reply: Reply = { kind: 'answer', lang: 'en', text: 'Short *form*.', short: 'unused by the renderer', choices: [{ id: 'a', label: 'More' }], links: [{ title: 'x', url: 'https://x.example' }] };
    expect(renderSmsBody([reply], caps)).toBe('Short form.\n\n1. More');
  });

  it('pages long answers within the budget, the hint in the user language on every kept page but the last', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 4 }), fc.constantFrom('fr', 'en', 'ar', 'es') as fc.Arbitrary<Reply['lang']>, (body, budget, lang) => {
        const fit = createSmsFitter(smsCapabilities(budget), translate);
        const reply: Reply = { kind: 'answer', lang, text: body };
        const { replies, later } = fit([reply], lang);
        const folded = gsmFold(smsSafe(body));
        if (smsSegments(folded.trim()) <= budget) {
          expect(replies).toEqual([{ ...reply, text: folded }]);
          expect(later).toEqual([]);
          return;
        }
        const hint = gsmFold(translate(lang, 'paging.more'));
        const pages = [replies[0]!.text, ...later];
        pages.forEach((p, i) => {
          expect(smsSegments(p)).toBeLessThanOrEqual(budget);
          if (i < pages.length - 1) expect(p.endsWith(`\n\n${hint}`)).toBe(true);
          else expect(p.endsWith(hint)).toBe(false);
        });
        const content = pages.map((p, i) => (i < pages.length - 1 ? p.slice(0, -hint.length - 2) : p)).join(' ');
        expect(tokens(content)).toEqual(tokens(folded));
      }),
      { numRuns: 200 },
    );
  });

  it('writes the MORE keyword of each language in its hint, GSM-7 where the language allows', () => {
    expect(translate('en', 'paging.more')).toContain('MORE');
    expect(translate('fr', 'paging.more')).toContain('PLUS');
    expect(translate('ar', 'paging.more')).toContain('المزيد');
    expect(translate('es', 'paging.more')).toContain('MAS');
    for (const lang of ['fr', 'en', 'es'] as const) expect(smsEncoding(gsmFold(translate(lang, 'paging.more')))).toBe('GSM-7');
  });
});

describe('escaping, signatures, retries', () => {
  it('escapes HTML and turns *bold* into <b>', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    expect(markupToHtml('*<b>* & 2*3')).toBe('<b>&lt;b&gt;</b> &amp; 2*3');
  });

  it('compares secrets in constant time, never equal to nothing', () => {
    expect(safeEqual('s3cret', 's3cret')).toBe(true);
    expect(safeEqual('s3cret', 's3cre')).toBe(false);
    expect(safeEqual(undefined, 's3cret')).toBe(false);
    expect(safeEqual('', '')).toBe(false);
  });

  it('retries only retryable failures, with the platform delay when given', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
    };
    let calls = 0;
    const flaky = async (): Promise<string> => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('busy'), { status: calls === 1 ? 429 : 503 });
      return 'ok';
    };
    const classify = (e: unknown): SendFailure => {
      const status = (e as { status: number }).status;
      return status === 429 ? { kind: 'retryable', retryAfterMs: 1000 } : { kind: classifyHttpStatus(status) };
    };
    await expect(sendWithRetry(flaky, classify, { sleep })).resolves.toBe('ok');
    expect(waits).toEqual([1000, 600]);

    calls = 0;
    const fatal = async (): Promise<never> => {
      calls += 1;
      throw Object.assign(new Error('bad request'), { status: 400 });
    };
    const err = await sendWithRetry(fatal, (e) => ({ kind: classifyHttpStatus((e as { status: number }).status) }), { sleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).failure.kind).toBe('fatal');
    expect((err as SendError).cause).toBeInstanceOf(Error);
    expect(calls).toBe(1);

    calls = 0;
    const down = async (): Promise<never> => {
      calls += 1;
      throw new Error('ECONNRESET');
    };
    await expect(sendWithRetry(down, () => ({ kind: 'retryable' }), { sleep, attempts: 4 })).rejects.toThrow(SendError);
    expect(calls).toBe(4);
  });

  it('classifies Telegram, Twilio and HTTP failures', () => {
    const grammy = (code: number, retryAfter?: number) =>
      new GrammyError('call failed', { ok: false, error_code: code, description: 'x', ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) }, 'sendMessage', {});
    expect(classifyTelegramError(grammy(403))).toEqual({ kind: 'user-blocked', status: 403 });
    expect(classifyTelegramError(grammy(429, 3))).toEqual({ kind: 'retryable', status: 429, retryAfterMs: 3000 });
    expect(classifyTelegramError(grammy(400)).kind).toBe('fatal');
    expect(classifyTelegramError(grammy(502)).kind).toBe('retryable');
    expect(classifyTelegramError(new HttpError('network', new Error('reset'))).kind).toBe('retryable');
    expect(classifyTwilioError(Object.assign(new Error('x'), { status: 400, code: 21610 })).kind).toBe('user-blocked');
    expect(classifyTwilioError(Object.assign(new Error('x'), { status: 429, code: 20429 })).kind).toBe('retryable');
    expect(classifyTwilioError(Object.assign(new Error('x'), { status: 401, code: 20003 })).kind).toBe('fatal');
    expect(classifyTwilioError(Object.assign(new Error('x'), { status: 403 })).kind).toBe('fatal');
    expect(classifyTwilioError(new Error('socket hang up')).kind).toBe('retryable');
  });
});

describe('rendering per channel', () => {
  const menu: Reply = { kind: 'menu', lang: 'fr', text: 'Menu 🙂', choices: [{ id: 'a', label: 'Un' }, { id: 'b', label: 'Deux' }] };

  it('degrades choices to a numbered list where buttons are not inline', () => {
    expect(renderText(menu, CAPABILITIES.whatsapp)).toBe('Menu 🙂\n\n1. Un\n2. Deux');
    expect(renderText(menu, CAPABILITIES.botframework)).toBe('Menu 🙂');
    expect(renderText(menu, CAPABILITIES.sms)).toBe('Menu\n\n1. Un\n2. Deux');
  });

  it('falls back to numbered text on Telegram when choices do not fit buttons', () => {
    const many: Reply = { ...menu, choices: Array.from({ length: 13 }, (_, i) => ({ id: `c${i}`, label: `L${i}` })) };
    const [out] = renderTelegram([many], CAPABILITIES.telegram);
    expect(out!.options.reply_markup).toBeUndefined();
    expect(out!.text).toContain('13. L12');
    const longId: Reply = { ...menu, choices: [{ id: 'x'.repeat(65), label: 'X' }] };
    expect(renderTelegram([longId], CAPABILITIES.telegram)[0]!.options.reply_markup).toBeUndefined();
  });

  it('sends text before a template whose body is limited to 1,024 characters', () => {
    const reply: Reply = {
      kind: 'menu',
      lang: 'en',
      text: `${'a '.repeat(400).trim()}\n\n${'b '.repeat(400).trim()}`,
      choices: [
        { id: '1', label: 'One' },
        { id: '2', label: 'Two' },
        { id: '3', label: 'Three' },
      ],
    };
    const out = renderWhatsapp([reply], CAPABILITIES.whatsapp, { quickReplyContentSid: 'HX1', listPickerContentSid: '' });
    expect(out.map((o) => o.kind)).toEqual(['text', 'content']);
    const last = out[1]!;
    expect(last.kind === 'content' && last.variables['1']!.length).toBeLessThanOrEqual(1024);
  });

  it('fits a label to a template\'s limit at a word boundary, never cutting inside a word', () => {
    // The title WhatsApp users saw cut as "Voir un médecin : s…".
    const title = 'Voir un médecin : soins de base gratuits et urgences';
    expect(truncateLabel(title, 20)).toBe('Voir un médecin…');
    expect(truncateLabel(title, 24)).toBe('Voir un médecin : soins…');
    expect(truncateLabel('Plus d’informations sur ce thème', 24)).toBe('Plus d’informations sur…');
    // A word ending exactly where the room for the ellipsis ends is kept whole.
    expect(truncateLabel('Papiers et séjour au Maroc', 18)).toBe('Papiers et séjour…');
    // Arabic: code points, and the Arabic comma is not left before the ellipsis.
    expect(truncateLabel('الحماية (العنف، الاتجار، الأطفال)', 20)).toBe('الحماية (العنف…');
    // What fits is left as it is (spaces tidied); a single word longer than the limit is the only cut inside a word.
    expect(truncateLabel('  Papers and  residence ', 20)).toBe('Papers and residence');
    expect(truncateLabel('Antidisestablishmentarianism', 20)).toBe('Antidisestablishmen…');
    for (const max of [20, 24]) {
      for (const label of [title, 'Arrestation et expulsion', 'Protección (violencia, trata, menores)', 'Trouver de l\'aide près de vous']) {
        const cut = truncateLabel(label, max);
        expect(Array.from(cut).length).toBeLessThanOrEqual(max);
        // What is shown is the start of the label, ending where a word ends.
        const shown = cut.replace(/…$/, '');
        expect(label.startsWith(shown), cut).toBe(true);
        expect(label.slice(shown.length), cut).toMatch(/^(?![\p{L}\p{N}])/u);
      }
    }
  });

  it('generates the capabilities table of the README', () => {
    const table = capabilitiesTable();
    expect(table.split('\n')).toHaveLength(8);
    expect(table).toContain('| telegram | 4,096 chars | inline (up to 12) | html | yes | yes | yes |');
    expect(table).toContain('| sms | 3 segments (SMS_SEGMENT_BUDGET) | numbered | none | no | no | no |');
  });
});

describe('parsers, edge cases', () => {
  it('Bot Framework: a conversationUpdate greets the person added, never the bot alone or a group', () => {
    const update = fixture<Record<string, unknown>>('botframework', 'conversation-update');
    expect(parseActivity(update, 1)).toEqual({ userId: 'emulator:a3e1f0c2-user-0000-0000-000000000042', deliveryId: update.id, message: { channel: 'botframework', receivedAt: 1 } });
    expect(parseActivity({ ...update, membersAdded: [{ id: 'bot-0000' }] } as never, 1)).toBeNull();
    expect(parseActivity({ ...update, conversation: { id: 'c', isGroup: true } } as never, 1)).toBeNull();
    expect(parseActivity({ ...update, membersAdded: 'not a list' } as never, 1)).toBeNull();
  });

  it('Telegram: strips the bot name from commands, keeps payloads, maps the language', () => {
    expect(normaliseCommand('/start@DalilBot ref42')).toBe('/start ref42');
    expect(normaliseCommand('/menu')).toBe('/menu');
    const update = fixture<TelegramUpdate>('telegram', 'photo');
    const withCaption = { ...update, message: { ...update.message!, caption: 'what is this paper?' } } as TelegramUpdate;
    expect(parseTelegramUpdate(withCaption, 1)?.message).toMatchObject({ text: 'what is this paper?', media: 'image' });
    expect(langOfLocale('es-ES')).toBe('es');
    expect(langOfLocale('de')).toBeUndefined();
  });

  it('Twilio: rejects impossible coordinates, a WhatsApp sender on the SMS URL, and maps MIME types', () => {
    const loc = { ...fixture<Record<string, string>>('whatsapp', 'location'), Latitude: '123', Body: '' };
    expect(parseTwilioMessage(loc, 'whatsapp', 1)).toBeNull();
    expect(parseTwilioMessage(fixture('whatsapp', 'text'), 'sms', 1)).toBeNull();
    expect(parseTwilioMessage(fixture('sms', 'text'), 'whatsapp', 1)).toBeNull();
    expect(mediaKindOf('image/webp')).toBe('sticker');
    expect(mediaKindOf('application/pdf')).toBe('document');
  });

  it('Bot Framework: ignores group conversations and bots', () => {
    const activity = fixture<Record<string, unknown>>('botframework', 'message');
    expect(parseActivity({ ...activity, conversation: { id: 'c', isGroup: true } } as never, 1)).toBeNull();
    expect(parseActivity({ ...activity, from: { id: 'b', role: 'bot' } } as never, 1)).toBeNull();
    expect(parseActivity(activity as never, 1)?.userId).toBe('emulator:a3e1f0c2-user-0000-0000-000000000042');
  });
});

describe('the harness network guard', () => {
  it('blocks an https request to a real host (the agent passes path: null on TCP connections)', async () => {
    const guard = guardNetwork();
    try {
      await new Promise<void>((resolve) => {
        try {
          https.get('https://api.telegram.org/', () => resolve()).on('error', () => resolve());
        } catch {
          resolve();
        }
      });
    } finally {
      guard.restore();
    }
    expect(guard.attempts).toContain('api.telegram.org');
  });
});
