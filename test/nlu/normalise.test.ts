import { describe, expect, it } from 'vitest';
import { arabicToLatin, collapseRepeats, DEFAULT_FEATURE_OPTIONS, mapArabiziDigits, normalise, normaliseArabicLetters, tokenise, wordFeatureKeys } from '../../src/nlu/index.js';

describe('normalise', () => {
  it('lowercases and removes Latin accents (fr, es)', () => {
    expect(normalise('Régularisation DÉJÀ Été')).toBe('regularisation deja ete');
    expect(normalise('Año, información, niño')).toBe('ano informacion nino');
    expect(normalise('Cœur')).toBe('coeur');
  });

  it('removes punctuation and emoji', () => {
    expect(normalise('J’ai été arrêté… 😢😢 la police!!!')).toBe('j ai ete arrete la police');
    expect(normalise('¿Dónde está ACNUR? 🙏')).toBe('donde esta unhcr');
  });

  it('collapses repeated letters (3 or more)', () => {
    expect(normalise('bonjouuuur merciii')).toBe('bonjour merci');
    expect(collapseRepeats('coordonnees')).toBe('coordonnees');
    expect(normalise('شكراااا')).toBe('شكرا');
  });

  it('removes Arabic diacritics and tatweel and unifies letter variants', () => {
    expect(normaliseArabicLetters('مُسَاعَدَة')).toBe('مساعده');
    expect(normalise('الـــلاجئين')).toBe('اللاجيين');
    expect(normalise('أين إقامة آمنة')).toBe('اين اقامه امنه');
    expect(normalise('على مستشفى')).toBe('علي مستشفي');
    expect(normalise('مؤسسة')).toBe('موسسه');
    expect(normalise('١٩ و ١٥')).toBe('19 و 15');
  });

  it('maps arabizi digits inside words but keeps numbers and numbers with units', () => {
    expect(normalise('3afak bghit lwra9')).toBe('aafak bghit lwraq');
    expect(mapArabiziDigits('l7bs')).toBe('lhbs');
    expect(mapArabiziDigits('5dma')).toBe('khdma');
    expect(normalise('appel sous 48h, 2eme fois, loi 02-03, 100dh')).toBe('appel sous 48h 2eme fois loi 02 03 100dh');
    expect(normalise('2511')).toBe('2511');
  });

  it('expands SMS abbreviations per language', () => {
    expect(normalise('slt stp', { lang: 'fr' })).toBe('salut s il te plait');
    expect(normalise('pk jsuis bloqué', { lang: 'fr' })).toBe('pourquoi je suis bloque');
    expect(normalise('pls can u help', { lang: 'en' })).toBe('please can you help');
    expect(normalise('xq no tng papeles', { lang: 'es' })).toBe('porque no tengo papeles');
    expect(normalise('slm 3fk', { lang: 'ar' })).toBe('salam aafak');
  });

  it('keeps language-specific abbreviations to their language', () => {
    // "u" is "you" in English only; "q" is "que" in Spanish only.
    expect(normalise('u', { lang: 'fr' })).toBe('u');
    expect(normalise('u', { lang: 'en' })).toBe('you');
    expect(normalise('q', { lang: 'es' })).toBe('que');
    expect(normalise('q', { lang: 'en' })).toBe('q');
  });

  it('can leave abbreviations and arabizi alone', () => {
    expect(normalise('slt 3afak', { abbreviations: false, arabizi: false })).toBe('slt 3afak');
  });
});

describe('tokenise', () => {
  it('splits Arabic script into words (natural tokenisers return nothing there)', () => {
    expect(tokenise('بغيت نجدد لاكارط ديالي')).toEqual(['بغيت', 'نجدد', 'لاكارط', 'ديالي']);
  });

  it('splits Latin text and arabizi', () => {
    expect(tokenise("l'asile, c'est où ?")).toEqual(['l', 'asile', 'c', 'est', 'ou']);
    expect(tokenise('bolis chedni f zan9a')).toEqual(['bolis', 'chedni', 'f', 'zanqa']);
  });
});

describe('cross-script skeletons', () => {
  const opts = DEFAULT_FEATURE_OPTIONS;
  const skeletons = (word: string): string[] => wordFeatureKeys(normalise(word, { lang: 'ar' }), 'ar', opts).keys.filter((k) => k.startsWith('k'));

  it('spells Arabic letters as arabizi does (ع like 3, ح like 7, ق like 9)', () => {
    expect(arabicToLatin('كارطه')).toBe('karth');
    expect(arabicToLatin('حبس')).toBe('hbs');
    expect(arabicToLatin('عافاك')).toBe('aafak');
    expect(arabicToLatin('ورقه')).toBe('wrqh');
    expect(arabicToLatin('lwraq')).toBe('');
  });

  it('gives a word in Arabic script and its arabizi spelling a shared feature, and unrelated words none', () => {
    const shared = (a: string, b: string): string[] => skeletons(a).filter((k) => skeletons(b).includes(k));
    expect(shared('السبيطار', 'sbitar')).toEqual(['ksbtr']);
    expect(shared('الخدمة', 'lkhedma')).toEqual(['kkdm']);
    expect(shared('الطبيب', 'tbib')).toEqual(['ktbb']);
    expect(shared('الكونطرا', 'lkontra')).toEqual(['kkntr']);
    expect(shared('السبيطار', 'lkarta')).toEqual([]);
    expect(shared('الخدمة', 'sbitar')).toEqual([]);
  });

  it('can be switched off', () => {
    const off = { ...opts, crossScriptSkeleton: false };
    expect(wordFeatureKeys('بوليس', 'ar', off).keys.filter((k) => k.startsWith('k'))).toEqual([]);
  });
});
