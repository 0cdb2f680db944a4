/**
 * Property tests of normalisation and matching on hostile Unicode (right-to-left marks, zero-width
 * characters, emoji sequences, lone surrogates, Arabic vowel marks) and on 10,000-character
 * strings: every function that reads user text never throws, never hangs, and returns what its
 * contract says. The matcher is the real one, trained on the real knowledge base.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGS, smsEncoding, smsSegments, toGsmSafe, type Matcher } from '../../src/domain/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher, detectLanguage, detectUrgency, extractCity, normalise, tokenise } from '../../src/nlu/index.js';
import { languageNamed, parseCommand } from '../../src/engine/index.js';
import { asciiDigits, foldWord, parseNumber, truncate, wordCount } from '../../src/engine/text.js';
import { gsmFold } from '../../src/domain/index.js';
import { boundMessage } from '../../src/engine/limits.js';
import { markupToHtml } from '../../src/channels/shared/html.js';
import { stripEmoji, stripMarkup } from '../../src/channels/shared/render.js';
import { smsSafe } from '../../src/channels/shared/sms.js';
import { splitText } from '../../src/channels/shared/split.js';
import { scrub } from '../../src/logging/logger.js';
import type { City } from '../../src/domain/index.js';
import { ADVERSARIAL, hostileText, longText, noHang, RUNS } from './support.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const anyText = fc.oneof({ arbitrary: hostileText(80), weight: 6 }, { arbitrary: longText, weight: 1 }, { arbitrary: fc.constantFrom(...ADVERSARIAL), weight: 1 });
const lang = fc.constantFrom(...LANGS);
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

let matcher: Matcher;
let cities: City[];
beforeAll(async () => {
  const { kb } = await loadKnowledge({ contentDir: `${ROOT}content`, intentsDir: `${ROOT}intents`, smsShortFormSegments: 2, root: ROOT });
  cities = [...kb.cities.values()];
  matcher = createMatcher({ phrases: kb.phrases, cities });
}, 60_000);

describe('normalisation', () => {
  it('normalise and tokenise never throw or hang and return words', () => {
    fc.assert(
      fc.property(anyText, fc.option(lang, { nil: undefined }), (text, l) => {
        const n = noHang('normalise', () => normalise(text, { lang: l }));
        expect(typeof n).toBe('string');
        expect(n).not.toMatch(/^\s|\s$|\s\s/);
        const tokens = noHang('tokenise', () => tokenise(text, { lang: l }));
        for (const t of tokens) expect(t.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the engine and channel text helpers never throw or hang', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        noHang('foldWord', () => foldWord(text));
        noHang('parseCommand', () => parseCommand(text));
        noHang('languageNamed', () => languageNamed(text, true));
        const n = noHang('parseNumber', () => parseNumber(text));
        if (n !== undefined) expect(Number.isInteger(n) && n >= 0 && n < 1000).toBe(true);
        noHang('asciiDigits', () => asciiDigits(text));
        noHang('wordCount', () => wordCount(text));
        noHang('gsmFold', () => gsmFold(text));
        noHang('toGsmSafe', () => toGsmSafe(text));
        noHang('smsSegments', () => smsSegments(text));
        noHang('stripEmoji', () => stripEmoji(text));
        noHang('stripMarkup', () => stripMarkup(text));
        noHang('markupToHtml', () => markupToHtml(text));
        noHang('scrub', () => scrub(text));
        const safe = noHang('smsSafe', () => smsSafe(text));
        expect(typeof safe).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  it('cuts long messages for matching without breaking a surrogate pair', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 50, max: 2000 }), (text, max) => {
        const cut = noHang('truncate', () => truncate(text, max));
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut)).toBe(true);
        // Never ends in the first half of a pair that the original text completed.
        if (cut.length < text.length && /[\uD800-\uDBFF]$/.test(cut)) expect(/[\uDC00-\uDFFF]/.test(text[cut.length]!)).toBe(false);
        const bounded = boundMessage({ channel: 'web', text, receivedAt: 1 }, max);
        expect(bounded.text!.length).toBeLessThanOrEqual(max);
      }),
      { numRuns: RUNS },
    );
  });

  it('splits any text into pieces that fit, keeping every word', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 4096 }), (text, segments, chars) => {
        // A single grapheme cluster (even "zalgo" text with thousands of marks) is never cut.
        const graphemes = (p: string): number => [...GRAPHEMES.segment(p)].length;
        const bySegments = noHang('splitText segments', () => splitText(text, segments, 'segments'));
        for (const p of bySegments) if (graphemes(p) > 1) expect(smsSegments(p)).toBeLessThanOrEqual(segments);
        const byChars = noHang('splitText chars', () => splitText(text, chars, 'chars'));
        for (const p of byChars) if (graphemes(p) > 1) expect(p.length).toBeLessThanOrEqual(chars);
        const words = (s: string): string => s.replace(/\s+/g, '');
        expect(words(byChars.join(''))).toBe(words(text.trim()));
      }),
      { numRuns: RUNS },
    );
  });

  it('SMS-safe text of Latin input stays GSM-7 when its letters allow', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', ' ', '’', '“', '”', '–', '—', '…', '\u00A0', '*', '😀', 'e'), maxLength: 200 }), (text) => {
        expect(smsEncoding(smsSafe(text))).toBe('GSM-7');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('matching', () => {
  it('language detection, urgency and cities never throw or hang', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const guess = noHang('detectLanguage', () => detectLanguage(text));
        expect(LANGS).toContain(guess.lang);
        noHang('detectUrgency', () => detectUrgency(text));
        noHang('extractCity', () => extractCity(text, cities));
      }),
      { numRuns: RUNS },
    );
  });

  it('the trained matcher always returns a well-formed result', () => {
    fc.assert(
      fc.property(anyText, fc.option(lang, { nil: undefined }), (text, hint) => {
        const m = noHang('match', () => matcher.match(text, hint));
        expect(typeof m.intent).toBe('string');
        expect(m.confidence).toBeGreaterThanOrEqual(0);
        expect(m.confidence).toBeLessThanOrEqual(1);
        expect(Array.isArray(m.ranked)).toBe(true);
        expect(LANGS).toContain(m.language.lang);
        const l = noHang('detectLanguage', () => matcher.detectLanguage(text));
        expect(LANGS).toContain(l.lang);
      }),
      { numRuns: RUNS },
    );
  });

  it('every adversarial 10,000-character shape is matched without a hang', () => {
    for (const text of ADVERSARIAL) {
      noHang(`match(${JSON.stringify(text.slice(0, 12))}… x${text.length})`, () => matcher.match(text));
      noHang(`normalise(${JSON.stringify(text.slice(0, 12))}…)`, () => normalise(text));
    }
  });
});
