/**
 * A small knowledge base built in code and a scripted fake `Matcher`, so engine tests do not
 * depend on the real content and matcher being written in parallel.
 *
 * Phone numbers are those of the content brief (police 19, civil protection 15, gendarmerie 177,
 * child line 2511, GADEM, UNHCR); organisations without a known contact get an example.org address.
 */
import { fileURLToPath } from 'node:url';
import {
  CATEGORIES,
  LANGS,
  topicsOf,
  type AnswerStatus,
  type City,
  type IntentId,
  type KnowledgeBase,
  type Lang,
  type LanguageGuess,
  type Matcher,
  type MatchResult,
  type Organisation,
  type Source,
  type TopicAnswer,
  type TopicId,
  type UrgencyKind,
} from '../../src/domain/index.js';

/** The real locales folder (the engine's interface strings). */
export const LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));

/** Titles of fixture topics per language (other topics get "<topic> [<lang>]"). */
export const TITLES: Partial<Record<TopicId, Record<Lang, string>>> = {
  'residence-permit': {
    fr: 'Carte de séjour',
    en: 'Residence card',
    ar: 'بطاقة الإقامة',
    es: 'Tarjeta de residencia',
  },
  'irregular-stay': {
    fr: 'Sans papiers',
    en: 'Without papers',
    ar: 'بدون أوراق',
    es: 'Sin papeles',
  },
  'police-stop-arrest': {
    fr: 'Arrêté par la police',
    en: 'Stopped by the police',
    ar: 'توقيف من الشرطة',
    es: 'Detenido por la policía',
  },
};

/** Title of a fixture answer. */
export function titleOf(topic: TopicId, lang: Lang): string {
  return TITLES[topic]?.[lang] ?? `${topic} [${lang}]`;
}

interface AnswerSpec {
  langs?: Lang[];
  status?: AnswerStatus | Partial<Record<Lang, AnswerStatus>>;
  related?: TopicId[];
  organisations?: string[];
  sources?: Source[];
  body?: (lang: Lang) => string;
}

const DEFAULT_SOURCES: Source[] = [{ title: 'Loi 02-03', ref: 'Loi 02-03, art. 16' }];

/** What each fixture topic looks like. Topics not listed have no answer at all. */
export const SPECS: Partial<Record<TopicId, AnswerSpec>> = {
  'residence-permit': {
    related: ['irregular-stay', 'regularisation', 'legal-framework'],
    organisations: ['gadem', 'omdh', 'no-such-org'],
    sources: [
      { title: 'Loi 02-03, art. 16', ref: 'Loi 02-03, art. 16' },
      { title: 'DFAE Maroc', url: 'https://example.org/dfae' },
    ],
  },
  'irregular-stay': { status: 'needs-verification', related: ['residence-permit'], organisations: ['gadem'] },
  regularisation: { status: { fr: 'published', en: 'draft' }, langs: ['fr', 'en'], related: ['residence-permit'] },
  'legal-framework': { status: 'draft' },
  'asylum-register': {
    organisations: ['unhcr'],
    body: (lang) =>
      Array.from({ length: 8 }, (_, i) => `Paragraph ${i + 1} of the asylum answer in ${lang}. ` + 'Steps and rights are explained here in plain words. '.repeat(3)).join('\n\n'),
  },
  'police-stop-arrest': { related: ['administrative-detention'], organisations: ['omdh', 'cndh'] },
  'unaccompanied-minors': { organisations: ['child-helpline-2511'] },
  'gbv-support': {},
  'health-care': {},
  'school-enrolment': {},
  'work-permit': {},
  housing: {},
  'emergency-numbers': {},
  'find-help': { related: ['emergency-numbers'] },
};

