import { describe, expect, it } from 'vitest';
import { LANGS, type Lang, type Organisation } from '../../src/domain/index.js';
import { fixtureKb, titleOf } from '../helpers/kb-fixture.js';
import { CAPS, Chat, chatIn, ids, loadT, replyOf } from './support.js';

const t = await loadT();

const AMBIGUOUS: Record<Lang, string> = { en: 'problem with my papers', fr: 'probleme avec mes papiers', ar: 'مشكلة في أوراقي', es: 'problema con mis papeles' };
const FOOTBALL: Record<Lang, string> = {
  en: 'who will win the football match tonight',
  fr: 'qui va gagner le match de foot ce soir',
  ar: 'من سيفوز في مباراة كرة القدم الليلة',
  es: 'quien va a ganar el partido de futbol esta noche',
};
const ARREST: Record<Lang, string> = {
  en: 'the police arrested my friend right now',
  fr: 'la police a arrete mon ami maintenant',
  ar: 'الشرطة اعتقلت صديقي الآن',
  es: 'la policia ha detenido a mi amigo ahora',
};
const HELP_TANGER: Record<Lang, string> = {
  en: 'where can i find help in tangier',
  fr: 'ou trouver de l aide a tanger',
  ar: 'أين أجد المساعدة في طنجة',
  es: 'donde encuentro ayuda en tanger',
};
const TANGER: Record<Lang, string> = { en: 'Tangier', fr: 'Tanger', ar: 'طنجة', es: 'Tánger' };

describe.each(LANGS)('understanding free text in %s', (lang) => {
  it('asks "did you mean" with up to 3 numbered topics', async () => {
    const chat = await chatIn(lang);
    const r = chat.say(AMBIGUOUS[lang]);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ kind: 'did-you-mean', text: t(lang, 'dym.text'), lang });
    expect(ids(r[0])).toEqual(['topic:residence-permit', 'topic:irregular-stay', 'topic:regularisation']);
    expect(r[0]!.choices?.[1]?.label).toBe(titleOf('irregular-stay', lang));
    const picked = chat.say('2');
    expect(replyOf(picked, 'answer').text).toContain(titleOf('irregular-stay', lang));
  });

  it('answers out-of-scope politely with the menu, find-help and emergency numbers', async () => {
    const chat = await chatIn(lang);
    const r = chat.say(FOOTBALL[lang]);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ kind: 'out-of-scope', text: t(lang, 'oos.text'), lang });
    expect(ids(r[0])).toEqual(['cmd:menu', 'topic:find-help', 'topic:emergency-numbers']);
    expect(chat.say('1')[0]!.text).toBe(t(lang, 'menu.title'));
  });

  it('puts the emergency contacts from the knowledge base first when the message is urgent', async () => {
    const chat = await chatIn(lang);
    const r = chat.say(ARREST[lang]);
    expect(r.map((x) => x.kind)).toEqual(['urgent', 'answer', 'feedback']);
    const urgent = r[0]!;
    expect(urgent.text.startsWith(`*${t(lang, 'urgent.header')}*`)).toBe(true);
    // Only contacts chosen for an arrest, with a number, in the user's language, never the police;
    // the one no reviewer has checked says so.
    const unhcr = { fr: 'HCR', en: 'UNHCR', ar: 'المفوضية', es: 'ACNUR' }[lang];
    expect(urgent.text.split('\n').slice(1)).toEqual([`- ${unhcr}: +212 666 58 43 61`, `- Legal aid: +212 5 37 80 54 35 (${t(lang, 'trust.notChecked')})`]);
    expect(urgent.text).not.toMatch(/Police|Gendarmerie|\b19\b|\b177\b/);
    expect(r[1]!.text).toContain(titleOf('police-stop-arrest', lang));
  });

  it('lists the organisations of a named city with the national ones', async () => {
    const chat = await chatIn(lang);
    const r = chat.say(HELP_TANGER[lang]);
    expect(r).toHaveLength(1);
    const text = r[0]!.text;
    expect(text).toContain(t(lang, 'findHelp.title', { city: TANGER[lang] }));
    expect(text).toContain(t(lang, 'findHelp.count', { count: 3 }));
    expect(text).toContain('*OMDH*');
    // A local organisation with no vouched-for contact is still named: knowing it works here helps.
    expect(text).toContain('*Nocontact*');
    expect(text).toContain('*Caritas*');
    expect(text).toContain(`${t(lang, 'contact.email')}: caritas@example.org`);
    expect(text).toContain(t(lang, 'findHelp.national'));
    // Names in the user's language, and each contact nobody has checked says so.
    expect(text).toContain(`*${{ fr: 'HCR', en: 'UNHCR', ar: 'المفوضية', es: 'ACNUR' }[lang]}*`);
    expect(text).toContain(`caritas@example.org (${t(lang, 'trust.notChecked')})`);
    // Descriptions in the user's language; no emergency service, no Rabat-only one.
    expect(text).toContain({ fr: 'OMDH aide les personnes migrantes.', en: 'OMDH helps migrants.', ar: 'OMDH تساعد المهاجرين.', es: 'OMDH ayuda a las personas migrantes.' }[lang]);
    expect(text).not.toMatch(/Police|GADEM/);
    expect(chat.state).toMatchObject({ city: 'tanger', lastTopic: 'find-help' });
  });
});

