/**
 * The SMS channel's fitter: engine turns fitted to the segment budget (short forms, pages behind
 * MORE, GSM-7 folding), through the same fitter the conversation service runs for SMS.
 */
import { describe, expect, it } from 'vitest';
import { smsEncoding, smsSegments } from '../../src/domain/index.js';
import { gsmFold } from '../../src/domain/index.js';
import { paginate } from '../../src/channels/shared/sms.js';
import { fixtureKb } from '../helpers/kb-fixture.js';
import { CAPS, chatIn, loadT, replyOf, QUESTIONS } from '../engine/support.js';

const t = await loadT();

describe('gsmFold', () => {
  it('gsmFold makes Latin text GSM-7 and leaves Arabic alone', () => {
    expect(gsmFold('Información jurídica – ça marche ’ok’ œuvre')).toBe("Informacion juridica - ca marche 'ok' oeuvre");
    expect(smsEncoding(gsmFold('Vous êtes où ? Répondez à l’appel'))).toBe('GSM-7');
    expect(gsmFold('Répondez PLUS')).toBe('Répondez PLUS');
    expect(gsmFold('مرحبًا ça')).toBe('مرحبًا ça');
  });
});

describe('paginate', () => {
  const text = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1}. ${'Words in a sentence. '.repeat(6)}`).join('\n\n');

  it('keeps every page within the budget with the hint, and loses no word', () => {
    const hint = 'Reply MORE for the rest.';
    for (const budget of [1, 2, 3, 5]) {
      const pages = paginate(text, budget, hint);
      expect(pages.length).toBeGreaterThan(1);
      for (const p of pages) expect(smsSegments(`${p}\n\n${hint}`), `budget ${budget}`).toBeLessThanOrEqual(budget);
      expect(pages.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it('returns the text whole when it fits with its choices', () => {
    expect(paginate('short', 1, 'hint', '1. a\n2. b')).toEqual(['short']);
  });

  it('counts Arabic in UCS-2 segments', () => {
    const ar = 'هذا نص عربي طويل. '.repeat(40);
    const pages = paginate(ar, 2, 'أرسل «المزيد» لقراءة الباقي.');
    for (const p of pages) expect(smsSegments(`${p}\n\nأرسل «المزيد» لقراءة الباقي.`)).toBeLessThanOrEqual(2);
  });
});

describe('SMS fitting of engine turns', () => {
  it('sends the short form with a short footer, GSM-7, and offers the full answer as choice 1', async () => {
    const chat = await chatIn('fr', { capabilities: CAPS.sms });
    const a = replyOf(chat.say(QUESTIONS.fr), 'answer');
    expect(a.text).toContain('Short answer residence-permit fr. Reply 1 for more.');
    expect(a.text).toContain('Verifie le 28/11/2026');
    expect(chat.state?.pendingPages?.length, 'the full answer waits behind MORE').toBeGreaterThan(0);
    expect(smsEncoding(a.text)).toBe('GSM-7');
    expect(a.choices?.[0]).toEqual({ id: 'full:residence-permit', label: 'Réponse complète' });
    expect(smsSegments(a.text)).toBeLessThanOrEqual(3);
  });

  it('keeps accents the GSM alphabet has and folds the others (Spanish)', async () => {
    const chat = await chatIn('es', { capabilities: CAPS.sms });
    const r = chat.say('42');
    expect(r[0]!.text).toContain('Por favor, elige un numero de la lista.');
    expect(smsEncoding(r[0]!.text)).toBe('GSM-7');
  });

  it('keeps native spellings when the SMS needs UCS-2 anyway (the language choice holds Arabic)', async () => {
    const chat = await chatIn('fr', { capabilities: CAPS.sms });
    const r = chat.say('LANGUE');
    expect(r[0]!.choices?.map((c) => c.label)).toEqual(['Français', 'English', 'العربية', 'Español']);
  });

  it('pages a long full answer behind MORE / PLUS / المزيد / MAS, each page within the budget', async () => {
    for (const [lang, more] of [['en', 'MORE'], ['fr', 'plus'], ['ar', 'المزيد'], ['es', 'MAS']] as const) {
      const chat = await chatIn(lang, { capabilities: CAPS.sms });
      chat.say({ choiceId: 'topic:asylum-register' });
      const first = chat.say('1');
      expect(first[0]!.text.endsWith(gsmFold(t(lang, 'paging.more')))).toBe(true);
      const pages = [first[0]!.text];
      const pending = chat.state?.pendingPages?.length ?? 0;
      expect(pending, lang).toBeGreaterThan(0);
      for (let i = 0; i < pending; i++) pages.push(chat.say(more)[0]!.text);
      for (const p of pages) expect(smsSegments(p), `${lang}: ${p}`).toBeLessThanOrEqual(3);
      const all = pages.join(' ');
      for (let n = 1; n <= 8; n++) expect(all, lang).toContain(`Paragraph ${n} of the asylum answer in ${lang}.`);
      // The whole turn is paged: the answer's disclaimer, then what followed it.
      expect(all).toContain(gsmFold(t(lang, 'answer.disclaimer')));
      expect(chat.state?.pendingPages).toBeUndefined();
      expect(chat.say(more)[0]!.text).toBe(gsmFold(t(lang, 'paging.none')));
    }
  });

  it('keeps the full answer behind MORE after a short answer', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    const short = replyOf(chat.say({ choiceId: 'topic:asylum-register' }), 'answer');
    expect(short.text).not.toContain('Paragraph 1');
    expect(short.text).not.toContain(t('en', 'paging.more'));
    const next = chat.say('MORE')[0]!;
    expect(next.text.startsWith('asylum-register [en]')).toBe(true);
    expect(next.text).toContain('Paragraph 1 of the asylum answer');
    expect(smsSegments(next.text)).toBeLessThanOrEqual(3);
  });

  it('never pages a short answer: it drops related topics to fit, keeping "full answer"', async () => {
    const kb = fixtureKb((answers) => {
      const a = answers.get('residence-permit')!.get('fr')!;
      answers.get('residence-permit')!.set('fr', { ...a, sms: 'Carte de sejour obligatoire des 18 ans. '.repeat(9).trim() });
    });
    const chat = await chatIn('fr', { kb, capabilities: CAPS.sms });
    const a = replyOf(chat.say(QUESTIONS.fr), 'answer');
    expect(a.text).toContain('Verifie le 28/11/2026');
    expect(a.text).not.toContain(gsmFold(t('fr', 'paging.more')));
    expect(a.choices?.map((c) => c.id)).toEqual(['full:residence-permit']);
    expect(chat.state?.choices.map((c) => c.id)).toEqual(['full:residence-permit']);
  });

  it('says "not yet checked" in the short footer of an unreviewed answer, and keeps "1" working when no choice fits', async () => {
    const kb = fixtureKb((answers) => {
      const a = answers.get('irregular-stay')!.get('ar')!;
      answers.get('irregular-stay')!.set('ar', { ...a, sms: 'بدون أوراق، يمكن أن تواجه غرامة أو السجن حسب القانون 02-03. اطلب المساعدة من منظمة. أرسل 1 للمزيد.'.slice(0, 134) });
    });
    const chat = await chatIn('ar', { kb, capabilities: CAPS.sms });
    const a = replyOf(chat.say({ choiceId: 'topic:irregular-stay' }), 'answer');
    expect(a.text).toContain(t('ar', 'trust.smsFooterNotChecked'));
    expect(a.text).not.toContain('28/11/2026');
    expect(smsSegments(a.text)).toBeLessThanOrEqual(3);
    expect(chat.say('1')[0]!.text).toContain('بدون أوراق');
  });

  it('drops pending pages when the user moves on', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    chat.say({ choiceId: 'full:asylum-register' });
    expect(chat.state?.pendingPages?.length).toBeGreaterThan(0);
    chat.say('0');
    expect(chat.state?.pendingPages).toBeUndefined();
    chat.say({ choiceId: 'topic:residence-permit' });
    expect(chat.state?.pendingPages?.length).toBeGreaterThan(0);
    chat.say('BACK');
    expect(chat.state?.pendingPages).toBeUndefined();
  });
});