function makeAnswer(topic: TopicId, lang: Lang, spec: AnswerSpec): TopicAnswer {
  const status = typeof spec.status === 'string' ? spec.status : (spec.status?.[lang] ?? 'published');
  return {
    topic,
    lang,
    title: titleOf(topic, lang),
    sms: `Short answer ${topic} ${lang}. Reply 1 for more.`,
    body: spec.body ? spec.body(lang) : `Body of ${topic} in ${lang}.\n\n- first step\n- second step`,
    sources: spec.sources ?? DEFAULT_SOURCES,
    // A published answer carries its reviewer's record; any other was never checked.
    ...(status === 'published' ? { reviewed: '2026-11-28', reviewedBy: 'amina' } : { reviewed: '' }),
    status,
    related: spec.related ?? [],
    organisations: spec.organisations ?? [],
    file: `content/topics/${topic}/${lang}.md`,
  };
}

function org(partial: Partial<Organisation> & Pick<Organisation, 'id' | 'name'>): Organisation {
  const d = partial.name;
  return {
    description: { fr: `${d} aide les personnes migrantes.`, en: `${d} helps migrants.`, ar: `${d} تساعد المهاجرين.`, es: `${d} ayuda a las personas migrantes.` },
    cities: [],
    contacts: [],
    languages: ['fr', 'ar'],
    topics: [],
    verified: '2026-11-01',
    ...partial,
  };
}

/** Organisations of the fixture. */
export const ORGANISATIONS: Organisation[] = [
  org({ id: 'gadem', name: 'GADEM', cities: ['rabat'], contacts: [{ kind: 'phone', value: '+212 537 770 332' }], topics: ['residence-permit', 'irregular-stay', 'find-help'] }),
  org({
    id: 'omdh',
    name: 'OMDH',
    cities: ['oujda', 'nador', 'tanger', 'rabat', 'casablanca'],
    contacts: [{ kind: 'web', value: 'https://example.org/omdh' }],
    topics: ['police-stop-arrest', 'asylum-register', 'find-help'],
    urgency: ['arrest'],
  }),
  org({
    id: 'unhcr',
    name: 'UNHCR',
    names: { fr: 'HCR', en: 'UNHCR', ar: 'المفوضية', es: 'ACNUR' },
    contacts: [
      { kind: 'whatsapp', value: '+212 666 045 606' },
      { kind: 'phone', value: '+212 (0)5 37 54 54 00' },
      // Checked by a reviewer: shown without the "not yet checked" mark.
      { kind: 'phone', value: '+212 666 58 43 61', urgency: ['arrest'], checked: '2026-12-01', checkedBy: 'amina' },
    ],
    topics: ['asylum-register', 'find-help'],
    urgency: ['arrest'],
  }),
  org({ id: 'legal-aid', name: 'Legal aid', contacts: [{ kind: 'phone', value: '+212 5 37 80 54 35' }], topics: ['police-stop-arrest'], urgency: ['arrest'] }),
  org({ id: 'cndh', name: 'CNDH', contacts: [{ kind: 'web', value: 'https://example.org/cndh' }], topics: ['discrimination-complaint', 'police-stop-arrest'] }),
  org({ id: 'caritas', name: 'Caritas', cities: ['rabat', 'casablanca', 'tanger'], contacts: [{ kind: 'email', value: 'caritas@example.org' }], topics: ['health-care', 'find-help'] }),
  org({ id: 'no-contact', name: 'Nocontact', cities: ['tanger'], contacts: [], topics: ['find-help'] }),
  org({ id: 'police', name: 'Police', contacts: [{ kind: 'phone', value: '19' }], emergency: true, police: true, urgency: ['violence'] }),
  org({ id: 'civil-protection', name: 'Protection civile', contacts: [{ kind: 'phone', value: '15' }], emergency: true, urgency: ['medical'] }),
  org({ id: 'gendarmerie', name: 'Gendarmerie', contacts: [{ kind: 'phone', value: '177' }], emergency: true, police: true }),
  org({ id: 'child-helpline-2511', name: 'Allo 2511', contacts: [{ kind: 'phone', value: '2511' }], emergency: true, urgency: ['child-alone'] }),
];

