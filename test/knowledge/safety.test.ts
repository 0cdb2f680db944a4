/**
 * Content that is safe for undocumented people and honest about what was checked: one test
 * per point of the content-safety issue, over the real `content/` and `locales/`. Each of them
 * failed on the content before the fix (police for an arrest, published answers with no
 * reviewer, SMS forms over budget once the footer is counted, "anos" for "años" ...).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadConfig } from '../../src/config/index.js';
import { LANGS, URGENCY_KINDS, foldedWords, gsmFold, smsSegments } from '../../src/domain/index.js';
import type { KnowledgeBase, Lang, TopicId, Translate } from '../../src/domain/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import {
  DEFAULT_TEXT_SETTINGS,
  loadKnowledge,
  organisationName,
  contactNote,
  smsFooterText,
  smsWithFooter,
  textSettingsOf,
  urgentContacts,
} from '../../src/knowledge/index.js';

let kb: KnowledgeBase;
let t: Translate;
let files: Map<string, string>;

beforeAll(async () => {
  ({ kb } = await loadKnowledge({
    contentDir: path.join(PROJECT_ROOT, 'content'),
    intentsDir: path.join(PROJECT_ROOT, 'intents'),
    smsShortFormSegments: 2,
    root: PROJECT_ROOT,
    requireAllTopics: false,
  }));
  t = await createTranslator(path.join(PROJECT_ROOT, 'locales'));
  const { readFile } = await import('node:fs/promises');
  files = new Map();
  for (const [topic, byLang] of kb.answers) {
    for (const lang of byLang.keys()) files.set(`${topic}/${lang}`, await readFile(path.join(PROJECT_ROOT, 'content/topics', topic, `${lang}.md`), 'utf8'));
  }
});

const answer = (topic: TopicId, lang: Lang) => kb.answers.get(topic)!.get(lang)!;
const digits = (s: string): string => s.replace(/\D/g, '');

/** "Without papers" in each language, as the answers say it. */
const WITHOUT_PAPERS: Record<Lang, RegExp> = {
  fr: /sans (papiers|carte de séjour)/i,
  en: /without (papers|a residence card)/i,
  es: /sin (papeles|tarjeta de residencia)/i,
  ar: /بدون أوراق|لم تكن لديك (أوراق|بطاقة إقامة)/,
};

describe('1. urgent contacts are chosen for each urgency', () => {
  it('every urgency has a numbered contact chosen for it', () => {
    for (const kind of URGENCY_KINDS) {
      const chosen = urgentContacts(kb, kind);
      expect(chosen.length, kind).toBeGreaterThan(0);
      for (const c of chosen) expect(['phone', 'whatsapp'], `${kind} ${c.org.id}`).toContain(c.contact.kind);
    }
  });

  it('an arrest never points to the police or the gendarmerie, but to legal help and the UNHCR protection line', () => {
    const arrest = urgentContacts(kb, 'arrest');
    const ids = arrest.map((c) => c.org.id);
    expect(ids).not.toContain('police');
    expect(ids).not.toContain('gendarmerie');
    expect(arrest.every((c) => !c.org.police && !c.org.emergency)).toBe(true);
    expect(arrest.map((c) => digits(c.contact.value))).toContain('212666584361'); // UNHCR protection hotline
    expect(ids).toEqual(expect.arrayContaining(['gadem', 'cndh']));
  });

  it('each other urgency gets its own lines', () => {
    const numbers = (kind: (typeof URGENCY_KINDS)[number]): string[] => urgentContacts(kb, kind).map((c) => digits(c.contact.value));
    expect(numbers('medical')).toEqual(expect.arrayContaining(['15', '141']));
    expect(numbers('child-alone')[0]).toBe('2511');
    expect(numbers('violence')[0]).toBe('8350');
    expect(numbers('trafficking')).toEqual(expect.arrayContaining(['8350', '212537540000']));
    expect(numbers('trafficking')).not.toContain('19');
  });
});

