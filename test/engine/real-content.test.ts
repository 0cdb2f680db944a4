/**
 * The engine over the real knowledge base (`content/`, `intents/`) and the real matcher, chatting
 * in the four languages. Skipped until the knowledge loader and the matcher exist.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  LANGS,
  TOPICS,
  type City,
  type ContentIssue,
  type KnowledgeBase,
  type Lang,
  type Matcher,
  type TrainingPhrase,
} from '../../src/domain/index.js';
import type { EngineDeps } from '../../src/engine/index.js';
import { CAPS, Chat, loadT, replyOf } from './support.js';

/** The loader and matcher APIs of the build spec (imported by path so this file compiles before they exist). */
interface KnowledgeModule {
  loadKnowledge(opts: { contentDir: string; intentsDir: string; smsShortFormSegments: number; root?: string }): Promise<{ kb: KnowledgeBase; issues: ContentIssue[] }>;
}
interface NluModule {
  createMatcher(opts: { phrases: readonly TrainingPhrase[]; cities?: readonly City[] }): Matcher;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KNOWLEDGE = '../../src/knowledge/index.js';
const NLU = '../../src/nlu/index.js';

const QUESTIONS: Record<Lang, string> = {
  fr: "Bonjour, comment je peux avoir la carte de séjour au Maroc ? j'ai pas de papiers",
  en: 'How can I get a residence card in Morocco? What documents do I need?',
  ar: 'كيف يمكنني الحصول على بطاقة الإقامة في المغرب؟ ما هي الوثائق المطلوبة؟',
  es: '¿Cómo puedo conseguir la tarjeta de residencia en Marruecos? ¿Qué documentos necesito?',
};
const ARRESTS: Record<Lang, string> = {
  fr: 'La police vient de m’arrêter dans la rue, ils veulent m’emmener, que faire ?',
  en: 'The police arrested me in the street and want to take me away, what do I do?',
  ar: 'الشرطة اعتقلتني في الشارع ويريدون أخذي، ماذا أفعل؟',
  es: 'La policía me ha detenido en la calle y me quieren llevar, ¿qué hago?',
};
const DELETE: Record<Lang, string> = { fr: 'SUPPRIMER', en: 'DELETE', ar: 'امسح', es: 'BORRAR' };

describe.skipIf(!existsSync('src/nlu/index.ts') || !existsSync('src/knowledge/index.ts'))('the engine over the real content', () => {
  let deps: EngineDeps;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    const { loadKnowledge } = (await import(/* @vite-ignore */ KNOWLEDGE)) as KnowledgeModule;
    const { createMatcher } = (await import(/* @vite-ignore */ NLU)) as NluModule;
    const loaded = await loadKnowledge({
      contentDir: `${ROOT}content`,
      intentsDir: `${ROOT}intents`,
      smsShortFormSegments: 2,
      root: ROOT,
    });
    kb = loaded.kb;
    deps = {
      kb,
      matcher: createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] }),
      t: await loadT(),
      capabilities: CAPS.web,
      defaultLang: 'fr',
    };
  });

  const chat = (over: Partial<EngineDeps> = {}): Chat => new Chat({ ...deps, ...over });

  it.each([
    ['fr', 'je vais me suicider'],
    ['fr', 'je veux mourir'],
    ['en', 'I want to kill myself'],
    ['es', 'quiero suicidarme'],
    ['ar', 'أريد أن أنتحر'],
    ['ar', 'بغيت نقتل راسي'],
    ['ar', 'ana bghit nmout'],
    ['ar', 'أنا مصاب وأنزف'],
  ] as const)('gives the emergency numbers first to someone in danger of dying (%s: %s), never a goodbye', (lang, text) => {
    const c = chat();
    c.say({ choiceId: `lang:${lang}` });
    const r = c.say(text);
    expect(r[0]!.kind).toBe('urgent');
    expect(r.map((x) => x.text).join('\n')).not.toContain(deps.t(lang, 'smalltalk.goodbye'));
  });

  describe('choosing the language', () => {
    it('takes an answer to the language question in a clear language (Arabic script) as the choice, instead of asking again', () => {
      const c = chat();
      expect(c.say('salam')[0]!.kind).toBe('language-choice');
      const r = c.say('مرحبا');
      expect(r.map((x) => x.kind)).toEqual(['notice', 'menu']);
      expect(c.state).toMatchObject({ lang: 'ar', langConfirmed: true });
    });

    it("starts in the platform's language (Telegram's language_code) without the question, and says how to change it", () => {
      for (const first of [{ text: '/start' }, { text: 'hello' }, { text: 'salam' }]) {
        const c = chat({ capabilities: CAPS.telegram });
        const r = c.say({ ...first, localeHint: 'fr' });
        expect(r.map((x) => x.kind), first.text).toEqual(['notice', 'menu']);
        expect(r[0]!.text).toContain(deps.t('fr', 'language.hint'));
        expect(c.state).toMatchObject({ lang: 'fr', langConfirmed: false });
      }
    });

    it('reads markup in a French message as no evidence of another language', () => {
      const c = chat();
      c.say('Bonjour, je cherche un avocat <b> & < > pour mes papiers');
      expect(c.state?.lang).toBe('fr');
      // Markup alone holds no language: asked, not answered in Arabic.
      const first = chat();
      expect(first.say('<b> & < >')[0]!.kind).toBe('language-choice');
      expect(first.state?.lang).toBeUndefined();
      const en = chat();
      en.say({ choiceId: 'lang:en' });
      en.say('<b> & < >');
      expect(en.state?.lang).toBe('en');
    });
  });

  it('loads a knowledge base with answers, organisations and cities', () => {
    expect(kb.answers.size).toBeGreaterThan(20);
    expect(kb.organisations.size).toBeGreaterThan(5);
    expect(kb.cities.size).toBeGreaterThan(5);
  });

  describe.each(LANGS)('in %s', (lang) => {
    it('answers a first question in its language, after the privacy notice, with the footer', () => {
      const c = chat();
      const replies = c.say(QUESTIONS[lang]);
      expect(c.state?.lang).toBe(lang);
      expect(replies[0]!.kind).toBe('notice');
      const answer = replyOf(replies, 'answer');
      expect(TOPICS[c.state!.lastTopic as keyof typeof TOPICS]).toBe('papers');
      expect(answer.text).toContain(deps.t(lang, 'answer.disclaimer'));
      // No reviewer has checked the real answers yet: no checked date, a "not yet checked" line instead.
      expect(answer.text).toContain(deps.t(lang, 'trust.answerNotChecked'));
    });

    it('navigates the menu from the language choice to an answer and back', () => {
      const c = chat();
      expect(c.say('salam')[0]!.kind).toBe('language-choice');
      const home = c.say(String(LANGS.indexOf(lang) + 1)).at(-1)!;
      expect(home.choices?.map((x) => x.id)).toEqual(CATEGORIES.map((x) => `cat:${x}`));
      const papers = c.say('1')[0]!;
      expect(papers.choices?.[0]?.id).toBe('topic:residence-permit');
      const answer = replyOf(c.say('1'), 'answer');
      expect(answer.text).toContain(deps.t(lang, 'answer.disclaimer'));
      expect(c.say(deps.t(lang, 'menu.nav').split(' · ')[1]!)[0]!.text).toBe(deps.t(lang, 'categories.papers.title'));
    });

    it('puts emergency contacts from the content first for an arrest', () => {
      const c = chat();
      c.say({ choiceId: `lang:${lang}` });
      const replies = c.say(ARRESTS[lang]);
      expect(replies[0]!.kind).toBe('urgent');
      const numbers = [...kb.organisations.values()].filter((o) => o.emergency || o.urgency?.includes('arrest')).flatMap((o) => o.contacts.map((x) => x.value));
      expect(numbers.some((n) => replies[0]!.text.includes(n))).toBe(true);
    });

    it('forgets the user on the delete word', () => {
      const c = chat();
      c.say({ choiceId: `lang:${lang}` });
      expect(c.send(DELETE[lang]).state).toBeNull();
    });
  });

  it('finds help in a named city and from a location', () => {
    const c = chat({ capabilities: CAPS.telegram });
    c.say({ choiceId: 'lang:fr' });
    const named = c.say('Je cherche une association pour m’aider à Tanger');
    expect(c.state?.city).toBe('tanger');
    expect(named.at(-1)!.text).toContain('Tanger');
    const located = chat({ capabilities: CAPS.telegram });
    located.say({ choiceId: 'lang:en' });
    const r = located.say({ location: { lat: 34.68, lon: -1.91 } });
    expect(located.state?.city).toBe('oujda');
    expect(r[0]!.text).toContain('Oujda');
  });

  it('answers off-topic messages politely and keeps working on SMS', () => {
    const c = chat();
    c.say({ choiceId: 'lang:en' });
    expect(c.say('Who will win the football match tonight between Real Madrid and Barcelona?')[0]!.kind).toBe('out-of-scope');
    const sms = chat({ capabilities: CAPS.sms });
    sms.say({ choiceId: 'lang:es' });
    const a = replyOf(sms.say(QUESTIONS.es), 'answer');
    expect(a.choices?.[0]?.id, 'the short form offers the full answer first').toMatch(/^full:/);
    expect(sms.state?.pendingPages?.length, 'the full answer waits behind MORE').toBeGreaterThan(0);
  });
});