/** Cities of the fixture (Agadir has no organisation). */
export const CITIES: City[] = [
  { id: 'rabat', names: { fr: 'Rabat', en: 'Rabat', ar: 'الرباط', es: 'Rabat' }, aliases: [], location: { lat: 34.0209, lon: -6.8416 } },
  { id: 'casablanca', names: { fr: 'Casablanca', en: 'Casablanca', ar: 'الدار البيضاء', es: 'Casablanca' }, aliases: ['casa'], location: { lat: 33.5731, lon: -7.5898 } },
  { id: 'tanger', names: { fr: 'Tanger', en: 'Tangier', ar: 'طنجة', es: 'Tánger' }, aliases: ['tanja'], location: { lat: 35.7595, lon: -5.834 } },
  { id: 'oujda', names: { fr: 'Oujda', en: 'Oujda', ar: 'وجدة', es: 'Uchda' }, aliases: [], location: { lat: 34.6814, lon: -1.9086 } },
  { id: 'agadir', names: { fr: 'Agadir', en: 'Agadir', ar: 'أكادير', es: 'Agadir' }, aliases: [], location: { lat: 30.4278, lon: -9.5981 } },
];

/** Builds the fixture knowledge base; `edit` may change the answer map before freezing. */
export function fixtureKb(edit?: (answers: Map<TopicId, Map<Lang, TopicAnswer>>) => void): KnowledgeBase {
  const answers = new Map<TopicId, Map<Lang, TopicAnswer>>();
  for (const [topic, spec] of Object.entries(SPECS) as [TopicId, AnswerSpec][]) {
    const byLang = new Map<Lang, TopicAnswer>();
    for (const lang of spec.langs ?? LANGS) byLang.set(lang, makeAnswer(topic, lang, spec));
    answers.set(topic, byLang);
  }
  edit?.(answers);
  return {
    answers,
    categories: new Map(CATEGORIES.map((c) => [c, topicsOf(c)])),
    organisations: new Map(ORGANISATIONS.map((o) => [o.id, o])),
    cities: new Map(CITIES.map((c) => [c.id, c])),
    phrases: [],
    version: 'fixture',
  };
}

/** What the fake matcher answers for one scripted message. */
export interface FakeRule {
  lang: Lang;
  /** Language confidence (default 0.95). */
  langConfidence?: number;
  intent: IntentId;
  confidence?: number;
  ambiguous?: boolean;
  /** Candidates best first, each an intent or [intent, confidence]. */
  ranked?: (IntentId | [IntentId, number])[];
  urgency?: UrgencyKind;
  city?: string;
}

/** Lowercased, trimmed, inner spaces collapsed: how scripted messages are looked up. */
export function scriptKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Scripted messages in the four languages. Anything not listed is out-of-scope with a
 * low-confidence language guess (Arabic script: `ar`, otherwise `en`).
 */