describe('did you mean', () => {
  it('offers only candidates with some confidence', async () => {
    const chat = await chatIn('en');
    const r = chat.say('Which law protects me or my work papers');
    expect(ids(r[0])).toEqual(['topic:work-permit', 'topic:residence-permit']);
  });

  it('shows the menu for a vague greeting-like message (first contact: after the welcome)', async () => {
    const chat = new Chat((await chatIn('en')).deps);
    const r = chat.say('Hola necesito informacion sobre mis derechos');
    expect(r.map((x) => x.kind)).toEqual(['notice', 'menu']);
    expect(r[1]).toMatchObject({ text: t('es', 'menu.title'), lang: 'es' });
    expect(chat.state).toMatchObject({ lang: 'es', langConfirmed: true });
  });
});

describe('language switch', () => {
  it('switches to the language of a 3+ word message detected with high confidence, and says so', async () => {
    const chat = await chatIn('en');
    const r = chat.say('Je voudrais savoir comment avoir la carte de sejour');
    expect(r[0]).toMatchObject({ kind: 'notice', text: t('fr', 'language.switched'), lang: 'fr' });
    expect(replyOf(r, 'answer').text).toContain('Carte de séjour');
    expect(chat.state).toMatchObject({ lang: 'fr', langConfirmed: true });
  });

  it('does not switch on a short message', async () => {
    const chat = await chatIn('en');
    const r = chat.say('carte sejour');
    expect(r.map((x) => x.kind)).not.toContain('notice');
    expect(chat.state?.lang).toBe('en');
    expect(replyOf(r, 'answer').text).toContain('Residence card');
  });

  it('changes language when asked in words with a language name, or asks which one', async () => {
    const chat = await chatIn('en');
    const r = chat.say('Can you speak Spanish');
    expect(chat.state?.lang).toBe('es');
    expect(r[0]!.text).toBe(t('es', 'language.changed'));
    const chat2 = await chatIn('en');
    expect(chat2.say('I want another language')[0]!.kind).toBe('language-choice');
  });
});

describe('conversational intents', () => {
  it('greeting -> a short hello with the menu', async () => {
    const chat = await chatIn('ar');
    const r = chat.say('السلام عليكم');
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toBe(`${t('ar', 'welcome.hello')}\n\n${t('ar', 'menu.title')}`);
    expect(ids(r[0])[0]).toBe('cat:papers');
  });

  it('thanks, goodbye and menu', async () => {
    const chat = await chatIn('en');
    expect(chat.say('thank you so much')[0]!.text).toBe(t('en', 'smalltalk.thanks'));
    expect(chat.say('bye see you')[0]!.text).toBe(t('en', 'smalltalk.goodbye'));
    expect(chat.say('show me the menu please')[0]!.text).toBe(t('en', 'menu.title'));
  });

  it('forget-me from free text deletes the state', async () => {
    const chat = await chatIn('en');
    const out = chat.send('please erase everything about me');
    expect(out.state).toBeNull();
    expect(out.replies[0]!.text).toBe(t('en', 'deleted.done'));
  });
});

