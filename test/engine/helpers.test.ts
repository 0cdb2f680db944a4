import { describe, expect, it } from 'vitest';
import { availableCategories, nearestCity, pickAnswer } from '../../src/engine/content.js';
import { asciiDigits, foldWord, parseNumber, truncate, wordCount } from '../../src/engine/text.js';
import { fixtureKb } from '../helpers/kb-fixture.js';

describe('text helpers', () => {
  it('foldWord unifies case, accents, Arabic letter variants and punctuation', () => {
    expect(foldWord(' Menú! ')).toBe('menu');
    expect(foldWord('RETOUR.')).toBe('retour');
    expect(foldWord('إمسح')).toBe(foldWord('امسح'));
    expect(foldWord('القائمـــة')).toBe(foldWord('القائمة'));
    expect(foldWord('/help@dalil_bot')).toBe('/help');
  });

  it('parseNumber reads ASCII and Arabic-Indic digits, nothing else', () => {
    expect(parseNumber('3')).toBe(3);
    expect(parseNumber(' 12. ')).toBe(12);
    expect(parseNumber('٣')).toBe(3);
    expect(parseNumber('۴')).toBe(4);
    expect(parseNumber('#2')).toBe(2);
    expect(parseNumber('2 cartes')).toBeUndefined();
    expect(parseNumber('1.5')).toBeUndefined();
    expect(asciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
  });

  it('truncate never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab');
    expect(truncate('abc', 10)).toBe('abc');
  });

  it('wordCount counts words in any script', () => {
    expect(wordCount('je veux la carte')).toBe(4);
    expect(wordCount('كيف أحصل على بطاقة')).toBe(4);
    expect(wordCount('  ')).toBe(0);
  });
});

describe('content look-ups', () => {
  const kb = fixtureKb();

  it('pickAnswer prefers the user language, then French, then English, and skips drafts', () => {
    expect(pickAnswer(kb, 'residence-permit', 'ar')).toMatchObject({ fallback: false, answer: { lang: 'ar' } });
    expect(pickAnswer(kb, 'regularisation', 'en')).toMatchObject({ fallback: true, answer: { lang: 'fr' } });
    expect(pickAnswer(kb, 'legal-framework', 'fr')).toBeUndefined();
    expect(pickAnswer(kb, 'marriage', 'fr')).toBeUndefined();
  });

  it('availableCategories leaves out categories with nothing to show', () => {
    expect(availableCategories(kb)).not.toContain('leaving');
    expect(availableCategories(kb)).toContain('help');
  });

  it('nearestCity finds the closest city', () => {
    expect(nearestCity(kb, { lat: 34.05, lon: -6.8 })?.id).toBe('rabat');
    expect(nearestCity(kb, { lat: 34.7, lon: -1.9 })?.id).toBe('oujda');
    expect(nearestCity({ ...kb, cities: new Map() }, { lat: 0, lon: 0 })).toBeUndefined();
  });
});
