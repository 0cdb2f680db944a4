/**
 * A person behind Dalil, in the engine: consent, intake, routing, the open case's relay, MENU and
 * back, ending it, and what still works during a case (urgent contacts, forget-me, STOP).
 */
import { describe, expect, it } from 'vitest';
import { smsSegments, type Lang, type OpeningHours, type Partner, type Reply } from '../../src/domain/index.js';
import { renderSmsBody } from '../../src/channels/shared/sms.js';
import type { EngineDeps } from '../../src/engine/index.js';
import { fixtureKb } from '../helpers/kb-fixture.js';
import { CAPS, Chat, QUESTIONS, chatIn, ids, makeDeps } from './support.js';

const ALWAYS: OpeningHours = { tz: 'Africa/Casablanca', days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '24:00']]])) };
// The chat's clock starts on Tuesday 2023-11-14 at 22:13 UTC: office hours are closed.
const OFFICE: OpeningHours = { tz: 'Africa/Casablanca', days: { 1: [['09:00', '17:00']], 2: [['09:00', '17:00']], 3: [['09:00', '17:00']], 4: [['09:00', '17:00']], 5: [['09:00', '17:00']] } };

function partner(over: Partial<Partner> = {}): Partner {
  return { id: 'gadem-cases', orgId: 'gadem', topics: [], cities: [], langs: ['fr', 'en', 'ar', 'es'], hours: ALWAYS, active: true, ...over };
}

const REF = 'K7P-4QX';
const withPartner = (over: Partial<EngineDeps> = {}, p: Partner = partner()): Partial<EngineDeps> => ({ partners: [p], caseRef: REF, caseRetentionDays: 30, ...over });
const texts = (replies: Reply[]): string => replies.map((r) => r.text).join('\n\n');

/** A chat in `lang` that asked for a person and consented: now at the first intake question. */
async function consented(lang: Lang = 'en', over: Partial<EngineDeps> = {}, p?: Partner): Promise<Chat> {
  const chat = await chatIn(lang, withPartner(over, p));
  chat.send(QUESTIONS[lang]);
  chat.send({ choiceId: 'cmd:person' });
  chat.send({ choiceId: 'ref:yes' });
  return chat;
}

/** A chat with a case open on the web (every question skipped). */
async function inCase(lang: Lang = 'en', over: Partial<EngineDeps> = {}, p?: Partner): Promise<Chat> {
  const chat = await consented(lang, over, p);
  for (let i = 0; i < 4 && chat.state?.referral; i++) chat.send({ choiceId: 'ref:skip' });
  expect(chat.state?.case?.relay).toBe(true);
  return chat;
}

describe('talk to a person', () => {
  it('without partners lists organisations and numbers, as before', async () => {
    const chat = await chatIn('en');
    chat.send(QUESTIONS.en);
    const turn = chat.send('person');
    expect(texts(turn.replies)).toContain('these organisations can help you');
    expect(chat.state?.referral).toBeUndefined();
    expect(turn.caseOps).toBeUndefined();
  });

  it('without a partner for the topic or city lists organisations, as before', async () => {
    const chat = await chatIn('en', withPartner({}, partner({ topics: ['housing'] })));
    chat.send(QUESTIONS.en);
    expect(texts(chat.say('person'))).toContain('these organisations can help you');
    expect(chat.state?.referral).toBeUndefined();
  });

  it('asks consent naming the organisation, what is shared and for how long', async () => {
    const chat = await chatIn('en', withPartner());
    chat.send(QUESTIONS.en);
    const [consent] = chat.say('i want to talk to a real person');
    expect(consent?.text).toContain('GADEM');
    expect(consent?.text).toContain('topic, city, language and your messages from now on');
    expect(consent?.text).toContain('30 days');
    expect(consent?.text).toContain('stop at any time');
    expect(ids(consent)).toEqual(['ref:yes', 'ref:no']);
    expect(chat.state?.referral).toMatchObject({ step: 'consent', partnerId: 'gadem-cases', intake: { topic: 'residence-permit' } });
  });

  it('no consent, no case: the contacts list as today', async () => {
    const chat = await chatIn('en', withPartner());
    chat.send(QUESTIONS.en);
    chat.send('person');
    const turn = chat.send('no');
    expect(texts(turn.replies)).toContain('Nothing was shared');
    expect(texts(turn.replies)).toContain('these organisations can help you');
    expect(turn.caseOps).toBeUndefined();
    expect(chat.state?.referral).toBeUndefined();
    expect(chat.state?.case).toBeUndefined();
  });

  it('another question instead of yes or no leaves the referral and is answered', async () => {
    const chat = await chatIn('en', withPartner());
    chat.send('person');
    const turn = chat.send(QUESTIONS.en);
    expect(turn.replies[0]?.kind).toBe('answer');
    expect(chat.state?.referral).toBeUndefined();
  });

  it('an answer offers a person when a partner can take it: first for urgent topics', async () => {
    const chat = await chatIn('en', withPartner());
    expect(ids(chat.say(QUESTIONS.en).find((r) => r.kind === 'answer')).slice(-1)).toEqual(['cmd:person']);
    const urgent = chat.say('the police arrested my friend right now');
    expect(urgent[0]?.kind).toBe('urgent');
    expect(ids(urgent.find((r) => r.kind === 'answer'))[0]).toBe('cmd:person');
    const none = await chatIn('en');
    expect(ids(none.say(QUESTIONS.en).find((r) => r.kind === 'answer'))).not.toContain('cmd:person');
  });
});

