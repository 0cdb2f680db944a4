import { describe, expect, it } from 'vitest';
import { LANGS, type Lang } from '../../src/domain/index.js';
import { parseCommand, type CommandName } from '../../src/engine/index.js';
import { CAPS, chatIn, ids, loadT } from './support.js';

const t = await loadT();

/** The words of each command per language, as the help text and the privacy notice print them. */
const WORDS: Record<Exclude<CommandName, 'more'>, Record<Lang, string[]>> = {
  menu: { en: ['MENU', 'menu'], fr: ['MENU', 'Accueil'], ar: ['القائمة'], es: ['MENÚ', 'menu'] },
  back: { en: ['BACK'], fr: ['RETOUR', 'retour'], ar: ['رجوع'], es: ['VOLVER', 'ATRAS', 'atrás'] },
  language: { en: ['LANGUAGE'], fr: ['LANGUE'], ar: ['اللغة'], es: ['IDIOMA'] },
  help: { en: ['HELP'], fr: ['AIDE'], ar: ['مساعدة'], es: ['AYUDA'] },
  delete: { en: ['DELETE'], fr: ['SUPPRIMER', 'effacer'], ar: ['امسح', 'مسح'], es: ['BORRAR'] },
  person: { en: ['HUMAN', 'person'], fr: ['PERSONNE', 'agent'], ar: ['شخص'], es: ['PERSONA'] },
  privacy: { en: ['PRIVACY'], fr: ['CONFIDENTIALITE', 'confidentialité'], ar: ['الخصوصية'], es: ['PRIVACIDAD'] },
};

describe('parseCommand', () => {
  it('reads every command word whatever the case, accents, punctuation or Telegram form', () => {
    expect(parseCommand('  Menu!  ')).toBe('menu');
    expect(parseCommand('menú')).toBe('menu');
    expect(parseCommand('ATRÁS')).toBe('back');
    expect(parseCommand('/start')).toBe('menu');
    expect(parseCommand('/start@DalilBot')).toBe('menu');
    expect(parseCommand('/help')).toBe('help');
    expect(parseCommand('/language')).toBe('language');
    expect(parseCommand('/delete')).toBe('delete');
    expect(parseCommand('/menu')).toBe('menu');
    expect(parseCommand('إمسح')).toBe('delete');
    expect(parseCommand('«اللغة»')).toBe('language');
    expect(parseCommand('MÁS')).toBe('more');
    expect(parseCommand('PLUS')).toBe('more');
    // Darija in Latin letters
    expect(parseCommand('msa7')).toBe('delete');
    expect(parseCommand('rjo3')).toBe('back');
  });

  it('matches whole messages only', () => {
    expect(parseCommand('menu of the restaurant')).toBeUndefined();
    expect(parseCommand('je veux supprimer mon compte')).toBeUndefined();
    expect(parseCommand('helping')).toBeUndefined();
  });
});

describe.each(LANGS)('global commands in %s', (lang) => {
  it.each(WORDS.menu[lang])('%s goes to the main menu', async (word) => {
    const chat = await chatIn(lang);
    chat.say('1');
    const r = chat.say(word);
    expect(r[0]!.text).toBe(t(lang, 'menu.title'));
    expect(chat.state?.menuPath).toEqual([]);
  });

  it.each(WORDS.back[lang])('%s goes up one level', async (word) => {
    const chat = await chatIn(lang);
    chat.say('1');
    chat.say('2');
    expect(chat.say(word)[0]!.text).toBe(t(lang, 'categories.papers.title'));
  });

  it.each(WORDS.language[lang])('%s asks for the language, then changes it', async (word) => {
    const chat = await chatIn(lang);
    const r = chat.say(word);
    expect(r[0]!.kind).toBe('language-choice');
    expect(chat.state?.awaiting).toBe('language');
    const other: Lang = lang === 'ar' ? 'es' : 'ar';
    const changed = chat.say(String(LANGS.indexOf(other) + 1));
    expect(changed.map((x) => x.kind)).toEqual(['notice', 'menu']);
    expect(changed[0]).toMatchObject({ text: t(other, 'language.changed'), lang: other });
    expect(changed[1]!.text).toBe(t(other, 'menu.title'));
    expect(chat.state).toMatchObject({ lang: other, langConfirmed: true });
  });

  it.each(WORDS.help[lang])('%s explains the commands and keeps the current list', async (word) => {
    const chat = await chatIn(lang);
    chat.say('1');
    const before = chat.state?.choices;
    const r = chat.say(word);
    expect(r[0]!.text).toContain(t(lang, 'help.text'));
    expect(chat.state?.choices).toEqual(before);
    expect(chat.say('1')[0]!.kind).toBe('answer');
  });

  it.each(WORDS.delete[lang])('%s forgets the user (state null) and confirms in their language', async (word) => {
    const chat = await chatIn(lang);
    chat.say('1');
    const out = chat.send(word);
    expect(out.state).toBeNull();
    expect(out.replies).toEqual([{ kind: 'notice', text: t(lang, 'deleted.done'), lang }]);
  });

  it.each(WORDS.person[lang])('%s lists who can help (no operator), fitting the last topic', async (word) => {
    const chat = await chatIn(lang);
    chat.say({ choiceId: 'topic:asylum-register' });
    const r = chat.say(word);
    expect(r[0]!.kind).toBe('answer');
    expect(r[0]!.text.startsWith(t(lang, 'person.text'))).toBe(true);
    expect(r[0]!.text).toContain({ fr: 'HCR', en: 'UNHCR', ar: 'المفوضية', es: 'ACNUR' }[lang]);
    expect(r[0]!.text).toContain('+212 (0)5 37 54 54 00');
    // Emergency services from the knowledge base, not from code, and never the police here.
    expect(r[0]!.text).toContain('Protection civile: 15');
    expect(r[0]!.text).not.toMatch(/Police|Gendarmerie/);
  });
});