describe('urgent triage', () => {
  it('takes the numbers from the knowledge base, never from code', async () => {
    const kb = fixtureKb();
    const orgs = new Map(kb.organisations);
    orgs.set('legal-aid', { ...(orgs.get('legal-aid') as Organisation), contacts: [{ kind: 'phone', value: '0000-TEST' }] });
    const chat = await chatIn('fr', { kb: { ...kb, organisations: orgs } });
    const urgent = replyOf(chat.say(ARREST.fr), 'urgent');
    expect(urgent.text).toContain('Legal aid: 0000-TEST');
    expect(urgent.text).not.toContain('80 54 35');
  });

  it('never sends someone arrested to the police, even when the police list arrests', async () => {
    const kb = fixtureKb();
    const orgs = new Map(kb.organisations);
    orgs.set('police', { ...(orgs.get('police') as Organisation), urgency: ['arrest', 'violence'] });
    const chat = await chatIn('en', { kb: { ...kb, organisations: orgs } });
    expect(replyOf(chat.say(ARREST.en), 'urgent').text).not.toContain('Police');
  });

  it('does not repeat a number already in the organisation name, and leaves the police out of "talk to a person"', async () => {
    const kb = fixtureKb();
    const orgs = new Map(kb.organisations);
    orgs.set('civil-protection', { ...(orgs.get('civil-protection') as Organisation), name: 'Protection civile (15)' });
    const chat = await chatIn('en', { kb: { ...kb, organisations: orgs } });
    const person = chat.say('PERSON')[0]!.text;
    expect(person).toContain('Protection civile (15)');
    expect(person).not.toContain('(15): 15');
    expect(person).not.toMatch(/Police|Gendarmerie/);
  });

  it('a child alone: the child line first, then the unaccompanied-minors answer', async () => {
    const chat = await chatIn('en');
    const r = chat.say('There is a small child alone in the street crying');
    expect(r[0]!.kind).toBe('urgent');
    expect(r[0]!.text.split('\n')[1]).toBe(`- Allo 2511 (${t('en', 'trust.notChecked')})`);
    expect(replyOf(r, 'answer').text).toContain(titleOf('unaccompanied-minors', 'en'));
  });

  it('comes before the privacy notice at first contact', async () => {
    const chat = new Chat((await chatIn('en')).deps);
    const r = chat.say(ARREST.es);
    expect(r.map((x) => x.kind)).toEqual(['urgent', 'notice', 'answer', 'feedback']);
  });

  it('still tells the user to call for help when the knowledge base lists no emergency contact', async () => {
    const chat = await chatIn('ar', { kb: { ...fixtureKb(), organisations: new Map() } });
    const r = chat.say(ARREST.ar);
    expect(r[0]).toMatchObject({ kind: 'urgent', text: t('ar', 'urgent.none') });
  });
});

