import { describe, expect, it } from 'vitest';
import { createCityExtractor, extractCity } from '../../src/nlu/index.js';
import { CITIES } from './fixtures.js';

describe('extractCity', () => {
  const ex = createCityExtractor(CITIES, { knownWords: new Set(['danger', 'tanger']) });
  const cases: Array<[string, string | undefined, ('fr' | 'en' | 'ar' | 'es')?]> = [
    ['une association a Casa svp', 'casablanca', 'fr'],
    ['fin kayna jam3iya f Dar Bida', 'casablanca', 'ar'],
    ['ngo in Tanja', 'tanger', 'en'],
    ['Wajda', 'oujda', 'ar'],
    ['je suis a Rbat', 'rabat', 'fr'],
    ['Fes', 'fes', 'fr'],
    ['je vis à Fès', 'fes', 'fr'],
    ['منظمة في فاس', 'fes', 'ar'],
    ['Laayoune', 'laayoune', 'fr'],
    ['جمعية فالعيون', 'laayoune', 'ar'],
    ['جمعيات فالرباط', 'rabat', 'ar'],
    ['كاينة شي جمعية فالدار البيضاء', 'casablanca', 'ar'],
    ['ana f wajda daba', 'oujda', 'ar'],
    ['hospital in marakech', 'marrakech', 'en'],
    ['ONG a casablnca', 'casablanca', 'fr'],
    ['aide à Salé', 'sale', 'fr'],
    ['El Aaiún', 'laayoune', 'es'],
    ['Tánger', 'tanger', 'es'],
  ];
  it.each(cases)('%s -> %s', (text, id, lang) => {
    expect(ex.extract(text, lang)).toBe(id);
  });

  it('does not take ordinary words for cities', () => {
    expect(ex.extract('ma vie est en danger', 'fr')).toBeUndefined();
    expect(ex.extract('estoy en casa sin papeles', 'es')).toBeUndefined();
    expect(ex.extract('la chambre est sale et humide', 'fr')).toBeUndefined();
    expect(ex.extract('je veux mes papiers', 'fr')).toBeUndefined();
  });

  it('still reads an ambiguous spelling written as a name or alone', () => {
    expect(ex.extract('vivo en Casa desde hace un año', 'es')).toBe('casablanca');
    expect(ex.extract('casa', 'es')).toBe('casablanca');
  });

  it('only returns cities of the list it was given', () => {
    expect(extractCity('je suis a Nador', CITIES)).toBeUndefined();
    expect(extractCity('je suis a Oujda', CITIES)).toBe('oujda');
  });
});