describe('talk to a person', () => {
  it('is also understood from free text by the matcher', async () => {
    const chat = await chatIn('fr');
    const r = chat.say('Je veux parler a un avocat');
    expect(r[0]!.text.startsWith(t('fr', 'person.text'))).toBe(true);
    expect(chat.last.meta.intent).toBe('talk-to-person');
  });

  it('prefers organisations in the user city', async () => {
    const chat = await chatIn('en');
    chat.say('Where can I find help in Tangier');
    chat.say({ choiceId: 'topic:residence-permit' });
    const text = chat.say('PERSON')[0]!.text;
    // OMDH works in Tanger, GADEM only in Rabat.
    expect(text.indexOf('OMDH')).toBeLessThan(text.indexOf('GADEM'));
  });

  it('says so honestly when no organisation is known', async () => {
    const deps = { kb: { ...(await chatIn('en')).deps.kb, organisations: new Map() } };
    const chat = await chatIn('es', deps);
    expect(chat.say('PERSONA')[0]!.text).toBe(t('es', 'person.none'));
  });
});

describe('commands on other channels', () => {
  it('work on SMS and cut nothing', async () => {
    const chat = await chatIn('fr', { capabilities: CAPS.sms });
    chat.say('1');
    expect(chat.say('retour')[0]!.text).toBe('Menu principal. Choisissez un sujet :');
  });

  it('Telegram /start shows the menu to a known user', async () => {
    const chat = await chatIn('es', { capabilities: CAPS.telegram });
    chat.say('1');
    const r = chat.say('/start');
    expect(ids(r[0])[0]).toBe('cat:papers');
  });

  it('MORE with nothing pending says so', async () => {
    const chat = await chatIn('en');
    expect(chat.say('MORE')[0]!.text).toBe(t('en', 'paging.none'));
  });
});

describe('SMS opt-out', () => {
  it('stays silent after STOP until START', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    expect(chat.say('STOP')).toEqual([]);
    expect(chat.state?.stopped).toBe(true);
    expect(chat.say('How do I get a residence card in Morocco')).toEqual([]);
    const r = chat.say('START');
    expect(r[0]!.text).toBe(t('en', 'menu.title'));
    expect(chat.state?.stopped).toBeUndefined();
  });

  it.each([
    ['fr', 'ARRÊT', 'reprendre'],
    ['es', 'baja', 'ALTA'],
    ['ar', 'توقف', 'ابدأ'],
    ['en', 'REVOKE', 'UNSTOP'],
    ['en', 'optout', 'yes'],
  ] as const)('understands the stop and start words of %s: %s / %s', async (lang, stop, start) => {
    const chat = await chatIn(lang, { capabilities: CAPS.sms });
    expect(chat.say(stop)).toEqual([]);
    expect(chat.state?.stopped).toBe(true);
    expect(chat.say('menu')).toEqual([]);
    expect(chat.say(start).length).toBeGreaterThan(0);
    expect(chat.state?.stopped).toBeUndefined();
  });

  it('shows the whole privacy notice on PRIVACY, in every language', async () => {
    for (const [lang, word] of [['fr', 'CONFIDENTIALITE'], ['en', 'privacy'], ['es', 'Privacidad'], ['ar', 'الخصوصية']] as const) {
      const chat = await chatIn(lang, { capabilities: CAPS.sms });
      const r = chat.say(word);
      // The whole notice (paged where it is long), not the one-line first-contact form.
      const text = r.map((x) => x.text).join('\n');
      expect(text, lang).toContain(t(lang, 'welcome.greeting').slice(0, 10));
      expect(text.length, lang).toBeGreaterThan(t(lang, 'privacy.short').length);
    }
  });

  it('means nothing special on other channels', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.web });
    expect(chat.say('stop').length).toBeGreaterThan(0);
    expect(chat.state?.stopped).toBeUndefined();
  });
});
