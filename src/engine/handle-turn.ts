/**
 * The dialog engine: one inbound message and the conversation state in, replies and the new
 * state out. Pure: no I/O, no clock (time comes from `message.receivedAt`), no randomness.
 */
import {
  LANGS,
  OUT_OF_SCOPE,
  TOPICS,
  isCategoryId,
  isLang,
  isTopicId,
  newState,
  smsEncoding,
  smsSegments,
  type CategoryId,
  type Choice,
  type ConversationState,
  type GeoPoint,
  type InboundMessage,
  type Lang,
  type MatchResult,
  type Organisation,
  type Reply,
  type ReplyKind,
  type TopicAnswer,
  type TopicId,
  type UrgencyKind,
} from '../domain/index.js';
import { COMMAND_NAMES, languageNamed, parseCommand, parseSmsOptOut, parseYesNo, type CommandName } from './commands.js';
import {
  availableCategories,
  availableTopics,
  cityName,
  describe,
  isAvailable,
  mainContact,
  nearestCity,
  organisationsOf,
  pickAnswer,
  sortedContacts,
  urgentOrganisations,
  type PickedAnswer,
} from './content.js';
import { numberedText, paginate } from './sms-pages.js';
import { gsmFold, parseNumber, stripBold, truncate, wordCount } from './text.js';
import type { EngineDeps, EngineEvent, EngineTurnResult } from './types.js';

/** Language detection at first contact is trusted from this confidence on. */
export const LANG_CONFIDENT = 0.7;
/** A user who writes in another language is switched to it from this confidence on ... */
export const SWITCH_CONFIDENT = 0.85;
/** ... and only for messages of at least this many words. */
export const SWITCH_MIN_WORDS = 3;
/** A message of at most this many words that names a city ... */
const CITY_MESSAGE_MAX_WORDS = 5;
/** ... and whose intent is below this confidence (or follows "send your city") asks for help there. */
const CITY_MESSAGE_MAX_CONFIDENCE = 0.7;
const DEFAULT_MAX_CHARS = 1000;
const DEFAULT_RETENTION_DAYS = 30;
const MAX_DID_YOU_MEAN = 3;
/** Candidates below this confidence are not offered in "did you mean". */
const DID_YOU_MEAN_MIN = 0.1;
const MAX_RELATED = 4;
const MAX_LOCAL_ORGS = 6;
const MAX_NATIONAL_ORGS = 3;
const MAX_HELPERS = 3;

/** The topic answered after the emergency contacts when the message is urgent but matched no topic. */
export const URGENCY_TOPIC: Record<UrgencyKind, TopicId> = {
  arrest: 'police-stop-arrest',
  violence: 'gbv-support',
  trafficking: 'trafficking-victim',
  'child-alone': 'unaccompanied-minors',
  medical: 'health-care',
};

/** A first message of at most this many words with a small-talk intent is "just a greeting". */
const GREETING_MAX_WORDS = 3;
/** Conversational intents that say nothing about what the user needs (first contact asks the language). */
const SMALL_TALK = new Set<string>(['greeting', 'menu', 'change-language', 'thanks', 'goodbye']);

/** The supported language of a platform locale hint ("fr-FR", "ar", "es_MA"), if any. */
export function langOfHint(hint: string | undefined): Lang | undefined {
  const base = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}

const DATE_LOCALES: Record<Lang, string> = { fr: 'fr-MA', en: 'en-GB', ar: 'ar-MA', es: 'es-ES' };

/** One formatter per language: building an `Intl.DateTimeFormat` costs far more than using one. */
const DATE_FORMATS = new Map<Lang, Intl.DateTimeFormat>();
/** Formatted review dates (content has few distinct ones; bounded anyway). */
const LONG_DATES = new Map<string, string>();
const MAX_LONG_DATES = 2000;