describe('2. what going to the police risks without papers, in every language and SMS', () => {
  const TOPICS: TopicId[] = ['gbv-support', 'trafficking-victim', 'discrimination-complaint', 'police-stop-arrest'];
  it.each(TOPICS)('%s says the risk and names who to call first', (topic) => {
    for (const lang of LANGS) {
      const a = answer(topic, lang);
      expect(a.body, `${topic}/${lang} body`).toMatch(WITHOUT_PAPERS[lang]);
      expect(a.sms, `${topic}/${lang} sms`).toMatch(topic === 'police-stop-arrest' && lang === 'ar' ? /GADEM/ : WITHOUT_PAPERS[lang]);
      // The SMS names a contact with a number other than the police.
      const numbers = (a.sms.match(/\+?\d[\d ]{2,}\d/g) ?? []).map(digits).filter((n) => n !== '19');
      expect(numbers.length, `${topic}/${lang} sms number`).toBeGreaterThan(0);
    }
  });

  it('for sexual violence, says an organisation can advise before any report', () => {
    const BEFORE: Record<Lang, RegExp> = { fr: /avant toute plainte/i, en: /before any report/i, es: /antes de cualquier denuncia/i, ar: /قبل أي (شكاية|شكوى)/ };
    for (const lang of LANGS) {
      expect(answer('gbv-support', lang).body).toMatch(BEFORE[lang]);
      expect(answer('gbv-support', lang).sms).toMatch(BEFORE[lang]);
    }
  });

  it('police-stop-arrest no longer tells people without papers to show a passport without saying what follows', () => {
    for (const lang of LANGS) {
      const first = answer('police-stop-arrest', lang).body.split('\n\n')[0]!;
      expect(first, lang).not.toMatch(/passeport|passport|pasaporte|جواز/);
    }
  });
});

describe('3. Law 27-14', () => {
  it('never cites art. 448-10 (an offence article) as the victim clause', () => {
    for (const [key, text] of files) expect(text, key).not.toMatch(/448[-.]10/);
  });
});

describe('4. checked means a reviewer checked it', () => {
  it('no answer is published without a reviewer record, and none carries the writing date as a check', () => {
    for (const byLang of kb.answers.values()) {
      for (const a of byLang.values()) {
        if (a.status === 'published') {
          expect(a.reviewed, a.file).not.toBe('');
          expect(a.reviewedBy, a.file).toBeTruthy();
        }
        if (a.reviewed !== '') expect(a.reviewedBy, a.file).toBeTruthy();
      }
    }
  });

  it('"not yet checked" exists in every language, SMS footer included, and is translated', () => {
    for (const key of ['trust.notChecked', 'trust.answerNotChecked', 'trust.smsFooterNotChecked']) {
      const texts = LANGS.map((l) => t(l, key));
      expect(new Set(texts).size, key).toBe(4);
      expect(t('ar', key)).toMatch(/[\u0600-\u06FF]/);
    }
    const footer = smsFooterText({ status: 'needs-verification', reviewed: '' }, 'es', t);
    expect(footer).toBe(t('es', 'trust.smsFooterNotChecked'));
    expect(smsFooterText({ status: 'published', reviewed: '2026-12-01', reviewedBy: 'amina' }, 'fr', t)).toContain('01/12/2026');
  });
});

describe('5. weak sources are marked, non-sources are gone', () => {
  it('no answer cites a document-sharing copy, a test server or a filler page', () => {
    for (const [key, text] of files) {
      expect(text, key).not.toMatch(/scribd\.com|123dok\.|yumpu\.com|doczz\.|docslib\.org|open-test\.|sociosqu/);
    }
  });
});

