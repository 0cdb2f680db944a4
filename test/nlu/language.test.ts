import { describe, expect, it } from 'vitest';
import { createLanguageIdentifier, detectLanguage } from '../../src/nlu/index.js';
import { PHRASES } from './fixtures.js';

describe('detectLanguage (built-in lexicon only)', () => {
  const cases: Array<[string, string]> = [
    ['bonjour', 'fr'],
    ['slt cv', 'fr'],
    ['merci beaucoup', 'fr'],
    ['je veux mes papiers', 'fr'],
    ['hello', 'en'],
    ['pls help me', 'en'],
    ['thank u', 'en'],
    ['hola', 'es'],
    ['gracias amigo', 'es'],
    ['q hago', 'es'],
    ['salam', 'ar'],
    ['3afak', 'ar'],
    ['bghit lwra9', 'ar'],
    ['l7bs', 'ar'],
    ['kifach ndir la carte de sejour', 'ar'],
    ['السلام عليكم', 'ar'],
    ['شكرا', 'ar'],
    ['بغيت نهضر مع شي حد', 'ar'],
  ];
  it.each(cases)('%s -> %s', (text, lang) => {
    const g = detectLanguage(text);
    expect(g.lang).toBe(lang);
    expect(g.confidence).toBeGreaterThan(0.5);
    expect(g.confidence).toBeLessThanOrEqual(1);
  });

  it('keeps the conversation language on an unclear short message', () => {
    expect(detectLanguage('ok', 'es').lang).toBe('es');
    expect(detectLanguage('ok', 'fr').lang).toBe('fr');
    // but not against clear evidence
    expect(detectLanguage('muchas gracias', 'fr').lang).toBe('es');
  });

  it('answers with zero confidence when there are no letters', () => {
    expect(detectLanguage('👍', 'en')).toEqual({ lang: 'en', confidence: 0 });
    expect(detectLanguage('2511')).toEqual({ lang: 'fr', confidence: 0 });
  });

  it('gives Arabic script to ar whatever the words', () => {
    expect(detectLanguage('مرحبا hello').lang).toBe('ar');
  });
});

describe('createLanguageIdentifier (with training phrases)', () => {
  it('learns from samples', () => {
    const id = createLanguageIdentifier(PHRASES);
    expect(id.detect('tasswiya').lang).toBe('ar');
    expect(id.detect('renovar tarjeta').lang).toBe('es');
    expect(id.detect('renew card').lang).toBe('en');
    expect(id.detect('renouveler carte').lang).toBe('fr');
  });
});