describe('the intake', () => {
  it('topic pre-filled, city typed, safe to contact: the case opens with its reference', async () => {
    const chat = await consented('en');
    expect(chat.last.replies[0]?.text).toContain('Is it about');
    expect(ids(chat.last.replies[0])).toEqual(['ref:ok', 'ref:skip']);
    chat.send({ choiceId: 'ref:ok' });
    expect(chat.last.replies[0]?.text).toContain('Which city');
    chat.send('oujda');
    expect(chat.last.replies[0]?.text).toContain('safe for GADEM to write to you here');
    const open = chat.send('yes');
    // The web has no phone number: no call back is asked.
    expect(open.caseOps).toEqual([{ op: 'open', ref: REF, partnerId: 'gadem-cases', lang: 'en', intake: { topic: 'residence-permit', city: 'oujda', safeToContact: true } }]);
    const text = texts(open.replies);
    expect(text).toContain(REF);
    expect(text).toContain('MENU');
    expect(text).not.toContain('closed now');
    expect(ids(open.replies[0])).toEqual(['cmd:menu', 'case:end']);
    expect(chat.state?.case).toEqual({ ref: REF, partnerId: 'gadem-cases', relay: true });
    expect(chat.state?.referral).toBeUndefined();
  });

  it('every question skipped (buttons and the word)', async () => {
    const chat = await consented('fr');
    chat.send('passer');
    chat.send({ choiceId: 'ref:skip' });
    const open = chat.send('passer');
    expect(open.caseOps?.[0]).toMatchObject({ op: 'open', intake: {} });
  });

  it('a number off the list asks the question again', async () => {
    const chat = await consented('en');
    const again = chat.send('7');
    expect(again.replies[0]?.text).toContain('Is it about');
    expect(chat.state?.referral?.step).toBe('topic');
  });

  it('a question answered with something else is asked again', async () => {
    const chat = await consented('en');
    chat.send({ choiceId: 'ref:skip' });
    chat.send({ choiceId: 'ref:skip' });
    const again = chat.send('who will win the football match tonight');
    expect(again.replies[0]?.text).toContain('safe for GADEM');
    expect(chat.state?.referral?.step).toBe('safe');
    expect(again.caseOps).toBeUndefined();
  });

  it('a location pin gives the city; the city the conversation knows can be confirmed', async () => {
    const chat = await consented('en', { capabilities: CAPS.telegram });
    chat.send({ choiceId: 'ref:skip' });
    expect(chat.last.replies[0]?.text).toContain('send your location');
    chat.send({ location: { lat: 35.76, lon: -5.83 } });
    chat.send({ choiceId: 'ref:no' });
    expect(chat.last.caseOps?.[0]).toMatchObject({ intake: { city: 'tanger', safeToContact: false } });

    const known = await chatIn('en', withPartner());
    known.send('where can i find help in tangier');
    known.send('person');
    known.send('yes');
    known.send({ choiceId: 'ref:skip' });
    expect(known.last.replies[0]?.text).toContain('Are you in Tangier');
    known.send('1');
    known.send('skip');
    expect(known.last.caseOps?.[0]).toMatchObject({ intake: { city: 'tanger' } });
  });

  it('a case that cannot open (no reference this turn) falls back to the contacts list', async () => {
    const chat = await consented('en', { caseRef: undefined });
    for (let i = 0; i < 3; i++) chat.send({ choiceId: 'ref:skip' });
    expect(chat.last.caseOps).toBeUndefined();
    expect(texts(chat.last.replies)).toContain('these organisations can help you');
    expect(chat.state?.case).toBeUndefined();
  });
});

