import { describe, expect, it } from 'vitest';
import { CATEGORIES, LANGS } from '../../src/domain/index.js';
import { handleTurn } from '../../src/engine/index.js';
import { fixtureKb, titleOf } from '../helpers/kb-fixture.js';
import { CAPS, Chat, chatIn, ids, loadT, makeDeps, QUESTIONS, replyOf } from './support.js';

const t = await loadT();
const BACK = { fr: 'RETOUR', en: 'back', ar: 'رجوع', es: 'Volver' } as const;
/** Categories with at least one answer in the fixture ('leaving' has none). */
const SHOWN = CATEGORIES.filter((c) => c !== 'leaving');

describe.each(LANGS)('menu navigation in %s', (lang) => {
  it('goes home -> category -> topic by number, then BACK to the category and 0 home', async () => {
    const chat = await chatIn(lang);
    const home = chat.last.replies.at(-1)!;
    expect(ids(home)).toEqual(SHOWN.map((c) => `cat:${c}`));
    expect(home.choices?.map((c) => c.label)).toEqual(SHOWN.map((c) => t(lang, `categories.${c}.name`)));

    for (const c of SHOWN) expect(t(lang, `categories.${c}.title`).startsWith(t(lang, `categories.${c}.name`))).toBe(true);
    const cat = chat.say('1');
    expect(cat).toHaveLength(1);
    expect(cat[0]).toMatchObject({ kind: 'menu', text: t(lang, 'categories.papers.title'), lang });
    // legal-framework is a draft in every language: never offered.
    expect(ids(cat[0])).toEqual(['topic:residence-permit', 'topic:irregular-stay', 'topic:regularisation']);
    expect(cat[0]!.choices?.[0]?.label).toBe(titleOf('residence-permit', lang));
    expect(chat.state?.menuPath).toEqual(['papers']);

    const answer = chat.say('1');
    expect(answer[0]).toMatchObject({ kind: 'answer', lang });
    expect(answer[0]!.text).toContain(titleOf('residence-permit', lang));
    expect(chat.state).toMatchObject({ menuPath: ['papers', 'residence-permit'], lastTopic: 'residence-permit' });

    const back = chat.say(BACK[lang]);
    expect(back[0]).toMatchObject({ kind: 'menu', text: t(lang, 'categories.papers.title') });
    expect(chat.state?.menuPath).toEqual(['papers']);

    const back2 = chat.say(BACK[lang]);
    expect(back2[0]).toMatchObject({ kind: 'menu', text: t(lang, 'menu.title') });
    expect(chat.state?.menuPath).toEqual([]);

    chat.say('9');
    expect(chat.state?.menuPath).toEqual(['help']);
    const zero = chat.say('0');
    expect(zero[0]!.text).toBe(t(lang, 'menu.title'));
    expect(ids(zero[0])).toEqual(SHOWN.map((c) => `cat:${c}`));
  });

  it('answers a stale number with "please choose a number from the list" and the current list', async () => {
    const chat = await chatIn(lang);
    chat.say('1');
    const before = chat.state?.choices;
    const stale = chat.say('42');
    expect(stale).toHaveLength(1);
    expect(stale[0]!.kind).toBe('menu');
    expect(stale[0]!.text).toContain(t(lang, 'menu.stale'));
    expect(stale[0]!.choices).toEqual(before);
    expect(chat.state?.choices).toEqual(before);
  });
});

