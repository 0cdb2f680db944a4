import { describe, expect, it } from 'vitest';
import { LANGS, type Lang } from '../../src/domain/index.js';
import { longDate } from '../../src/engine/index.js';
import { fixtureKb, titleOf } from '../helpers/kb-fixture.js';
import { CAPS, chatIn, ids, loadT, replyOf, QUESTIONS } from './support.js';

const t = await loadT();

const NO_PAPERS: Record<Lang, string> = {
  en: 'What happens if I have no papers',
  fr: 'Que se passe-t-il si je n ai pas de papiers',
  ar: 'ماذا يحدث إذا لم تكن لدي أوراق',
  es: 'Que pasa si no tengo papeles',
};

describe.each(LANGS)('a free-text question in %s', (lang) => {
  it('is answered with title, body, sources, reviewed date, disclaimer and who can help', async () => {
    const chat = await chatIn(lang);
    const replies = chat.say(QUESTIONS[lang]);
    const a = replyOf(replies, 'answer');
    expect(a.lang).toBe(lang);
    expect(a.text.startsWith(`*${titleOf('residence-permit', lang)}*`)).toBe(true);
    expect(a.text).toContain(`Body of residence-permit in ${lang}.`);
    expect(a.text).toContain(t(lang, 'answer.sources', { count: 2, list: 'Loi 02-03, art. 16; DFAE Maroc' }));
    expect(a.text).toContain(t(lang, 'answer.reviewed', { date: longDate('2026-11-28', lang) }));
    expect(a.text).toContain(t(lang, 'answer.disclaimer'));
    // Organisations of the answer, one contact each, marked until a reviewer checks it; an unknown id is skipped.
    const mark = ` (${t(lang, 'trust.notChecked')})`;
    expect(a.text).toContain(t(lang, 'answer.talkTo', { list: `GADEM: +212 537 770 332${mark}; OMDH: https://example.org/omdh${mark}` }));
    expect(a.links).toEqual([{ title: 'DFAE Maroc', url: 'https://example.org/dfae' }]);
    // A reviewer checked this answer: no "not yet checked" line.
    expect(a.text).not.toContain(t(lang, 'trust.answerNotChecked'));
    // Related topics (draft and missing ones left out) as numbered choices.
    expect(ids(a)).toEqual(['topic:irregular-stay', 'topic:regularisation']);
    expect(a.text.endsWith(t(lang, 'related.title'))).toBe(true);
    expect(chat.state?.lastTopic).toBe('residence-permit');
  });

  it('says plainly, up front, that an answer no reviewer checked is not yet checked, and shows no checked date', async () => {
    const chat = await chatIn(lang);
    const a = replyOf(chat.say(NO_PAPERS[lang]), 'answer');
    expect(a.text.split('\n\n')[1]).toBe(t(lang, 'trust.answerNotChecked'));
    expect(a.text).not.toContain(t(lang, 'answer.reviewed', { date: '' }).replace(/\.$/, '').trim());
    expect(a.text).toContain(t(lang, 'answer.sources', { count: 1, list: 'Loi 02-03' }));
  });
});

describe('language fallback', () => {
  it('falls back to French when the English answer is a draft, and says so in one line', async () => {
    const chat = await chatIn('en');
    const a = replyOf(chat.say('Is there a regularisation campaign now'), 'answer');
    expect(a.text.split('\n\n')[0]).toBe(t('en', 'answer.fallback', { language: t('en', 'language.name.fr') }));
    expect(a.text).toContain('Body of regularisation in fr.');
    expect(a.lang).toBe('fr');
    // The footer stays in the user's language.
    expect(a.text).toContain(t('en', 'answer.disclaimer'));
  });

  it('falls back to French for Arabic, then English when there is no French', async () => {
    const chat = await chatIn('ar');
    const a = replyOf(chat.say('هل هناك حملة تسوية الآن'), 'answer');
    expect(a.text).toContain(t('ar', 'answer.fallback', { language: 'الفرنسية' }));
    const kb = fixtureKb((answers) => {
      answers.get('regularisation')!.delete('fr');
      const en = answers.get('regularisation')!.get('en')!;
      answers.get('regularisation')!.set('en', { ...en, status: 'published' });
    });
    const chat2 = await chatIn('es', { kb });
    const b = replyOf(chat2.say({ choiceId: 'topic:regularisation' }), 'answer');
    expect(b.lang).toBe('en');
    expect(b.text).toContain(t('es', 'answer.fallback', { language: 'inglés' }));
  });

  it('never shows a draft: a topic whose answers are all drafts is missing', async () => {
    const chat = await chatIn('fr');
    const r = chat.say({ choiceId: 'full:legal-framework' });
    expect(r.map((x) => x.kind)).toEqual(['notice']);
    expect(r[0]!.text).toBe(t('fr', 'answer.missing'));
    expect(JSON.stringify(r)).not.toContain('Body of legal-framework');
  });
});

describe('feedback', () => {
  it('on button channels asks "was this useful" as its own reply with yes/no buttons', async () => {
    const chat = await chatIn('fr', { capabilities: CAPS.web });
    const replies = chat.say(QUESTIONS.fr);
    const fb = replyOf(replies, 'feedback');
    expect(replies.at(-1)).toBe(fb);
    expect(fb.text).toBe(t('fr', 'feedback.question'));
    expect(fb.choices).toEqual([
      { id: 'fb:yes', label: t('fr', 'feedback.yes') },
      { id: 'fb:no', label: t('fr', 'feedback.no') },
    ]);
    expect(chat.state?.awaiting).toBe('feedback');
    // "1 yes 2 no": the numbers point at the list shown last.
    const out = chat.send('2');
    expect(out.events).toEqual([{ name: 'feedback.received', topic: 'residence-permit', value: 'no' }]);
    expect(out.replies[0]!.text).toBe(t('fr', 'feedback.thanksNo'));
    // Afterwards the numbers point at the related topics again.
    expect(chat.state?.choices.map((c) => c.id)).toEqual(['topic:irregular-stay', 'topic:regularisation']);
    expect(chat.state?.awaiting).toBeUndefined();
  });

  it('accepts a typed yes/no word while waiting for feedback, in every language', async () => {
    for (const [lang, word] of [['en', 'yes'], ['fr', 'oui'], ['ar', 'نعم'], ['es', 'sí']] as const) {
      const chat = await chatIn(lang);
      chat.say(QUESTIONS[lang]);
      const out = chat.send(word);
      expect(out.events, lang).toEqual([{ name: 'feedback.received', topic: 'residence-permit', value: 'yes' }]);
      expect(out.replies[0]!.text).toBe(t(lang, 'feedback.thanks'));
    }
  });

  it('on numbered channels adds the feedback to the same numbered list', async () => {
    const chat = await chatIn('es', { capabilities: CAPS.whatsapp });
    const replies = chat.say(QUESTIONS.es);
    expect(replies.map((r) => r.kind)).toEqual(['answer']);
    expect(ids(replies[0])).toEqual(['topic:irregular-stay', 'topic:regularisation', 'fb:yes', 'fb:no']);
    expect(chat.send('3').events).toEqual([{ name: 'feedback.received', topic: 'residence-permit', value: 'yes' }]);
  });

  it('is not asked on SMS', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    const replies = chat.say(QUESTIONS.en);
    expect(replies.some((r) => r.kind === 'feedback')).toBe(false);
    expect(JSON.stringify(replies)).not.toContain('fb:');
    expect(chat.state?.awaiting).toBeUndefined();
  });
});
