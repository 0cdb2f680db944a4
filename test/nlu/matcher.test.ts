import { describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE } from '../../src/domain/index.js';
import { createLabelMatcher, createMatcher } from '../../src/nlu/index.js';
import { CITIES, PHRASES } from './fixtures.js';

describe('createMatcher', () => {
  const m = createMatcher({ phrases: PHRASES, cities: CITIES });

  it('finds topics in every language and style', () => {
    const cases: Array<[string, string]> = [
      ['comment renouveler ma carte de séjour', 'residence-permit'],
      ['karta sejour', 'residence-permit'],
      ['regularisasion', 'regularisation'],
      ['refujie droits', 'refugee-rights'],
      ['asile politik', 'asylum-register'],
      ['how do i renew my residence card', 'residence-permit'],
      ['cops arrested me', 'police-stop-arrest'],
      ['quiero pedir asilo', 'asylum-register'],
      ['bghit n9ad la carte de sejour', 'residence-permit'],
      ['البوليس شدني', 'police-stop-arrest'],
      ['hola', 'greeting'],
      ['merciii', 'thanks'],
    ];
    for (const [text, intent] of cases) expect(m.match(text).intent, text).toBe(intent);
  });

  it('says out-of-scope honestly', () => {
    for (const text of ['visa pour le canada', 'weather tomorrow in rabat', 'receta de paella']) {
      expect(m.match(text).intent, text).toBe(OUT_OF_SCOPE);
    }
    const empty = m.match('!!! 😀');
    expect(empty.intent).toBe(OUT_OF_SCOPE);
    expect(empty.ranked).toEqual([]);
  });

  it('returns a well-formed result', () => {
    const r = m.match('je veux demander l asile, je suis a Casa');
    expect(r.ranked.length).toBeGreaterThan(0);
    expect(r.ranked.length).toBeLessThanOrEqual(5);
    expect(r.ranked.some((x) => x.intent === OUT_OF_SCOPE)).toBe(false);
    for (let i = 1; i < r.ranked.length; i++) expect(r.ranked[i - 1]!.confidence).toBeGreaterThanOrEqual(r.ranked[i]!.confidence);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.language.lang).toBe('fr');
    expect(r.city).toBe('casablanca');
  });

  it('reports urgency and the city alongside the intent', () => {
    const r = m.match('la police m a arrete a Tanja');
    expect(r.intent).toBe('police-stop-arrest');
    expect(r.urgency).toBe('arrest');
    expect(r.city).toBe('tanger');
  });

  it('does not call a clear question ambiguous', () => {
    expect(m.match('comment renouveler ma carte de séjour').ambiguous).toBe(false);
  });

  it('identifies the language with the hint as tie-breaker', () => {
    expect(m.detectLanguage('renovar la tarjeta').lang).toBe('es');
    expect(m.detectLanguage('ok', 'ar').lang).toBe('ar');
  });
});

describe('createLabelMatcher ambiguity', () => {
  it('flags a message two labels share, and only when the margin is small', () => {
    const shared = ['papers and card', 'card and papers', 'my papers my card'];
    const examples = [
      ...shared.map((text) => ({ text, label: 'x', lang: 'en' as const })),
      ...shared.map((text) => ({ text, label: 'y', lang: 'en' as const })),
      ...['apple pie', 'apple cake', 'apple juice'].map((text) => ({ text, label: 'z', lang: 'en' as const })),
    ];
    const lm = createLabelMatcher(examples, { training: { calibrationShare: 0 } });
    const close = lm.match('papers card');
    expect(['x', 'y']).toContain(close.label);
    expect(close.ambiguous).toBe(true);
    expect(Math.abs(close.ranked[0]!.confidence - close.ranked[1]!.confidence)).toBeLessThan(0.25);
    const clear = lm.match('apple pie');
    expect(clear.label).toBe('z');
    expect(clear.ambiguous).toBe(false);
    const strict = createLabelMatcher(examples, { ambiguityMargin: 0, training: { calibrationShare: 0 } });
    expect(strict.match('papers card').ambiguous).toBe(false);
  });
});