export const SCRIPT: Record<string, FakeRule> = {
  // residence-permit, a plain topic question
  'how do i get a residence card in morocco': { lang: 'en', intent: 'residence-permit', confidence: 0.9 },
  'comment avoir la carte de sejour au maroc': { lang: 'fr', intent: 'residence-permit', confidence: 0.9 },
  'كيف أحصل على بطاقة الإقامة في المغرب': { lang: 'ar', intent: 'residence-permit', confidence: 0.9 },
  'como consigo la tarjeta de residencia en marruecos': { lang: 'es', intent: 'residence-permit', confidence: 0.9 },
  // irregular-stay (needs-verification)
  'what happens if i have no papers': { lang: 'en', intent: 'irregular-stay', confidence: 0.85 },
  'que se passe-t-il si je n ai pas de papiers': { lang: 'fr', intent: 'irregular-stay', confidence: 0.85 },
  'ماذا يحدث إذا لم تكن لدي أوراق': { lang: 'ar', intent: 'irregular-stay', confidence: 0.85 },
  'que pasa si no tengo papeles': { lang: 'es', intent: 'irregular-stay', confidence: 0.85 },
  // regularisation: published in French only, English is a draft
  'is there a regularisation campaign now': { lang: 'en', intent: 'regularisation', confidence: 0.8 },
  'هل هناك حملة تسوية الآن': { lang: 'ar', intent: 'regularisation', confidence: 0.8 },
  // greetings (low language confidence: the greeting words are shared)
  hello: { lang: 'en', langConfidence: 0.5, intent: 'greeting', confidence: 0.9 },
  bonjour: { lang: 'fr', langConfidence: 0.6, intent: 'greeting', confidence: 0.9 },
  'السلام عليكم': { lang: 'ar', langConfidence: 0.8, intent: 'greeting', confidence: 0.9 },
  hola: { lang: 'es', langConfidence: 0.5, intent: 'greeting', confidence: 0.9 },
  'bonjour je voudrais des informations sur mes droits': { lang: 'fr', intent: 'greeting', confidence: 0.7 },
  'hola necesito informacion sobre mis derechos': {
    lang: 'es',
    intent: 'legal-framework',
    confidence: 0.5,
    ambiguous: true,
    ranked: [['legal-framework', 0.5], ['greeting', 0.34], ['about-service', 0.05]],
  },
  'which law protects me or my work papers': {
    lang: 'en',
    intent: 'work-permit',
    confidence: 0.45,
    ambiguous: true,
    ranked: [['work-permit', 0.45], ['residence-permit', 0.4], ['housing', 0.05], ['health-care', 0.02]],
  },
  'hola buenos dias': { lang: 'es', langConfidence: 0.9, intent: 'greeting', confidence: 0.9 },
  // out of scope
  'who will win the football match tonight': { lang: 'en', intent: 'out-of-scope', confidence: 0.2 },
  'qui va gagner le match de foot ce soir': { lang: 'fr', intent: 'out-of-scope', confidence: 0.2 },
  'من سيفوز في مباراة كرة القدم الليلة': { lang: 'ar', intent: 'out-of-scope', confidence: 0.2 },
  'quien va a ganar el partido de futbol esta noche': { lang: 'es', intent: 'out-of-scope', confidence: 0.2 },
  // ambiguous
  'problem with my papers': { lang: 'en', intent: 'residence-permit', confidence: 0.4, ambiguous: true, ranked: ['residence-permit', 'irregular-stay', 'greeting', 'regularisation', 'legal-framework'] },
  'probleme avec mes papiers': { lang: 'fr', intent: 'residence-permit', confidence: 0.4, ambiguous: true, ranked: ['residence-permit', 'irregular-stay', 'regularisation'] },
  'مشكلة في أوراقي': { lang: 'ar', intent: 'residence-permit', confidence: 0.4, ambiguous: true, ranked: ['residence-permit', 'irregular-stay', 'regularisation'] },
  'problema con mis papeles': { lang: 'es', intent: 'residence-permit', confidence: 0.4, ambiguous: true, ranked: ['residence-permit', 'irregular-stay', 'regularisation'] },
  // urgent: arrest
  'the police arrested my friend right now': { lang: 'en', intent: 'police-stop-arrest', confidence: 0.8, urgency: 'arrest' },
  'la police a arrete mon ami maintenant': { lang: 'fr', intent: 'police-stop-arrest', confidence: 0.8, urgency: 'arrest' },
  'الشرطة اعتقلت صديقي الآن': { lang: 'ar', intent: 'police-stop-arrest', confidence: 0.8, urgency: 'arrest' },
  'la policia ha detenido a mi amigo ahora': { lang: 'es', intent: 'police-stop-arrest', confidence: 0.8, urgency: 'arrest' },
  // urgent: a child alone, matched to no topic
  'there is a small child alone in the street crying': { lang: 'en', intent: 'out-of-scope', confidence: 0.3, urgency: 'child-alone' },
  // find-help with and without a city
  'where can i find help in tangier': { lang: 'en', intent: 'find-help', confidence: 0.9, city: 'tanger' },
  'ou trouver de l aide a tanger': { lang: 'fr', intent: 'find-help', confidence: 0.9, city: 'tanger' },
  'أين أجد المساعدة في طنجة': { lang: 'ar', intent: 'find-help', confidence: 0.9, city: 'tanger' },
  'donde encuentro ayuda en tanger': { lang: 'es', intent: 'find-help', confidence: 0.9, city: 'tanger' },
  'where can i find help': { lang: 'en', intent: 'find-help', confidence: 0.9 },
  'organisations in agadir please': { lang: 'en', intent: 'find-help', confidence: 0.9, city: 'agadir' },
  oujda: { lang: 'fr', langConfidence: 0.3, intent: 'out-of-scope', confidence: 0.1, city: 'oujda' },
  // a short message naming a city that the matcher misreads (low confidence / after "send your city")
  'je suis a tanger': { lang: 'fr', intent: 'entry-refusal', confidence: 0.6, city: 'tanger' },
  'casablanca residence card': { lang: 'en', intent: 'residence-permit', confidence: 0.9, city: 'casablanca' },
  // conversational intents
  'thank you so much': { lang: 'en', intent: 'thanks', confidence: 0.9 },
  'bye see you': { lang: 'en', intent: 'goodbye', confidence: 0.9 },
  'i want to talk to a real person': { lang: 'en', intent: 'talk-to-person', confidence: 0.9 },
  'je veux parler a un avocat': { lang: 'fr', intent: 'talk-to-person', confidence: 0.9 },
  'please erase everything about me': { lang: 'en', intent: 'forget-me', confidence: 0.9 },
  'show me the menu please': { lang: 'en', intent: 'menu', confidence: 0.9 },
  'can you speak spanish': { lang: 'en', intent: 'change-language', confidence: 0.9 },
  'i want another language': { lang: 'en', intent: 'change-language', confidence: 0.9 },
  // a French question from an English-speaking conversation (language switch)
  'je voudrais savoir comment avoir la carte de sejour': { lang: 'fr', intent: 'residence-permit', confidence: 0.9 },
  // too short to switch language
  'carte sejour': { lang: 'fr', intent: 'residence-permit', confidence: 0.7 },
};

