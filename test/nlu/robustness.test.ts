import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE, isIntentId } from '../../src/domain/index.js';
import { createMatcher, detectLanguage, detectUrgency, extractCity, normalise, tokenise } from '../../src/nlu/index.js';
import { CITIES, PHRASES } from './fixtures.js';

describe('robustness on any input', () => {
  const m = createMatcher({ phrases: PHRASES, cities: CITIES });
  const tricky = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constantFrom('constructor', 'toString __proto__ hasOwnProperty', 'valueOf', '', '   ', '٣٣٣', 'ـــــ', '😀😀😀', 'a+ @+ 2m1', '\u200f\u200e'),
  );

  it('normalises, tokenises and identifies the language without throwing', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const n = normalise(text);
        expect(n).toBe(n.trim());
        expect(n).not.toMatch(/\s{2}/);
        expect(tokenise(text).every((w) => w.length > 0)).toBe(true);
        const g = detectLanguage(text);
        expect(g.confidence).toBeGreaterThanOrEqual(0);
        expect(g.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('matches any text to a valid, well-formed result', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const r = m.match(text);
        expect(isIntentId(r.intent)).toBe(true);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(r.ranked.every((x) => x.intent !== OUT_OF_SCOPE)).toBe(true);
        if (r.intent === OUT_OF_SCOPE) expect(r.ambiguous).toBe(false);
        detectUrgency(text);
        extractCity(text, CITIES);
      }),
      { numRuns: 300 },
    );
  });

  it('never takes prototype keys for abbreviations', () => {
    expect(normalise('constructor toString', { lang: 'fr' })).toBe('constructor tostring');
  });
});
