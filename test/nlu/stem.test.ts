import { describe, expect, it } from 'vitest';
import { arabicLightStem, arabiziLightStem, normalise, stem } from '../../src/nlu/index.js';

const n = (w: string): string => normalise(w, { abbreviations: false });

describe('stem (natural Porter stemmers for fr, en, es)', () => {
  it('French', () => {
    expect(stem(n('réfugiés'), 'fr')).toBe(stem(n('réfugié'), 'fr'));
    expect(stem('expulsion', 'fr')).toBe(stem('expulsions', 'fr'));
    expect(stem('regularisation', 'fr')).toBe('regularis');
  });
  it('English', () => {
    expect(stem('arrested', 'en')).toBe(stem('arrest', 'en'));
    expect(stem('refugees', 'en')).toBe(stem('refugee', 'en'));
  });
  it('Spanish', () => {
    expect(stem('derechos', 'es')).toBe(stem('derecho', 'es'));
    expect(stem(n('regularización'), 'es')).toBe(stem('regularizacion', 'es'));
  });
  it('leaves numbers and short words alone', () => {
    expect(stem('2511', 'fr')).toBe('2511');
    expect(stem('un', 'fr')).toBe('un');
  });
});

describe('Arabic light stemmer', () => {
  it('removes articles and conjunctions', () => {
    const s = arabicLightStem(n('المدرسة'));
    expect(arabicLightStem(n('والمدرسة'))).toBe(s);
    expect(arabicLightStem(n('فالمدرسة'))).toBe(s);
    expect(arabicLightStem(n('مدرسة'))).toBe(s);
  });
  it('removes Darija present markers, object suffixes and the negation ma...sh', () => {
    expect(arabicLightStem('كيضربني')).toBe('ضرب');
    expect(arabicLightStem('ماعنديش')).toBe('عند');
    expect(arabicLightStem(n('اللاجئين'))).toBe(arabicLightStem(n('لاجئين')));
  });
  it('keeps at least three letters', () => {
    expect(arabicLightStem('حقي').length).toBeGreaterThanOrEqual(2);
    expect(arabicLightStem('دم')).toBe('دم');
  });
  it('is what stem() uses for Arabic script whatever the language', () => {
    expect(stem('كيضربني', 'fr')).toBe('ضرب');
  });
});

describe('arabizi light stemmer', () => {
  it('removes the article and prepositions glued to a word', () => {
    expect(arabiziLightStem('lwraq')).toBe('wraq');
    expect(arabiziLightStem(n('fl7bs'))).toBe('hbs');
    expect(arabiziLightStem('lmaghrib')).toBe('maghrib');
  });
  it('removes object suffixes and present markers', () => {
    expect(arabiziLightStem('chedouni')).toBe('ched');
    expect(arabiziLightStem('kaydrbni')).toBe('drb');
  });
  it('is what stem() uses for Latin words in ar', () => {
    expect(stem('lwraq', 'ar')).toBe('wraq');
  });
});