/** "2026-11-28" as "28 November 2026" in the user's language (UTC, so no clock or zone is read). */
export function longDate(iso: string, lang: Lang): string {
  const cacheKey = `${lang}|${iso}`;
  const cached = LONG_DATES.get(cacheKey);
  if (cached !== undefined) return cached;
  const d = new Date(`${iso}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(d.getTime())) return iso;
  let format = DATE_FORMATS.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(DATE_LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    DATE_FORMATS.set(lang, format);
  }
  const text = format.format(d);
  if (LONG_DATES.size < MAX_LONG_DATES) LONG_DATES.set(cacheKey, text);
  return text;
}

/** "2026-11-28" as "28/11/2026" (SMS: short and GSM-7). */
export function shortDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** One turn being worked out. */
class Turn {
  readonly replies: Reply[] = [];
  readonly events: EngineEvent[] = [];
  intent = 'none';
  confidence: number | undefined;
  candidates: ReadonlyArray<{ intent: string; confidence: number }> | undefined;
  private deleted = false;
  /** Choices the user keeps when this turn shows none (after feedback: the related topics). */
  private quietChoices: Choice[] | undefined;
  /** Replies that are already one SMS page (MORE). */
  private readonly paged = new Set<Reply>();
  private pagesKept = false;
  /** The SMS short answer of this turn, and the full form kept for MORE. */
  private shortAnswer: Reply | undefined;
  private deferredFull: string | undefined;
  private readonly hintLang: Lang | undefined;
  private readonly priorAwaiting: ConversationState['awaiting'];
  private readonly sms: boolean;

  constructor(
    private readonly msg: InboundMessage,
    private readonly state: ConversationState,
    private readonly deps: EngineDeps,
  ) {
    this.hintLang = langOfHint(msg.localeHint);
    this.priorAwaiting = state.awaiting;
    state.awaiting = undefined;
    this.sms = deps.capabilities.lengthUnit === 'segments';
  }

  /** The language replies are written in now. */
  get lang(): Lang {
    return this.state.lang ?? this.hintLang ?? this.deps.defaultLang;
  }

  private t(key: string, options?: Record<string, unknown>): string {
    return this.deps.t(this.lang, key, options);
  }

  private say(kind: ReplyKind, text: string, extra: Partial<Reply> = {}): Reply {
    const reply: Reply = { kind, text, lang: this.lang, ...extra };
    if (reply.choices && reply.choices.length === 0) delete reply.choices;
    this.replies.push(reply);
    return reply;
  }

  /** Fixes the language once content is shown in it (the hint or the default, unconfirmed). */
  private fixLang(): void {
    if (!this.state.lang) {
      this.state.lang = this.lang;
      this.state.langConfirmed = false;
    }
  }

  // ---------------------------------------------------------------- entry

  run(): void {
    const { msg, state } = this;
    const max = this.deps.maxMessageChars ?? DEFAULT_MAX_CHARS;
    const text = truncate((msg.text ?? '').trim(), max).trim();

    const optOut = text ? parseSmsOptOut(msg.channel, text) : undefined;
    if (optOut === 'stop') {
      this.intent = 'sms.stop';
      state.stopped = true;
      return;
    }
    if (state.stopped) {
      if (optOut === 'start') {
        this.intent = 'sms.start';
        state.stopped = undefined;
        this.home();
      } else this.intent = 'sms.stopped';
      return;
    }

    if (msg.choiceId) {
      this.intent = 'choice';
      return this.choice(msg.choiceId);
    }
    if (msg.location) {
      this.intent = 'find-help';
      return this.findHelp(undefined, msg.location);
    }
    if (!text) {
      if (msg.media) {
        this.intent = 'media';
        this.say('notice', this.t('media.pleaseType'));
        if (!state.lang) this.languageChoice();
        return;
      }
      this.intent = 'empty';
      return state.lang ? this.home() : this.languageChoice();
    }

    const command = parseCommand(text);
    if (command) {
      this.intent = `cmd:${command}`;
      return this.command(command);
    }
    const n = parseNumber(text);
    if (n !== undefined) {
      this.intent = 'number';
      return this.number(n);
    }
    if (this.priorAwaiting === 'feedback') {
      const yn = parseYesNo(text);
      if (yn) {
        this.intent = 'feedback';
        return this.feedback(yn);
      }
    }
    if (!state.lang) return this.firstText(text);
    if (this.priorAwaiting === 'language') {
      const named = languageNamed(text, true);
      if (named) {
        this.intent = 'change-language';
        return this.chooseLanguage(named);
      }
    }
    return this.freeText(text);
  }

  // ---------------------------------------------------------------- commands, numbers, choices

  private command(name: CommandName): void {
    const known = this.state.lang !== undefined;
    switch (name) {
      case 'delete':
        return this.forget();
      case 'person':
        return this.person();
      case 'language':
        return this.languageChoice();
      case 'menu':
        return known ? this.home() : this.languageChoice();
      case 'help':
        return known ? this.help() : this.languageChoice();
      case 'back':
        return known ? this.back() : this.languageChoice();
      case 'more':
        return known ? this.more() : this.languageChoice();
    }
  }

  private number(n: number): void {
    if (n === 0) return this.state.lang ? this.home() : this.languageChoice();
    const choice = this.state.choices[n - 1];
    if (choice) return this.choice(choice.id);
    return this.state.lang ? this.stale() : this.languageChoice();
  }

  /** Acts on a choice id (a button press or a number mapped back through `state.choices`). */
  private choice(id: string): void {
    const sep = id.indexOf(':');
    const kind = sep < 0 ? id : id.slice(0, sep);
    const value = sep < 0 ? '' : id.slice(sep + 1);
    switch (kind) {
      case 'lang':
        if (isLang(value)) return this.chooseLanguage(value);
        break;
      case 'cat':
        if (isCategoryId(value)) return this.category(value);
        break;
      case 'topic':
        if (isTopicId(value) && isAvailable(this.deps.kb, value)) return this.topic(value);
        break;
      case 'full':
        if (isTopicId(value)) return this.answer(value, true);
        break;
      case 'cmd':
        if ((COMMAND_NAMES as readonly string[]).includes(value)) return this.command(value as CommandName);
        break;
      case 'fb':
        if (value === 'yes' || value === 'no') return this.feedback(value);
        break;
    }
    this.intent = 'stale';
    return this.state.lang ? this.stale() : this.languageChoice();
  }

  // ---------------------------------------------------------------- free text

  /** First message of a conversation whose language is unknown. */
  private firstText(text: string): void {
    const { matcher } = this.deps;
    const named = languageNamed(text);
    if (named) {
      this.intent = 'change-language';
      return this.chooseLanguage(named);
    }
    const guess = matcher.detectLanguage(text);
    const confident = guess.confidence >= LANG_CONFIDENT;
    const hint = confident ? guess.lang : this.hintLang;
    const first = matcher.match(text, hint);
    this.intent = first.intent;
    this.confidence = first.confidence;
    if (first.intent === 'forget-me') return this.forget();
    const question =
      first.urgency !== undefined ||
      isTopicId(first.intent) ||
      (first.ambiguous && first.ranked.some((r) => isTopicId(r.intent)));
    if (question) {
      // Never lose a real question: answer it in the best language we have, unconfirmed if unsure.
      this.state.lang = hint ?? guess.lang;
      this.state.langConfirmed = confident;
      const m = this.state.lang === hint ? first : matcher.match(text, this.state.lang);
      return this.dispatch(m, text);
    }
    // Only a greeting ("salam", "hello"), or a language we cannot tell: ask for the language.
    if (!confident || (SMALL_TALK.has(first.intent) && wordCount(text) <= GREETING_MAX_WORDS)) return this.languageChoice();
    this.state.lang = guess.lang;
    this.state.langConfirmed = true;
    // "Bonjour, je voudrais des informations": the welcome (added at the end) and the menu.
    if (first.intent === 'greeting' || first.intent === 'menu') return this.home();
    return this.dispatch(first, text);
  }

  private freeText(text: string): void {
    const { matcher } = this.deps;
    let m = matcher.match(text, this.state.lang);
    if (
      m.language.lang !== this.state.lang &&
      m.language.confidence >= SWITCH_CONFIDENT &&
      wordCount(text) >= SWITCH_MIN_WORDS
    ) {
      this.state.lang = m.language.lang;
      this.state.langConfirmed = true;
      this.say('notice', this.t('language.switched'));
      m = matcher.match(text, this.state.lang);
    }
    this.dispatch(m, text);
  }

  /** Acts on what the matcher understood. */
  private dispatch(m: MatchResult, text: string): void {
    const { kb } = this.deps;
    this.intent = m.intent;
    this.confidence = m.confidence;
    this.candidates = m.ranked.slice(0, 3).map((r) => ({ intent: r.intent, confidence: r.confidence }));
    const city = m.city && kb.cities.has(m.city) ? m.city : undefined;
    if (city) this.state.city = city;
    if (m.urgency) this.urgent(m.urgency);
    if (m.ambiguous) {
      // "Hola, necesito información sobre mis derechos": mostly a greeting, so the menu fits best.
      if (!m.urgency && m.ranked.slice(0, 2).some((r) => r.intent === 'greeting' || r.intent === 'menu')) return this.home();
      const options = [...new Set(m.ranked.filter((r) => r.confidence >= DID_YOU_MEAN_MIN).map((r) => r.intent))]
        .filter((i): i is TopicId => isTopicId(i) && isAvailable(kb, i))
        .slice(0, MAX_DID_YOU_MEAN);
      if (options.length > 0) {
        this.intent = 'did-you-mean';
        return this.didYouMean(options);
      }
    }
    const intent = m.intent;
    // "I am in Tanger" or a city sent after "send your city": a short message naming a city is
    // about finding help there, unless the matcher is sure it is about something else.
    if (
      city &&
      !m.urgency &&
      intent !== 'forget-me' &&
      wordCount(text) <= CITY_MESSAGE_MAX_WORDS &&
      (this.state.lastTopic === 'find-help' || m.confidence < CITY_MESSAGE_MAX_CONFIDENCE || intent === OUT_OF_SCOPE)
    ) {
      return this.findHelp(city);
    }
    if (isTopicId(intent)) return this.topic(intent);
    switch (intent) {
      case 'greeting':
        return this.home(this.t('welcome.hello'));
      case 'thanks':
        this.fixLang();
        this.say('notice', this.t('smalltalk.thanks'));
        return;
      case 'goodbye':
        this.fixLang();
        this.say('notice', this.t('smalltalk.goodbye'));
        return;
      case 'menu':
        return this.home();
      case 'change-language': {
        const named = languageNamed(text, true);
        return named ? this.chooseLanguage(named) : this.languageChoice();
      }
      case 'talk-to-person':
        return this.person();
      case 'forget-me':
        return this.forget();
      case OUT_OF_SCOPE:
        break;
    }
    if (m.urgency) return this.topic(URGENCY_TOPIC[m.urgency]);
    if (city) return this.findHelp(city);
    return this.outOfScope();
  }

  // ---------------------------------------------------------------- replies

  private languageChoice(): void {
    this.state.awaiting = 'language';
    this.say('language-choice', this.t('language.prompt'), {
      choices: LANGS.map((l) => ({ id: `lang:${l}`, label: this.t(`language.native.${l}`) })),
    });
  }

  private chooseLanguage(lang: Lang): void {
    const wasKnown = this.state.noticeShown;
    this.state.lang = lang;
    this.state.langConfirmed = true;
    if (wasKnown) this.say('notice', this.t('language.changed'));
    this.home();
  }

  private homeChoices(): Choice[] {
    return availableCategories(this.deps.kb).map((c) => ({ id: `cat:${c}`, label: this.t(`categories.${c}.name`) }));
  }

  private home(lead?: string): void {
    this.fixLang();
    this.state.menuPath = [];
    const title = this.t('menu.title');
    this.say('menu', lead ? `${lead}\n\n${title}` : title, { choices: this.homeChoices() });
  }

  private category(cat: CategoryId): void {
    this.fixLang();
    const topics = availableTopics(this.deps.kb, cat);
    if (topics.length === 0) {
      this.say('notice', this.t('menu.empty'));
      return this.home();
    }
    this.state.menuPath = [cat];
    this.say('menu', this.t(`categories.${cat}.title`), {
      choices: topics.map((t) => ({ id: `topic:${t}`, label: this.topicLabel(t) })),
    });
  }

  private back(): void {
    const [cat, topic] = this.state.menuPath;
    if (topic !== undefined && cat !== undefined && isCategoryId(cat)) return this.category(cat);
    return this.home();
  }

  private help(): void {
    this.fixLang();
    this.say('notice', `${this.t('help.text')}\n\n${this.t('menu.nav')}`);
  }

  private stale(): void {
    this.fixLang();
    const choices = this.state.choices.length > 0 ? this.state.choices : this.homeChoices();
    if (this.state.choices.length === 0) this.state.menuPath = [];
    this.say('menu', `${this.t('menu.stale')}\n${this.t('menu.nav')}`, { choices });
  }

  private topicLabel(topic: TopicId): string {
    const picked = pickAnswer(this.deps.kb, topic, this.lang);
    if (picked) return picked.answer.title;
    return topic === 'find-help' ? this.t('oos.findHelp') : topic;
  }

  private relatedChoices(answer: TopicAnswer | undefined): Choice[] {
    if (!answer) return [];
    return [...new Set(answer.related)]
      .filter((t): t is TopicId => isTopicId(t) && t !== answer.topic && isAvailable(this.deps.kb, t))
      .slice(0, MAX_RELATED)
      .map((t) => ({ id: `topic:${t}`, label: this.topicLabel(t) }));
  }

  private didYouMean(options: TopicId[]): void {
    this.fixLang();
    this.say('did-you-mean', this.t('dym.text'), {
      choices: options.map((t) => ({ id: `topic:${t}`, label: this.topicLabel(t) })),
    });
  }

  private outOfScope(): void {
    this.fixLang();
    const choices: Choice[] = [
      { id: 'cmd:menu', label: this.t('menu.home') },
      { id: 'topic:find-help', label: this.t('oos.findHelp') },
    ];
    if (isAvailable(this.deps.kb, 'emergency-numbers')) choices.push({ id: 'topic:emergency-numbers', label: this.t('oos.emergency') });
    this.say('out-of-scope', this.t('oos.text'), { choices });
  }

  private topic(topic: TopicId): void {
    if (topic === 'find-help') return this.findHelp();
    return this.answer(topic, false);
  }

  private contactLine(org: Organisation): string {
    const c = mainContact(org);
    return c && !org.name.includes(c.value) ? `${org.name} (${c.value})` : org.name;
  }

  /** The full form of an answer: title, "being checked", body, then the footer. */
  private fullText(answer: TopicAnswer): string {
    const { kb } = this.deps;
    const parts = [`*${answer.title}*`];
    if (answer.status === 'needs-verification') parts.push(this.t('answer.checking'));
    parts.push(answer.body.trim());
    const footer: string[] = [];
    if (answer.sources.length > 0) {
      footer.push(this.t('answer.sources', { count: answer.sources.length, list: answer.sources.map((s) => s.title).join('; ') }));
    }
    footer.push(this.t('answer.reviewed', { date: this.sms ? shortDate(answer.reviewed) : longDate(answer.reviewed, this.lang) }));
    footer.push(this.t('answer.disclaimer'));
    const helpers = organisationsOf(kb, answer.organisations)
      .filter((o) => o.contacts.length > 0)
      .slice(0, MAX_HELPERS);
    if (helpers.length > 0) footer.push(this.t('answer.talkTo', { list: helpers.map((o) => this.contactLine(o)).join('; ') }));
    if (!this.sms) footer.push(this.t('menu.nav'));
    parts.push(footer.join('\n'));
    return parts.join('\n\n');
  }

  /**
   * An answer with its footer. On SMS: the short form with a short footer, and the full form
   * waits in `pendingPages` (MORE, or choice 1, sends it), unless `full` asks for it now.
   */
  private answer(topic: TopicId, full: boolean): void {
    this.fixLang();
    const { kb, capabilities } = this.deps;
    const picked: PickedAnswer | undefined = pickAnswer(kb, topic, this.lang);
    this.state.lastTopic = topic;
    this.state.menuPath = [TOPICS[topic], topic];
    if (!picked) {
      this.say('notice', this.t('answer.missing'));
      return;
    }
    const { answer, fallback } = picked;
    const parts: string[] = [];
    if (fallback) parts.push(this.t('answer.fallback', { language: this.t(`language.name.${answer.lang}`) }));
    const short = this.sms && !full;
    const footer = answer.status === 'needs-verification' ? 'answer.smsFooterChecking' : 'answer.smsFooter';
    // The SMS form (short answer and short footer) travels with every answer, so the web chat's
    // preview shows what an SMS user would really get.
    const smsForm = [answer.sms.trim() || answer.title, this.t(footer, { date: shortDate(answer.reviewed) })].join('\n\n');
    if (short) {
      parts.push(smsForm);
      this.deferredFull = this.fullText(answer);
    } else parts.push(this.fullText(answer));
    const related = this.relatedChoices(answer);
    const choices: Choice[] = [];
    if (short) choices.push({ id: `full:${topic}`, label: this.t('answer.full') });
    choices.push(...related);
    if (related.length > 0 && !short) parts.push(this.t('related.title'));
    const links = answer.sources.filter((s) => s.url).map((s) => ({ title: s.title, url: s.url as string }));
    const feedback = capabilities.cheapFeedback && !this.sms;
    const inlineFeedback = feedback && capabilities.buttons === 'inline';
    if (feedback && !inlineFeedback) {
      choices.push({ id: 'fb:yes', label: this.t('feedback.helped') }, { id: 'fb:no', label: this.t('feedback.notHelped') });
    }
    const text = parts.join('\n\n');
    const reply = this.say('answer', text, {
      lang: answer.lang,
      choices,
      ...(links.length > 0 ? { links } : {}),
      smsText: short ? text : smsForm,
    });
    if (short) this.shortAnswer = reply;
    if (inlineFeedback) {
      this.say('feedback', this.t('feedback.question'), {
        choices: [
          { id: 'fb:yes', label: this.t('feedback.yes') },
          { id: 'fb:no', label: this.t('feedback.no') },
        ],
      });
    }
    if (feedback) this.state.awaiting = 'feedback';
  }

  private feedback(value: 'yes' | 'no'): void {
    this.fixLang();
    const topic = this.state.lastTopic;
    this.events.push({ name: 'feedback.received', topic: topic ?? 'none', value });
    this.say('notice', this.t(value === 'yes' ? 'feedback.thanks' : 'feedback.thanksNo'));
    if (topic && isTopicId(topic)) this.quietChoices = this.relatedChoices(pickAnswer(this.deps.kb, topic, this.lang)?.answer);
  }

  private urgent(kind: UrgencyKind): void {
    this.fixLang();
    const orgs = urgentOrganisations(this.deps.kb, kind);
    if (orgs.length === 0) {
      this.say('urgent', this.t('urgent.none'));
      return;
    }
    const lines = orgs.map((o) => {
      const value = mainContact(o)?.value ?? '';
      return o.name.includes(value) ? `- ${o.name}` : `- ${o.name}: ${value}`;
    });
    this.say('urgent', `*${this.t('urgent.header')}*\n${lines.join('\n')}`);
  }

  /** Organisations that fit the conversation: the last topic's, then the city's, then general ones. */
  private helpers(): Organisation[] {
    const { kb } = this.deps;
    const all = [...kb.organisations.values()].filter((o) => !o.emergency && o.contacts.length > 0);
    const topic = this.state.lastTopic;
    let ids: string[] = [];
    if (topic && isTopicId(topic)) {
      ids.push(...(pickAnswer(kb, topic, this.lang)?.answer.organisations ?? []));
      ids.push(...all.filter((o) => o.topics.includes(topic)).map((o) => o.id));
    }
    if (ids.length === 0) ids = all.filter((o) => o.topics.includes('find-help')).map((o) => o.id);
    if (ids.length === 0) ids = all.map((o) => o.id);
    let orgs = organisationsOf(kb, [...new Set(ids)]).filter((o) => !o.emergency && o.contacts.length > 0);
    const city = this.state.city;
    if (city) {
      const rank = (o: Organisation): number => (o.cities.includes(city) ? 0 : o.cities.length === 0 ? 1 : 2);
      orgs = orgs.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
    }
    return orgs.slice(0, MAX_HELPERS);
  }

  private emergencyLine(): string | undefined {
    const services = [...this.deps.kb.organisations.values()].filter((o) => o.emergency && mainContact(o)).slice(0, 4);
    if (services.length === 0) return undefined;
    return `${this.t('urgent.header')} ${services.map((o) => this.contactLine(o)).join(', ')}`;
  }

  private person(): void {
    this.fixLang();
    const orgs = this.helpers();
    const parts: string[] = [];
    if (orgs.length > 0) {
      parts.push(this.t('person.text'));
      parts.push(orgs.map((o) => this.orgEntry(o)).join(this.entrySep));
    } else parts.push(this.t('person.none'));
    const emergency = this.emergencyLine();
    if (emergency) parts.push(emergency);
    this.say('answer', parts.join('\n\n'));
  }

  /** Between two organisations: a blank line, or a line break on SMS. */
  private get entrySep(): string {
    return this.sms ? '\n' : '\n\n';
  }

  private orgEntry(org: Organisation): string {
    if (this.sms) return this.contactLine(org);
    const contacts = sortedContacts(org)
      .slice(0, 2)
      .map((c) => `${this.t(`contact.${c.kind}`)}: ${c.value}${c.note ? ` (${c.note})` : ''}`);
    return [`*${org.name}*`, describe(org, this.lang), ...contacts].filter((l) => l.length > 0).join('\n');
  }

  /** Organisations in the user's city (named, remembered or located) and national ones. */
  private findHelp(cityId?: string, location?: GeoPoint): void {
    this.fixLang();
    const { kb, capabilities } = this.deps;
    this.state.lastTopic = 'find-help';
    this.state.menuPath = ['help', 'find-help'];
    const near = location ? nearestCity(kb, location) : undefined;
    const city = near?.id ?? cityId ?? this.state.city;
    const related = this.relatedChoices(pickAnswer(kb, 'find-help', this.lang)?.answer);
    if (!city || !kb.cities.has(city)) {
      this.say('notice', this.t(capabilities.location ? 'findHelp.ask' : 'findHelp.askText'), { choices: related });
      return;
    }
    this.state.city = city;
    const name = cityName(kb, city, this.lang);
    // A local organisation is listed even without a contact the directory can vouch for: knowing
    // it works in the city already helps. National ones are listed only with a way to reach them.
    const orgs = [...kb.organisations.values()].filter((o) => !o.emergency);
    const local = orgs.filter((o) => o.cities.includes(city));
    const national = orgs.filter((o) => o.cities.length === 0 && o.contacts.length > 0).slice(0, MAX_NATIONAL_ORGS);
    const parts: string[] = [];
    if (near) parts.push(this.t('findHelp.nearest', { city: name }));
    if (local.length > 0) {
      parts.push(`*${this.t('findHelp.title', { city: name })}*\n${this.t('findHelp.count', { count: local.length })}`);
      parts.push(local.slice(0, MAX_LOCAL_ORGS).map((o) => this.orgEntry(o)).join(this.entrySep));
      if (national.length > 0) parts.push(`*${this.t('findHelp.national')}*\n${national.map((o) => this.orgEntry(o)).join(this.entrySep)}`);
    } else {
      parts.push(this.t('findHelp.none', { city: name }));
      if (national.length > 0) parts.push(national.map((o) => this.orgEntry(o)).join(this.entrySep));
      else {
        const emergency = this.emergencyLine();
        if (emergency) parts.push(emergency);
      }
    }
    this.say('answer', parts.join('\n\n'), { choices: related });
  }

  private more(): void {
    this.fixLang();
    const pages = this.state.pendingPages ?? [];
    const [page, ...rest] = pages;
    if (page === undefined) {
      this.say('notice', this.t('paging.none'));
      return;
    }
    this.state.pendingPages = rest.length > 0 ? rest : undefined;
    this.pagesKept = true;
    const reply = this.say('answer', rest.length > 0 ? `${page}\n\n${this.t('paging.more')}` : page, {
      ...(rest.length === 0 ? { choices: this.state.choices.filter((c) => !c.id.startsWith('full:')) } : {}),
    });
    this.paged.add(reply);
  }

  private forget(): void {
    this.deleted = true;
    this.say('notice', this.t('deleted.done'));
  }

  // ---------------------------------------------------------------- result

  private noticeText(): string {
    const days = this.t('count.days', { count: this.deps.retentionDays ?? DEFAULT_RETENTION_DAYS });
    const lines = [this.t('welcome.greeting'), `${this.t('privacy.line1')}\n${this.t('privacy.line2', { days })}`];
    if (!this.state.langConfirmed) lines.push(this.t('language.hint'));
    return lines.join('\n\n');
  }

  /** Adds the privacy notice, records the choices shown and fits SMS replies to their budget. */
  finish(): EngineTurnResult {
    const { state } = this;
    const meta = {
      intent: this.intent,
      ...(this.confidence !== undefined ? { confidence: this.confidence } : {}),
      lang: this.lang,
      ...(this.candidates ? { candidates: this.candidates } : {}),
    };
    if (this.deleted) return { replies: this.replies, state: null, events: this.events, meta };

    if (!state.noticeShown && state.lang && this.replies.some((r) => r.kind !== 'language-choice')) {
      let at = 0;
      while (this.replies[at]?.kind === 'urgent') at += 1;
      this.replies.splice(at, 0, { kind: 'notice', text: this.noticeText(), lang: state.lang });
      state.noticeShown = true;
    }

    // Numbers map back to the list shown last (a paged reply shows its list on its last page).
    const shown = [...this.replies].reverse().find((r) => r.choices && r.choices.length > 0);
    const copy = (choices: Choice[]): Choice[] => choices.map((c) => ({ ...c }));
    if (shown?.choices) state.choices = copy(shown.choices);
    else if (this.quietChoices && this.quietChoices.length > 0) state.choices = copy(this.quietChoices);

    if (this.sms) {
      this.fitSms();
      if (shown?.choices) state.choices = copy(shown.choices);
    } else if (!this.pagesKept && this.replies.length > 0) state.pendingPages = undefined;
    return { replies: this.replies, state, events: this.events, meta };
  }

  private fitSms(): void {
    const budget = Math.max(1, this.deps.capabilities.maxLength);
    const hint = gsmFold(this.t('paging.more'));
    const fold = (text: string): string => gsmFold(stripBold(text));
    const pending: string[] = [];
    for (const reply of this.replies) {
      reply.text = stripBold(reply.text);
      // Fold accents only when the whole SMS (text and numbered choices) can then be GSM-7.
      const labels = (reply.choices ?? []).map((c) => c.label);
      if (smsEncoding(gsmFold([reply.text, ...labels].join('\n'))) === 'GSM-7') {
        reply.text = gsmFold(reply.text);
        if (reply.choices) reply.choices = reply.choices.map((c) => ({ ...c, label: gsmFold(c.label) }));
      }
      if (reply.smsText !== undefined) reply.smsText = reply.text;
      if (reply.kind !== 'answer' || this.paged.has(reply) || pending.length > 0) continue;
      const numbered = (): string => numberedText((reply.choices ?? []).map((c) => c.label));
      if (reply === this.shortAnswer) {
        // The short form is written to fit: rather than page it, show fewer choices (typed numbers
        // still work: the state keeps the whole list, and MORE sends the full answer).
        while (reply.choices && reply.choices.length > 0 && smsSegments(`${reply.text}\n\n${numbered()}`) > budget) reply.choices.pop();
        if (reply.choices?.length === 0) delete reply.choices;
        continue;
      }
      const pages = paginate(reply.text, budget, hint, numbered());
      if (pages.length > 1) {
        reply.text = `${pages[0]}\n\n${hint}`;
        if (reply.smsText !== undefined) reply.smsText = reply.text;
        delete reply.choices;
        pending.push(...pages.slice(1));
      }
    }
    if (pending.length === 0 && this.deferredFull !== undefined) pending.push(...paginate(fold(this.deferredFull), budget, hint));
    if (pending.length > 0) this.state.pendingPages = pending;
    else if (!this.pagesKept && this.replies.length > 0) this.state.pendingPages = undefined;
  }
}

/**
 * Handles one inbound message. `state` is undefined for a user never seen (or forgotten); the
 * result's `state` is `null` when the user asked to be forgotten. Never stores message text.
 */
export function handleTurn(message: InboundMessage, state: ConversationState | undefined, deps: EngineDeps): EngineTurnResult {
  const current: ConversationState = state ? structuredClone(state) : newState(message.receivedAt);
  current.choices ??= [];
  current.menuPath ??= [];
  current.turns = (current.turns ?? 0) + 1;
  current.updatedAt = message.receivedAt;
  const turn = new Turn(message, current, deps);
  turn.run();
  return turn.finish();
}
