import { describe, expect, it } from 'vitest';
import { LANGS, type Lang } from '../../src/domain/index.js';
import { Chat, ids, loadT, makeDeps, replyOf, QUESTIONS } from './support.js';

const t = await loadT();

const GREETINGS: Record<Lang, string> = { en: 'hello', fr: 'Bonjour', ar: 'السلام عليكم', es: 'Hola' };
const TITLES: Record<Lang, string> = { fr: 'Carte de séjour', en: 'Residence card', ar: 'بطاقة الإقامة', es: 'Tarjeta de residencia' };

describe('first contact', () => {
  describe.each(LANGS)('in %s', (lang) => {
    it('answers a first real question after the greeting and the two-line privacy notice', async () => {
      const chat = new Chat(await makeDeps());
      const { replies, state } = chat.send(QUESTIONS[lang]);
      expect(replies.map((r) => r.kind)).toEqual(['notice', 'answer', 'feedback']);
      const notice = replies[0]!;
      expect(notice.lang).toBe(lang);
      expect(notice.text).toContain(t(lang, 'welcome.greeting'));
      expect(notice.text).toContain(`${t(lang, 'privacy.line1', { days: t(lang, 'count.days', { count: 30 }) })}\n${t(lang, 'privacy.line2', { days: t(lang, 'count.days', { count: 30 }) })}`);
      expect(replies[1]!.text).toContain(`*${TITLES[lang]}*`);
      expect(replies[1]!.lang).toBe(lang);
      expect(state).toMatchObject({ lang, langConfirmed: true, noticeShown: true, lastTopic: 'residence-permit', turns: 1 });
    });

    it('asks for the language, in all four languages at once, when the first message is a greeting', async () => {
      const chat = new Chat(await makeDeps());
      const { replies, state } = chat.send(GREETINGS[lang]);
      expect(replies).toHaveLength(1);
      const choice = replyOf(replies, 'language-choice');
      expect(choice.text).toContain('Choose your language');
      expect(choice.text).toContain('Choisissez votre langue');
      expect(choice.text).toContain('اختر لغتك');
      expect(choice.text).toContain('Elige tu idioma');
      expect(choice.choices?.map((c) => c.label)).toEqual(['Français', 'English', 'العربية', 'Español']);
      expect(ids(choice)).toEqual(['lang:fr', 'lang:en', 'lang:ar', 'lang:es']);
      expect(state).toMatchObject({ awaiting: 'language', noticeShown: false });
      expect(state?.lang).toBeUndefined();
    });

    it('after the language is chosen by number, greets, shows the privacy notice and the main menu', async () => {
      const chat = new Chat(await makeDeps());
      chat.send(GREETINGS[lang]);
      const { replies, state } = chat.send(String(LANGS.indexOf(lang) + 1));
      expect(replies.map((r) => r.kind)).toEqual(['notice', 'menu']);
      expect(replies.every((r) => r.lang === lang)).toBe(true);
      expect(replies[0]!.text.startsWith(t(lang, 'welcome.greeting'))).toBe(true);
      expect(replies[0]!.text).toContain(t(lang, 'privacy.line1', { days: t(lang, 'count.days', { count: 30 }) }));
      expect(replies[1]!.text).toBe(t(lang, 'menu.title'));
      expect(replies[1]!.choices?.[0]).toEqual({ id: 'cat:papers', label: t(lang, 'categories.papers.name') });
      expect(state).toMatchObject({ lang, langConfirmed: true, noticeShown: true, menuPath: [] });
      expect(state?.awaiting).toBeUndefined();
    });
  });

  it('welcomes a greeting that says more than hello in its language, with the menu (one greeting only)', async () => {
    const chat = new Chat(await makeDeps());
    const { replies, state } = chat.send('Bonjour je voudrais des informations sur mes droits');
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'menu']);
    expect(replies[1]!.text).toBe(t('fr', 'menu.title'));
    expect(replies.every((r) => r.lang === 'fr')).toBe(true);
    expect(state).toMatchObject({ lang: 'fr', langConfirmed: true, noticeShown: true });
    // A short greeting, even in a clear language, still gets the language choice.
    expect(new Chat(chat.deps).say('Hola buenos dias')[0]!.kind).toBe('language-choice');
  });

  it('accepts the language as a button press and as a typed language name', async () => {
    const a = new Chat(await makeDeps());
    a.send('hello');
    expect(a.send({ choiceId: 'lang:ar' }).state?.lang).toBe('ar');
    const b = new Chat(await makeDeps());
    b.send('hello');
    expect(b.send('Español').state?.lang).toBe('es');
    const c = new Chat(await makeDeps());
    expect(c.send('english').state).toMatchObject({ lang: 'en', langConfirmed: true, noticeShown: true });
  });

  it('shows the notice only once', async () => {
    const chat = new Chat(await makeDeps());
    chat.send(QUESTIONS.en);
    const { replies } = chat.send('0');
    expect(replies.map((r) => r.kind)).toEqual(['menu']);
  });

  it('asks for the language when the first message is only a number or a command', async () => {
    for (const first of ['1', '0', '/start', 'MENU', 'help']) {
      const chat = new Chat(await makeDeps());
      expect(chat.say(first).map((r) => r.kind), first).toEqual(['language-choice']);
    }
  });

  it('asks for the language when an out-of-scope first message has an unsure language', async () => {
    const chat = new Chat(await makeDeps());
    expect(chat.say('zzz qqq').map((r) => r.kind)).toEqual(['language-choice']);
  });

  it('answers an out-of-scope first message in its language when the language is clear', async () => {
    const chat = new Chat(await makeDeps());
    const replies = chat.say('Qui va gagner le match de foot ce soir');
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'out-of-scope']);
    expect(replies[1]!.lang).toBe('fr');
  });

  it('uses the platform locale hint for a question whose language is unsure, and says how to change it', async () => {
    const deps = await makeDeps({ matcher: { ...(await makeDeps()).matcher, detectLanguage: () => ({ lang: 'en', confidence: 0.3 }) } });
    const chat = new Chat(deps);
    const { replies, state } = chat.send({ text: QUESTIONS.es, localeHint: 'es-MA' });
    expect(state).toMatchObject({ lang: 'es', langConfirmed: false });
    expect(replies[0]!.text).toContain(t('es', 'language.hint'));
    expect(replies.map((r) => r.kind)).toContain('answer');
  });

  it('gives the matcher the detected language as a hint', async () => {
    const deps = await makeDeps();
    const chat = new Chat(deps);
    chat.send(QUESTIONS.ar);
    expect((deps.matcher as unknown as { calls: { hint?: Lang }[] }).calls[0]?.hint).toBe('ar');
  });

  it('answers media at first contact with "please type" and the language choice', async () => {
    const chat = new Chat(await makeDeps({ defaultLang: 'fr' }));
    const replies = chat.say({ media: 'voice' });
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'language-choice']);
    expect(replies[0]!.text).toBe(t('fr', 'media.pleaseType'));
    const hinted = new Chat(await makeDeps());
    expect(hinted.say({ media: 'image', localeHint: 'ar' })[0]!.text).toBe(t('ar', 'media.pleaseType'));
  });

  it('forgets at once when the first message is DELETE (nothing is created)', async () => {
    const chat = new Chat(await makeDeps());
    const out = chat.send('SUPPRIMER');
    expect(out.state).toBeNull();
    expect(out.replies[0]!.text).toBe(t('fr', 'deleted.done'));
  });

  it('never stores the message text', async () => {
    const chat = new Chat(await makeDeps());
    chat.send(QUESTIONS.en);
    chat.send('Who will win the football match tonight');
    const stored = JSON.stringify(chat.state);
    expect(stored).not.toMatch(/residence card in Morocco|football/i);
  });
});