describe('on SMS', () => {
  for (const lang of ['fr', 'ar'] as const) {
    it(`consent and every numbered question fit the segment budget (${lang})`, async () => {
      // The longest Arabic name of content/organisations.yaml (54 characters).
      const base = fixtureKb();
      const names = { ar: 'المفوضية السامية للأمم المتحدة لشؤون اللاجئين (المغرب)', fr: 'Haut-Commissariat des Nations unies pour les réfugiés (Maroc)', en: 'UNHCR Morocco', es: 'ACNUR Marruecos' };
      const organisations = new Map(base.organisations).set('long', { ...base.organisations.get('gadem')!, id: 'long', name: 'UNHCR (HCR) Morocco', names });
      const kb = { ...base, organisations };
      const chat = await chatIn(lang, withPartner({ capabilities: CAPS.sms, kb }, partner({ orgId: 'long' })));
      chat.send(QUESTIONS[lang]);
      const bodies: string[] = [];
      const fits = (): void => {
        const body = renderSmsBody(chat.last.replies, CAPS.sms);
        bodies.push(body);
        expect(smsSegments(body), body).toBeLessThanOrEqual(CAPS.sms.maxLength);
        expect(chat.state?.pendingPages).toBeUndefined();
      };
      chat.send('person');
      fits();
      expect(bodies[0]).toContain('1. ');
      chat.send('1');
      fits();
      expect(bodies[1]).toMatch(/^\(1\/4\)/);
      chat.send('1');
      fits();
      expect(bodies[2]).toMatch(/^\(2\/4\)/);
      chat.send('1');
      fits();
      expect(bodies[3]).toMatch(/^\(3\/4\)/);
      chat.send('1');
      fits();
      expect(bodies[4]).toMatch(/^\(4\/4\)/);
      chat.send('1');
      fits();
      expect(chat.last.caseOps?.[0]).toMatchObject({ op: 'open', intake: { topic: 'residence-permit', safeToContact: true, callback: true } });
      expect(bodies[5]).toContain(REF);
    });
  }

  it('the user is acknowledged once; typed numbers go to the case worker', async () => {
    const chat = await inCase('fr', { capabilities: CAPS.sms });
    const first = chat.send('mon patron ne me paie pas');
    expect(first.caseOps).toEqual([{ op: 'relay', ref: REF }]);
    expect(first.replies).toHaveLength(1);
    const second = chat.send('depuis 3 mois');
    expect(second.caseOps).toEqual([{ op: 'relay', ref: REF }]);
    expect(second.replies).toEqual([]);
    expect(chat.send('2').caseOps).toEqual([{ op: 'relay', ref: REF }]);
  });

  it('STOP during a case: silence, nothing relayed, the case kept for START', async () => {
    const chat = await inCase('fr', { capabilities: CAPS.sms });
    const stop = chat.send('STOP');
    expect(stop.replies).toEqual([]);
    expect(stop.caseOps).toBeUndefined();
    expect(chat.state?.stopped).toBe(true);
    expect(chat.send('bonjour').caseOps).toBeUndefined();
    expect(chat.state?.case?.ref).toBe(REF);
  });
});