describe('7. texts agree with each other and with the configuration', () => {
  it('the retention periods are not written into the privacy texts', () => {
    for (const topic of ['privacy-and-data', 'about-service'] as TopicId[]) {
      for (const lang of LANGS) {
        const raw = files.get(`${topic}/${lang}`)!;
        expect(raw, `${topic}/${lang}`).not.toMatch(/\b30\s*(jours|days|días|يوما|يوم)/);
      }
    }
    expect(answer('privacy-and-data', 'en').body).toContain(`${DEFAULT_TEXT_SETTINGS.retentionDays} days after your last message`);
  });

  it('the settings default to the configuration defaults and follow the configuration', async () => {
    const config = loadConfig({});
    expect(textSettingsOf(config)).toEqual(DEFAULT_TEXT_SETTINGS);
    const { kb: other } = await loadKnowledge({
      contentDir: path.join(PROJECT_ROOT, 'content'),
      intentsDir: path.join(PROJECT_ROOT, 'intents'),
      smsShortFormSegments: 2,
      root: PROJECT_ROOT,
      requireAllTopics: false,
      settings: { retentionDays: 7, missedRetentionDays: 14 },
    });
    const privacy = other.answers.get('privacy-and-data')!.get('fr')!;
    expect(privacy.body).toContain('7 jours après votre dernier message');
    expect(privacy.body).toContain('14 jours');
    expect(privacy.sms).toContain('7 jours');
  });

  it('about-service no longer says the Centre runs Dalil, nor that messages are never kept', () => {
    expect(answer('about-service', 'en').body).not.toMatch(/information service of the Centre/);
    expect(answer('about-service', 'en').body).toMatch(/has not been confirmed/);
    expect(answer('about-service', 'en').body).not.toMatch(/It does not keep the text of your messages\./);
    expect(answer('about-service', 'fr').body).not.toMatch(/service d'information du Centre/);
  });
});

describe('8. every SMS short form is self-sufficient and fits with its footer', () => {
  const NO_NUMBER: ReadonlySet<TopicId> = new Set<TopicId>(['about-service', 'privacy-and-data']);
  it('fits in 2 segments with the footer Dalil adds, as the adapter sends it', () => {
    for (const byLang of kb.answers.values()) {
      for (const a of byLang.values()) {
        const sent = gsmFold(smsWithFooter(a.sms, smsFooterText(a, a.lang, t)));
        expect(smsSegments(sent), a.file).toBeLessThanOrEqual(2);
      }
    }
  });

  it('carries a contact with a number in every language (about-service and privacy-and-data aside)', () => {
    for (const [topic, byLang] of kb.answers) {
      if (NO_NUMBER.has(topic)) continue;
      for (const a of byLang.values()) expect(a.sms, a.file).toMatch(/\d{2,}/);
    }
  });

  it('keeps the key step in Arabic too', () => {
    expect(answer('protected-from-removal', 'ar').sms).toMatch(/48/);
    expect(answer('removal-appeal', 'ar').sms).toMatch(/48/);
    expect(answer('police-stop-arrest', 'ar').sms).toMatch(/0537770332|0537540000/);
    expect(answer('birth-registration', 'ar').sms).toMatch(/30/);
    expect(answer('birth-registration', 'ar').sms).toMatch(/0537805435/);
  });
});

describe('9. Spanish keeps ñ, French its GSM-7 accents', () => {
  it('no SMS short form is folded beyond what GSM-7 needs', () => {
    for (const byLang of kb.answers.values()) {
      for (const a of byLang.values()) expect(foldedWords(a.sms, a.lang), a.file).toEqual([]);
    }
    expect(answer('residence-permit', 'es').sms).toContain('años');
  });

  it('the fold keeps ñ é è à ù and folds only what GSM-7 lacks', () => {
    expect(gsmFold('18 años, información')).toBe('18 años, informacion');
    expect(gsmFold('Vérifié à l’école, reçu')).toBe("Vérifié à l'école, recu");
    expect(gsmFold('بطاقة')).toBe('بطاقة');
  });

  it('Spanish calls a reconduite a reconducción, not an expulsión', () => {
    for (const topic of ['removal-appeal', 'administrative-detention', 'police-stop-arrest', 'protected-from-removal'] as TopicId[]) {
      expect(files.get(`${topic}/es`), topic).not.toMatch(/expulsión a la frontera/i);
    }
  });
});

describe('10. names, notes and emergency labels in the user\'s language', () => {
  it('every organisation has a name in the four languages, Arabic in Arabic script', () => {
    for (const org of kb.organisations.values()) {
      expect(org.names, org.id).toBeDefined();
      expect(organisationName(org, 'ar'), org.id).toMatch(/[\u0600-\u06FF]/);
    }
    expect(organisationName(kb.organisations.get('police')!, 'ar')).toBe('الشرطة (19)');
    expect(organisationName(kb.organisations.get('child-helpline-2511')!, 'es')).toMatch(/infancia 2511/);
  });

  it('every contact note is given in the four languages', () => {
    for (const org of kb.organisations.values()) {
      for (const c of org.contacts) {
        if (c.note === undefined) continue;
        expect(c.notes, `${org.id} ${c.value}`).toBeDefined();
        expect(contactNote(c, 'ar'), `${org.id} ${c.value}`).toMatch(/[\u0600-\u06FF]/);
      }
    }
  });
});