describe('choices', () => {
  it('map a typed number back to the list shown last, on a numbered channel too', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    chat.say('2'); // asylum
    expect(chat.state?.choices.map((c) => c.id)).toEqual(['topic:asylum-register']);
    expect(chat.say('1')[0]!.kind).toBe('answer');
    expect(chat.state?.lastTopic).toBe('asylum-register');
  });

  it('accept Arabic-Indic digits and "2." forms', async () => {
    const chat = await chatIn('ar');
    expect(chat.say('١')[0]!.text).toBe(t('ar', 'categories.papers.title'));
    expect(chat.say('2.')[0]!.text).toContain(titleOf('irregular-stay', 'ar'));
  });

  it('take button presses by id, even from an older message', async () => {
    const chat = await chatIn('fr');
    chat.say('1');
    const r = chat.say({ choiceId: 'cat:health' });
    expect(r[0]!.text).toBe(t('fr', 'categories.health.title'));
    expect(chat.say({ choiceId: 'topic:residence-permit' })[0]!.text).toContain('Carte de séjour');
    expect(chat.say({ choiceId: 'cmd:menu' })[0]!.text).toBe(t('fr', 'menu.title'));
  });

  it('answer unknown or malformed choice ids politely, without throwing', async () => {
    const chat = await chatIn('es');
    for (const id of ['cat:nope', 'topic:legal-framework', 'topic:', 'zzz', 'lang:de', 'fb:maybe', 'cmd:rm -rf', ':', 'full:nope']) {
      const r = chat.say({ choiceId: id });
      expect(r, id).toHaveLength(1);
      expect(r[0]!.text, id).toContain(t('es', 'menu.stale'));
      expect(r[0]!.choices?.length, id).toBeGreaterThan(0);
    }
  });

  it('shows the home menu when a stale number comes with no list at all', async () => {
    const deps = await makeDeps();
    const state = handleTurn({ channel: 'web', choiceId: 'lang:en', receivedAt: 1 }, undefined, deps).state!;
    const r = handleTurn({ channel: 'web', text: '7', receivedAt: 2 }, { ...state, choices: [] }, deps);
    expect(r.replies[0]!.text).toContain(t('en', 'menu.stale'));
    expect(ids(r.replies[0])).toEqual(SHOWN.map((c) => `cat:${c}`));
  });

  it('hide a category with no answer and say so when one is chosen by id', async () => {
    const chat = await chatIn('en');
    expect(ids(chat.last.replies.at(-1))).not.toContain('cat:leaving');
    const r = chat.say({ choiceId: 'cat:leaving' });
    expect(r.map((x) => x.kind)).toEqual(['notice', 'menu']);
    expect(r[0]!.text).toBe(t('en', 'menu.empty'));
  });

  it('keep choice ids within 64 bytes', async () => {
    const chat = await chatIn('ar');
    for (const input of ['1', '0', '3', '1', '0', '9']) {
      for (const r of chat.say(input)) for (const c of r.choices ?? []) expect(Buffer.byteLength(c.id)).toBeLessThanOrEqual(64);
    }
  });

  it('update turns and updatedAt from the message time', async () => {
    const chat = new Chat(await makeDeps());
    chat.send('hello');
    chat.send('1');
    const before = chat.state!;
    chat.send('1');
    expect(chat.state!.turns).toBe(3);
    expect(chat.state!.updatedAt).toBeGreaterThan(before.updatedAt);
    expect(chat.state!.createdAt).toBe(before.createdAt);
  });

  it('does not mutate the state it was given', async () => {
    const deps = await makeDeps();
    const state = handleTurn({ channel: 'web', choiceId: 'lang:en', receivedAt: 1 }, undefined, deps).state!;
    const frozen = structuredClone(state);
    handleTurn({ channel: 'web', text: '1', receivedAt: 2 }, state, deps);
    expect(state).toEqual(frozen);
  });
});

describe('short labels of topics', () => {
  /** The fixture with a short label on every answer but the regularisation ones (title shown instead). */
  const labelled = (): ReturnType<typeof fixtureKb> =>
    fixtureKb((answers) => {
      for (const [topic, byLang] of answers) {
        if (topic === 'regularisation') continue;
        for (const [lang, a] of byLang) byLang.set(lang, { ...a, label: `${topic.slice(0, 12)} ${lang}` });
      }
    });
  const AMBIGUOUS = { en: 'problem with my papers', fr: 'probleme avec mes papiers', ar: 'مشكلة في أوراقي', es: 'problema con mis papeles' } as const;

  it.each(LANGS)('are what menus, related topics and did-you-mean show in %s; the title where there is none', async (lang) => {
    const chat = await chatIn(lang, { kb: labelled() });
    // Regularisation has no label, and is published in French only: its French title stands in.
    const reg = titleOf('regularisation', 'fr');
    const cat = chat.say({ choiceId: 'cat:papers' })[0]!;
    expect(cat.choices?.map((c) => c.label)).toEqual([`residence-pe ${lang}`, `irregular-st ${lang}`, reg]);

    // The answer itself keeps its full title; its related topics use their labels.
    const replies = chat.say(QUESTIONS[lang]);
    const answer = replyOf(replies, 'answer');
    expect(answer.text.startsWith(`*${titleOf('residence-permit', lang)}*`)).toBe(true);
    expect(answer.choices?.map((c) => c.label)).toEqual([`irregular-st ${lang}`, reg]);

    const dym = chat.say(AMBIGUOUS[lang])[0]!;
    expect(dym.kind).toBe('did-you-mean');
    expect(dym.choices?.map((c) => c.label)).toEqual([`residence-pe ${lang}`, `irregular-st ${lang}`, reg]);
  });
});
