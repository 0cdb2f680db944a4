import { describe, expect, it } from 'vitest';
import { CHOICE_LABEL_MAX, LANGS, type Lang } from '../../src/domain/index.js';
import {
  checkLocales,
  createTranslator,
  dirOf,
  flattenLocale,
  loadLocaleResources,
  pluralCategories,
  translatorFromResources,
  variablesOf,
  type LocaleResources,
  type LocaleTree,
} from '../../src/i18n/index.js';
import { LOCALES_DIR } from '../helpers/kb-fixture.js';

const resources = await loadLocaleResources(LOCALES_DIR);
const t = await createTranslator(LOCALES_DIR);

function clone(r: LocaleResources): LocaleResources {
  return structuredClone(r);
}

describe('locale files', () => {
  it('have the same keys, plural forms and variables in all four languages', () => {
    expect(checkLocales(resources)).toEqual([]);
  });

  it('have the same base keys in every language (direct comparison)', () => {
    const base = (lang: Lang): string[] =>
      [...new Set([...flattenLocale(resources[lang].tree).keys()].map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();
    for (const lang of LANGS) expect(base(lang)).toEqual(base('en'));
  });

  it('contain no empty string and no leftover English in the other languages for long strings', () => {
    const en = flattenLocale(resources.en.tree);
    for (const lang of ['fr', 'ar', 'es'] as const) {
      for (const [key, value] of flattenLocale(resources[lang].tree)) {
        expect(value.trim(), `${lang}:${key}`).not.toBe('');
        // Shared strings (language names, the four-language prompt) are the same everywhere.
        if (value.length > 30 && !key.startsWith('language.prompt')) expect(value, `${lang}:${key}`).not.toBe(en.get(key));
      }
    }
  });

  it('name every menu category within a WhatsApp button (20 characters), the category title starting with it', () => {
    for (const lang of LANGS) {
      const flat = flattenLocale(resources[lang].tree);
      const names = [...flat].filter(([key]) => /^categories\.[a-z-]+\.name$/.test(key));
      expect(names.length, lang).toBeGreaterThan(0);
      for (const [key, name] of names) {
        expect(Array.from(name).length, `${lang}:${key} ${name}`).toBeLessThanOrEqual(CHOICE_LABEL_MAX);
        expect(flat.get(key.replace(/name$/, 'title'))?.startsWith(name), `${lang}:${key}`).toBe(true);
      }
    }
  });

  it('write the Arabic strings in Arabic script', () => {
    for (const [key, value] of flattenLocale(resources.ar.tree)) {
      if (key.startsWith('language.native') || key === 'contact.whatsapp' || key === 'language.prompt') continue;
      expect(/[\u0600-\u06FF]/.test(value), key).toBe(true);
    }
  });

  it('checkLocales reports a missing key, a variable mismatch and a missing Arabic plural form', () => {
    const broken = clone(resources);
    delete (broken.es.tree.menu as LocaleTree).title;
    (broken.fr.tree.findHelp as LocaleTree).title = 'Organisations à {{ville}} :';
    delete (broken.ar.tree.findHelp as LocaleTree).count_two;
    const messages = checkLocales(broken).map((i) => `${i.file.split('/').slice(-2).join('/')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^es\/translation\.json: missing key "menu\.title"/),
        expect.stringMatching(/^fr\/translation\.json: key "findHelp\.title" uses variables \{ville\} but en uses \{city\}/),
        expect.stringMatching(/^ar\/translation\.json: plural key "findHelp\.count" lacks the form "findHelp\.count_two"/),
      ]),
    );
    const line = checkLocales(broken).find((i) => i.message.includes('findHelp.title'));
    expect(line?.line).toBeGreaterThan(1);
  });

  it('checkLocales requires French and Spanish _many forms', () => {
    const broken = clone(resources);
    delete (broken.fr.tree.count as LocaleTree).days_many;
    expect(checkLocales(broken).map((i) => i.message)).toContain('plural key "count.days" lacks the form "count.days_many" that fr needs');
  });
});

describe('translator', () => {
  it('picks the six Arabic plural forms for 0, 1, 2, 3, 11 and 100', () => {
    const forms = resources.ar.tree.findHelp as LocaleTree;
    const expected = (form: string, n: number): string => (forms[`count_${form}`] as string).replace('{{count}}', String(n));
    const cases: [number, string][] = [
      [0, 'zero'],
      [1, 'one'],
      [2, 'two'],
      [3, 'few'],
      [11, 'many'],
      [100, 'other'],
    ];
    const outputs = cases.map(([n, form]) => {
      const out = t('ar', 'findHelp.count', { count: n });
      expect(out, `${n} -> ${form}`).toBe(expected(form, n));
      return out;
    });
    expect(new Set(cases.map(([, f]) => forms[`count_${f}`])).size).toBe(6);
    expect(new Set(outputs).size).toBe(6);
    expect(pluralCategories('ar')).toHaveLength(6);
  });

  it('uses the one/other (and many) forms in the other languages', () => {
    expect(t('en', 'count.days', { count: 1 })).toBe('1 day');
    expect(t('en', 'count.days', { count: 30 })).toBe('30 days');
    expect(t('fr', 'count.days', { count: 1 })).toBe('1 jour');
    expect(t('fr', 'count.days', { count: 30 })).toBe('30 jours');
    expect(t('fr', 'count.days', { count: 1_000_000 })).toBe('1000000 de jours');
    expect(t('es', 'findHelp.count', { count: 2 })).toBe('2 organizaciones encontradas');
    expect(t('ar', 'count.days', { count: 30 })).toBe('30 يومًا');
  });

  it('interpolates without HTML escaping (replies are plain text)', () => {
    expect(t('en', 'findHelp.title', { city: 'Fès & <Meknès>' })).toBe('Organisations in Fès & <Meknès>:');
  });

  it('falls back to English for a key missing in a language, and returns the key when missing everywhere', () => {
    const trees = Object.fromEntries(LANGS.map((l) => [l, structuredClone(resources[l].tree)])) as Record<Lang, LocaleTree>;
    delete (trees.es.menu as LocaleTree).title;
    const tt = translatorFromResources(trees);
    expect(tt('es', 'menu.title')).toBe((resources.en.tree.menu as LocaleTree).title);
    expect(tt('fr', 'no.such.key')).toBe('no.such.key');
    expect(t('ar', 'no.such.key')).toBe('no.such.key');
  });

  it('writes every language in its own words', () => {
    expect(t('fr', 'menu.home')).toBe('Menu principal');
    expect(t('en', 'menu.home')).toBe('Main menu');
    expect(t('ar', 'menu.home')).toBe('القائمة الرئيسية');
    expect(t('es', 'menu.home')).toBe('Menú principal');
  });

  it('remembers strings per language, key and values, and never mixes them up', () => {
    const tt = translatorFromResources(Object.fromEntries(LANGS.map((l) => [l, resources[l].tree])) as Record<Lang, LocaleTree>);
    // Asked in turns, so a memo keyed too coarsely (without the values, their types or the language) would answer wrongly.
    for (let round = 0; round < 2; round++) {
      expect(tt('en', 'count.days', { count: 1 })).toBe('1 day');
      expect(tt('en', 'count.days', { count: 30 })).toBe('30 days');
      expect(tt('en', 'count.days', { count: '30' })).toBe(t('en', 'count.days', { count: '30' }));
      expect(tt('fr', 'count.days', { count: 1 })).toBe('1 jour');
      expect(tt('en', 'findHelp.title', { city: 'Fès' })).toBe('Organisations in Fès:');
      expect(tt('en', 'findHelp.title', { city: 'Tanger' })).toBe('Organisations in Tanger:');
      expect(tt('es', 'menu.home')).toBe('Menú principal');
      expect(tt('ar', 'menu.home')).toBe('القائمة الرئيسية');
    }
    // A value that is not a plain string, number or boolean is interpolated each time, as before.
    const city = { toString: () => 'Oujda' };
    expect(tt('en', 'findHelp.title', { city })).toBe('Organisations in Oujda:');
  });

  it('re-exports dirOf', () => {
    expect(dirOf('ar')).toBe('rtl');
    expect(dirOf('fr')).toBe('ltr');
  });

  it('variablesOf finds interpolation variables', () => {
    expect([...variablesOf('a {{x}} b {{ y }} {{count}}')]).toEqual(['x', 'y', 'count']);
  });
});

describe('loadLocaleResources', () => {
  it('fails with a LocaleError naming the file when a folder is missing', async () => {
    await expect(loadLocaleResources('/nonexistent-dalil-locales')).rejects.toMatchObject({ name: 'LocaleError', message: expect.stringContaining('translation.json') });
  });
});
