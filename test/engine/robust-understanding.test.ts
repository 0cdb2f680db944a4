/**
 * The engine over the real phrases and matcher on messages nobody wrote for it: nonsense keeps
 * the conversation's language, a city in an unrelated question lists no organisations, erase
 * requests erase or ask first, emergencies in progress get the urgent block first, crime and
 * other countries get their short answers. And the confirmation before erasing, step by step.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase, Lang, MatchResult, Matcher } from '../../src/domain/index.js';
import type { EngineDeps } from '../../src/engine/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher } from '../../src/nlu/index.js';
import { CAPS, Chat, ids, loadT, makeDeps, replyOf } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const t = await loadT();

describe('the engine on messages nobody here wrote', () => {
  let deps: EngineDeps;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    kb = (await loadKnowledge({ contentDir: `${ROOT}content`, intentsDir: `${ROOT}intents`, smsShortFormSegments: 2, root: ROOT })).kb;
    deps = { kb, matcher: createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] }), t: await loadT(), capabilities: CAPS.web, defaultLang: 'fr' };
  });

  const chatIn = (lang: Lang): Chat => {
    const c = new Chat(deps);
    c.say({ choiceId: `lang:${lang}` });
    return c;
  };

  it.each(['asdkj qwpeoi zzz', 'xkcd qwerty', 'blabla', 'hhhhhhh jajaja'])('keeps English after nonsense: %s', (text) => {
    const c = chatIn('en');
    c.say('how do I renew my residence card');
    const replies = c.say(text);
    expect(c.state?.lang).toBe('en');
    expect(replies.some((r) => r.text === t('en', 'language.switched'))).toBe(false);
    expect(replies.every((r) => r.lang === 'en')).toBe(true);
    expect(replyOf(replies, 'out-of-scope').text).toBe(t('en', 'oos.text'));
  });

  it('still switches language on real evidence', () => {
    const c = chatIn('en');
    c.say('Je voudrais savoir comment renouveler ma carte de séjour à Rabat');
    expect(c.state?.lang).toBe('fr');
  });

  it('lists no organisations for the weather in a city', () => {
    const c = chatIn('en');
    const replies = c.say('what is the weather in Rabat tomorrow');
    expect(replies.map((r) => r.kind)).toContain('out-of-scope');
    expect(replies.some((r) => r.kind === 'answer')).toBe(false);
  });

  it('still finds help in a city named alone', () => {
    const c = chatIn('en');
    const replies = c.say('I am in Rabat');
    expect(replyOf(replies, 'answer').text).toBeTruthy();
    expect(c.state?.city).toBe('rabat');
  });

  it('does not offer a person for a pizza', () => {
    const c = chatIn('fr');
    const replies = c.say('je veux une pizza');
    expect(replies.map((r) => r.kind)).toContain('out-of-scope');
    expect(c.state?.lastTopic).toBeUndefined();
  });

  it.each([
    ['ar', '3afak msa7 ga3 dakchi li ktebt hna, ma bghitch yb9a 3ndkom'],
    ['ar', 'عافاك امسح ليا كلشي لي كتبت هنا'],
    ['fr', 'pouvez-vous effacer toute notre conversation s il vous plait'],
    ['en', 'kindly wipe all the messages i sent you'],
    ['es', 'borra por favor todos mis mensajes'],
  ] as const)('erases, or asks first, on a polite request (%s): %s', (lang, text) => {
    const c = chatIn(lang);
    c.say(lang === 'ar' ? 'كيفاش نجدد الكارط ديال الإقامة' : 'residence card');
    const turn = c.send(text);
    if (turn.state !== null) {
      expect(turn.replies[0]!.text).toBe(t(lang, 'deleted.confirm'));
      expect(ids(turn.replies[0])[0]).toBe('cmd:delete');
    } else {
      expect(turn.replies[0]!.text).toBe(t(lang, 'deleted.done'));
    }
  });

  it.each([
    'can I delete my data later if I change my mind?',
    'how do I delete my facebook account',
    'forget it, thanks anyway',
    'the police deleted the photos on my phone during the raid',
  ])('never erases without asking: %s', (text) => {
    const c = chatIn('en');
    c.say('residence card');
    expect(c.send(text).state).not.toBeNull();
  });

  it.each([
    ['es', 'me han detenido, ¿qué hago?'],
    ['en', 'the police are breaking our door now'],
    ['fr', 'je saigne beaucoup, aidez moi'],
    ['ar', 'البوليس كيكسرو الباب دابا'],
    ['en', 'dem lock me inside the house and take my passport'],
  ] as const)('puts the urgent block first for an emergency in progress (%s): %s', (lang, text) => {
    const c = chatIn(lang);
    const replies = c.say(text);
    expect(replies[0]!.kind).toBe('urgent');
  });

  it.each([
    ['en', 'they are putting everyone from our street into vans right now'],
    ['fr', 'mon copain me frappe encore ce soir'],
    ['ar', 'wa7d drri sghir bou7do f lmahatta kaybki'],
    ['es', 'mi amigo tomo muchas pastillas y no despierta'],
  ] as const)('puts the urgent block first, however the emergency is worded (%s): %s', (lang, text) => {
    expect(chatIn(lang).say(text)[0]!.kind).toBe('urgent');
  });

  it('puts the urgent block first for a topic of emergency said with a cry for help', () => {
    // No urgency pattern matches; the classifier's topic and "socorro" make it urgent.
    expect(chatIn('es').say('socorro, mi marido otra vez')[0]!.kind).toBe('urgent');
  });

    it('gives bleeding the medical contacts, not those for violence', () => {
    const block = (text: string): string => chatIn('fr').say(text)[0]!.text;
    expect(block('je saigne beaucoup')).toBe(block('mon ami ne respire plus'));
    expect(block('je saigne beaucoup')).not.toBe(block('mon mari me frappe maintenant'));
  });

  it('gives no urgent block to a calm question about a past arrest', () => {
    const replies = chatIn('fr').say('j ai ete arrete l annee derniere, est ce que ca reste dans mon dossier');
    expect(replies.some((r) => r.kind === 'urgent')).toBe(false);
  });

  it('answers bleeding with the emergency numbers, not violence against women', () => {
    const c = chatIn('fr');
    c.say('je saigne beaucoup de la jambe');
    expect(c.state?.lastTopic).not.toBe('gbv-support');
  });

  it('refuses a crime briefly and points other countries to their embassy', () => {
    const c = chatIn('en');
    expect(replyOf(c.say('where can I buy a fake passport'), 'out-of-scope').text).toBe(t('en', 'oos.crime'));
    expect(replyOf(c.say('how do I get a visa for Canada'), 'out-of-scope').text).toBe(t('en', 'oos.otherCountry'));
    const fr = chatIn('fr');
    expect(replyOf(fr.say('je cherche un passeur pour sebta, combien ca coute'), 'out-of-scope').text).toBe(t('fr', 'oos.crime'));
  });

  it('answers the need, not the status, when both are said', () => {
    const c = chatIn('en');
    c.say('I have no papers, can I get vaccines for my baby at the health centre?');
    expect(c.state?.lastTopic).toBe('maternal-child-health');
    const es = chatIn('es');
    es.say('estoy sin papeles, ¿puedo ir al médico del centro de salud?');
    expect(es.state?.lastTopic).toBe('health-care');
  });
});

describe('the confirmation before erasing', () => {
  /** A matcher unsure whether "clear stuff" asks to erase. */
  const unsure = (base: Matcher): Matcher => ({
    detectLanguage: (text) => base.detectLanguage(text),
    match(text, hint): MatchResult {
      if (text === 'clear stuff') return { language: { lang: 'en', confidence: 0.9 }, ranked: [], intent: 'forget-me', confidence: 0.4, ambiguous: false, forget: 'confirm' };
      return base.match(text, hint);
    },
  });
  const start = async (): Promise<Chat> => {
    const d = await makeDeps();
    const c = new Chat({ ...d, matcher: unsure(d.matcher) });
    c.say({ choiceId: 'lang:en' });
    return c;
  };

  it('asks, then erases on "yes"', async () => {
    const c = await start();
    const asked = c.send('clear stuff');
    expect(asked.state).not.toBeNull();
    expect(asked.replies[0]!.text).toBe(t('en', 'deleted.confirm'));
    expect(asked.state?.awaiting).toBe('forget-confirm');
    const done = c.send('yes');
    expect(done.state).toBeNull();
    expect(done.replies[0]!.text).toBe(t('en', 'deleted.done'));
  });

  it('erases on the first choice and keeps everything on "no"', async () => {
    const c = await start();
    c.send('clear stuff');
    expect(c.send('1').state).toBeNull();
    const k = await start();
    k.send('clear stuff');
    const kept = k.send('no');
    expect(kept.state).not.toBeNull();
    expect(kept.replies[0]!.text).toBe(t('en', 'deleted.kept'));
    // "yes" later, to something else, erases nothing.
    expect(k.send('yes').state).not.toBeNull();
  });
});