describe('find-help', () => {
  it('asks for the city (or the location where the channel can share it), then lists it', async () => {
    const web = await chatIn('en', { capabilities: CAPS.web });
    expect(web.say('Where can I find help')[0]!.text).toBe(t('en', 'findHelp.askText'));
    const tg = await chatIn('en', { capabilities: CAPS.telegram });
    expect(tg.say('Where can I find help')[0]!.text).toBe(t('en', 'findHelp.ask'));
    // The next message's city is found by the matcher.
    const r = tg.say('Oujda');
    expect(r[0]!.text).toContain(t('en', 'findHelp.title', { city: 'Oujda' }));
    expect(r[0]!.text).toContain('OMDH');
    expect(tg.state?.city).toBe('oujda');
  });

  it('reads a short message naming a city as a find-help request when the matcher is unsure', async () => {
    const chat = await chatIn('fr');
    const r = chat.say('je suis a tanger');
    expect(r[0]!.text).toContain(t('fr', 'findHelp.title', { city: 'Tanger' }));
    expect(chat.state?.lastTopic).toBe('find-help');
  });

  it('after "send your city", a city with a confident other intent still means find-help; otherwise the topic wins', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.telegram });
    chat.say('Where can I find help');
    expect(chat.say('Casablanca residence card')[0]!.text).toContain(t('en', 'findHelp.title', { city: 'Casablanca' }));
    const other = await chatIn('en');
    const r = other.say('Casablanca residence card');
    expect(replyOf(r, 'answer').text).toContain('Residence card');
    expect(other.state?.city).toBe('casablanca');
  });

  it('uses the remembered city from the menu', async () => {
    const chat = await chatIn('fr');
    chat.say('ou trouver de l aide a tanger');
    chat.say('0');
    const r = chat.say({ choiceId: 'topic:find-help' });
    expect(r[0]!.text).toContain(t('fr', 'findHelp.title', { city: 'Tanger' }));
  });

  it('finds the nearest city of a shared location (a location always means find-help)', async () => {
    const chat = await chatIn('es', { capabilities: CAPS.telegram });
    chat.say('1');
    const r = chat.say({ location: { lat: 35.78, lon: -5.81 } });
    expect(r[0]!.text).toContain(t('es', 'findHelp.nearest', { city: 'Tánger' }));
    expect(r[0]!.text).toContain(t('es', 'findHelp.title', { city: 'Tánger' }));
    expect(chat.state?.city).toBe('tanger');
    expect(JSON.stringify(chat.state)).not.toContain('35.78');
  });

  it('says honestly when a city has no organisation, and gives national ones instead', async () => {
    const chat = await chatIn('en');
    const text = chat.say('organisations in agadir please')[0]!.text;
    expect(text).toContain(t('en', 'findHelp.none', { city: 'Agadir' }));
    expect(text).toContain('*UNHCR*');
    expect(text).not.toContain(t('en', 'findHelp.title', { city: 'Agadir' }));
  });

  it('keeps SMS entries to one line each', async () => {
    const chat = await chatIn('en', { capabilities: CAPS.sms });
    const text = chat.say(HELP_TANGER.en)[0]!.text;
    expect(text).toContain('OMDH: https://example.org/omdh (not yet checked)\nCaritas: caritas@example.org (not yet checked)');
    expect(text).not.toContain('*');
  });
});

describe('media and limits', () => {
  it.each(LANGS)('answers media with "please type your question" in %s', async (lang) => {
    const chat = await chatIn(lang);
    const before = chat.state?.choices;
    const r = chat.say({ media: 'voice' });
    expect(r).toEqual([{ kind: 'notice', text: t(lang, 'media.pleaseType'), lang }]);
    expect(chat.state?.choices).toEqual(before);
  });

  it('never throws on odd input', async () => {
    const chat = await chatIn('fr');
    for (const input of ['', '   ', '\u0000', '🙂', '0000', '-1', '1.5', '*', '١٢٣']) {
      expect(() => chat.say(input), JSON.stringify(input)).not.toThrow();
      expect(chat.last.replies.length, JSON.stringify(input)).toBeGreaterThan(0);
    }
  });

  it('logs nothing it should not: the meta holds no text', async () => {
    const chat = await chatIn('en');
    const out = chat.send('the police arrested my friend right now');
    expect(out.meta).toEqual({
      intent: 'police-stop-arrest',
      candidates: [{ intent: 'police-stop-arrest', confidence: 0.8 }],
      confidence: 0.8,
      lang: 'en',
      outcome: 'answered',
      topic: 'police-stop-arrest',
      urgency: 'arrest',
    });
  });
});