/** A scripted `Matcher` that also records the hints it was given. */
export interface FakeMatcher extends Matcher {
  calls: { text: string; hint?: Lang }[];
}

function guessOf(text: string): LanguageGuess {
  return /[\u0600-\u06FF]/.test(text) ? { lang: 'ar', confidence: 0.6 } : { lang: 'en', confidence: 0.2 };
}

/** A fake matcher over `script` (default: `SCRIPT`). */
export function fakeMatcher(script: Record<string, FakeRule> = SCRIPT): FakeMatcher {
  const rules = new Map(Object.entries(script).map(([k, v]) => [scriptKey(k), v]));
  const calls: { text: string; hint?: Lang }[] = [];
  const detectLanguage = (text: string): LanguageGuess => {
    const rule = rules.get(scriptKey(text));
    return rule ? { lang: rule.lang, confidence: rule.langConfidence ?? 0.95 } : guessOf(text);
  };
  return {
    calls,
    detectLanguage,
    match(text: string, hint?: Lang): MatchResult {
      calls.push({ text, ...(hint ? { hint } : {}) });
      const rule = rules.get(scriptKey(text));
      if (!rule) return { language: guessOf(text), ranked: [], intent: 'out-of-scope', confidence: 0.05, ambiguous: false };
      const ranked = (rule.ranked ?? (rule.intent === 'out-of-scope' ? [] : [rule.intent])).map((r, i) =>
        Array.isArray(r) ? { intent: r[0], confidence: r[1] } : { intent: r, confidence: Math.max(0, (rule.confidence ?? 0.9) - i * 0.05) },
      );
      return {
        language: detectLanguage(text),
        ranked,
        intent: rule.intent,
        confidence: rule.confidence ?? 0.9,
        ambiguous: rule.ambiguous ?? false,
        ...(rule.urgency ? { urgency: rule.urgency } : {}),
        ...(rule.city ? { city: rule.city } : {}),
      };
    },
  };
}