describe('routing to a closed partner', () => {
  it('says when someone will read the message', async () => {
    const chat = await inCase('en', {}, partner({ hours: OFFICE }));
    const text = texts(chat.last.replies);
    expect(text).toContain('GADEM is closed now: someone will read your message from Wednesday 15 November at 09:00');
    expect(text).not.toContain('If you are in danger now');
  });

  it('and gives the emergency numbers when the topic is urgent', async () => {
    const chat = await chatIn('en', withPartner({}, partner({ hours: OFFICE })));
    chat.send('the police arrested my friend right now');
    chat.send('person');
    chat.send('yes');
    chat.send('yes');
    chat.send('skip');
    chat.send('skip');
    expect(chat.last.caseOps?.[0]).toMatchObject({ op: 'open', urgency: 'arrest', intake: { topic: 'police-stop-arrest' } });
    expect(texts(chat.last.replies)).toContain('If you are in danger now, call:');
  });

  it('prefers an open partner to a closed one', async () => {
    const deps = await makeDeps({ partners: [partner({ id: 'closed', hours: OFFICE }), partner({ id: 'open', orgId: 'omdh' })], caseRef: REF });
    const chat = new Chat(deps);
    chat.send({ choiceId: 'lang:en' });
    chat.send('person');
    expect(chat.state?.referral?.partnerId).toBe('open');
  });
});

describe('an open case', () => {
  it('relays what the user writes, with a short acknowledgement', async () => {
    const chat = await inCase('en');
    const turn = chat.send('my landlord keeps my passport');
    expect(turn.caseOps).toEqual([{ op: 'relay', ref: REF }]);
    expect(turn.replies.map((r) => r.text)).toEqual(['Sent to GADEM.']);
    // A question the bot could answer goes to the case worker too.
    expect(chat.send(QUESTIONS.en).caseOps).toEqual([{ op: 'relay', ref: REF }]);
  });

  it('MENU goes back to the bot, the case stays open; the home menu leads back to it', async () => {
    const chat = await inCase('en');
    const menu = chat.send('MENU');
    expect(menu.caseOps).toBeUndefined();
    expect(chat.state?.case).toMatchObject({ ref: REF, relay: false });
    expect(menu.replies[0]?.choices?.[0]).toEqual({ id: 'case:resume', label: 'Back to my conversation with GADEM' });
    // The bot answers again.
    const answer = chat.send(QUESTIONS.en);
    expect(answer.caseOps).toBeUndefined();
    expect(answer.replies[0]?.kind).toBe('answer');
    const back = chat.send({ choiceId: 'case:resume' });
    expect(back.replies[0]?.text).toContain(REF);
    expect(chat.state?.case?.relay).toBe(true);
    expect(chat.send('thanks for your help').caseOps).toEqual([{ op: 'relay', ref: REF }]);
  });

  it('0 and "talk to a person" also lead out and back', async () => {
    const chat = await inCase('en');
    chat.send('0');
    expect(chat.state?.case?.relay).toBe(false);
    chat.send('person');
    expect(chat.state?.case?.relay).toBe(true);
    expect(chat.state?.referral).toBeUndefined();
  });

  it('urgent messages get the emergency contacts first and still reach the case worker', async () => {
    const chat = await inCase('en');
    const turn = chat.send('the police arrested my friend right now');
    expect(turn.replies[0]?.kind).toBe('urgent');
    expect(turn.meta.urgency).toBe('arrest');
    expect(turn.caseOps).toEqual([{ op: 'relay', ref: REF }]);
  });

  it('the user ends it after a confirmation; "no" keeps it', async () => {
    const chat = await inCase('fr');
    const ask = chat.send('fin');
    expect(ask.caseOps).toBeUndefined();
    expect(ids(ask.replies[0])).toEqual(['case:close', 'case:resume']);
    chat.send('non');
    expect(chat.state?.case?.relay).toBe(true);
    chat.send('fin');
    const end = chat.send('oui');
    expect(end.caseOps).toEqual([{ op: 'close-by-user', ref: REF }]);
    expect(chat.state?.case).toBeUndefined();
    expect(end.replies.at(-1)?.kind).toBe('menu');
    expect(ids(end.replies.at(-1))).not.toContain('case:resume');
  });

  it('forget-me during a case erases the conversation', async () => {
    const chat = await inCase('en');
    const turn = chat.send('delete');
    expect(turn.state).toBeNull();
    const plain = await inCase('en');
    expect(plain.send('please erase everything about me').state).toBeNull();
  });

  it('a stale case button without a case is stale', async () => {
    const chat = await chatIn('en', withPartner());
    expect(chat.send({ choiceId: 'case:resume' }).meta.intent).toBe('stale');
  });
});
