/**
 * The router: what one message asks for, given the conversation so far. It reads the message
 * (carrier keywords, buttons, locations, commands, numbers, yes/no, free text through the
 * matcher) and returns an action for a dialog, with what understanding it changed in the state
 * (language detected or switched, city named, STOP or START) and whether it is urgent.
 */
import {
  OUT_OF_SCOPE,
  isCategoryId,
  isLang,
  isTopicId,
  type CategoryId,
  type ConversationState,
  type GeoPoint,
  type InboundMessage,
  type Lang,
  type MatchResult,
  type TopicId,
  type UrgencyKind,
} from '../domain/index.js';
import { COMMAND_NAMES, languageNamed, parseCommand, parseOptOut, parseYesNo, type CommandName } from './commands.js';
import { isAvailable } from './content.js';
import type { View } from './context.js';
import { caseChoiceAction, KEEPS_RELAY, routeCaseTurn, type CaseAction } from './route-case.js';
import { parseNumber, wordCount } from './text.js';

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
const MAX_DID_YOU_MEAN = 3;
/** Candidates below this confidence are not offered in "did you mean". */
const DID_YOU_MEAN_MIN = 0.1;
/** A first message of at most this many words with a small-talk intent is "just a greeting". */
const GREETING_MAX_WORDS = 3;
/** Conversational intents that say nothing about what the user needs (first contact asks the language). */
const SMALL_TALK = new Set<string>(['greeting', 'menu', 'change-language', 'thanks', 'goodbye']);

/** The topic answered after the emergency contacts when the message is urgent but matched no topic. */
export const URGENCY_TOPIC: Record<UrgencyKind, TopicId> = {
  arrest: 'police-stop-arrest',
  violence: 'gbv-support',
  trafficking: 'trafficking-victim',
  'child-alone': 'unaccompanied-minors',
  medical: 'health-care',
};

/** What a dialog is asked to do. */
export type Action =
  | { do: 'nothing' }
  | { do: 'home'; lead?: string }
  | { do: 'language-choice' }
  | { do: 'choose-language'; lang: Lang }
  | { do: 'category'; category: CategoryId }
  | { do: 'topic'; topic: TopicId }
  | { do: 'full-answer'; topic: TopicId }
  | { do: 'find-help'; city?: string; location?: GeoPoint }
  | { do: 'person' }
  | { do: 'help' }
  | { do: 'privacy' }
  | { do: 'back' }
  | { do: 'more' }
  | { do: 'stale' }
  | { do: 'feedback'; value: 'yes' | 'no' }
  | { do: 'forget' }
  | { do: 'forget-confirm' }
  | { do: 'forget-kept' }
  | { do: 'did-you-mean'; options: TopicId[] }
  | { do: 'out-of-scope'; refusal?: 'crime' | 'other-country' }
  | { do: 'small-talk'; key: 'smalltalk.thanks' | 'smalltalk.goodbye' }
  | { do: 'media' }
  | CaseAction;

/** A message understood: the action, what it was understood as (for logs), and what understanding changed. */
export interface Route {
  action: Action;
  /** An intent id, `cmd:<name>`, `choice`, `number`, `location`, `media`, `did-you-mean` ... */
  intent: string;
  confidence?: number;
  candidates?: ReadonlyArray<{ intent: string; confidence: number }>;
  /** State set by understanding itself: the language detected or switched, the city named, STOP or START. */
  state?: Partial<ConversationState>;
  /** The user was switched to the language they wrote in: say so first. */
  switched?: true;
  /** The message is urgent: the emergency contacts go before anything else. */
  urgency?: UrgencyKind;
}

const route = (intent: string, action: Action, extra: Partial<Route> = {}): Route => ({ intent, action, ...extra });

/** Home when the language is known, else the language choice. */
function homeOrLanguage(view: View, action: Action = { do: 'home' }): Action {
  // The platform's language (Telegram's language_code, the browser's) is evidence enough to
  // start in it, unconfirmed: the welcome says how to change it.
  return view.state.lang || view.hintLang ? action : { do: 'language-choice' };
}

/** What a command asks for. */
function commandAction(view: View, name: CommandName): Action {
  switch (name) {
    case 'delete':
      return { do: 'forget' };
    case 'person':
      return { do: 'person' };
    case 'language':
      return { do: 'language-choice' };
    case 'menu':
      return homeOrLanguage(view);
    case 'help':
      return homeOrLanguage(view, { do: 'help' });
    case 'privacy':
      return homeOrLanguage(view, { do: 'privacy' });
    case 'back':
      return homeOrLanguage(view, { do: 'back' });
    case 'more':
      return homeOrLanguage(view, { do: 'more' });
  }
}

/** What a choice id (a button, or a number mapped back through `state.choices`) asks for; undefined when stale. */
function choiceAction(view: View, id: string): Action | undefined {
  const sep = id.indexOf(':');
  const kind = sep < 0 ? id : id.slice(0, sep);
  const value = sep < 0 ? '' : id.slice(sep + 1);
  switch (kind) {
    case 'lang':
      return isLang(value) ? { do: 'choose-language', lang: value } : undefined;
    case 'cat':
      return isCategoryId(value) ? { do: 'category', category: value } : undefined;
    case 'topic':
      return isTopicId(value) && isAvailable(view.deps.kb, value) ? { do: 'topic', topic: value } : undefined;
    case 'full':
      return isTopicId(value) ? { do: 'full-answer', topic: value } : undefined;
    case 'cmd':
      return (COMMAND_NAMES as readonly string[]).includes(value) ? commandAction(view, value as CommandName) : undefined;
    case 'fb':
      return value === 'yes' || value === 'no' ? { do: 'feedback', value } : undefined;
    case 'case':
      return caseChoiceAction(view, value);
  }
  return undefined;
}

/** A choice id routed, or "stale" when it means nothing now. */
function routeChoice(view: View, id: string, intent: string): Route {
  const action = choiceAction(view, id);
  if (action) return route(intent, action);
  return route('stale', homeOrLanguage(view, { do: 'stale' }));
}

/** A typed number: 0 is home, others map to the list shown last. */
function routeNumber(view: View, n: number): Route {
  if (n === 0) return route('number', homeOrLanguage(view));
  const choice = view.state.choices[n - 1];
  if (choice) return routeChoice(view, choice.id, 'number');
  return route('number', homeOrLanguage(view, { do: 'stale' }));
}

/** What the matcher understood, as an action (see the comments for the order of the rules). */
function understood(view: View, m: MatchResult, text: string, extra: Partial<Route> = {}): Route {
  const { kb } = view.deps;
  const candidates = m.ranked.slice(0, 3).map((r) => ({ intent: r.intent, confidence: r.confidence }));
  const city = m.city && kb.cities.has(m.city) ? m.city : undefined;
  const state = { ...extra.state, ...(city ? { city } : {}) };
  const base: Partial<Route> = { ...extra, confidence: m.confidence, candidates, state, ...(m.urgency ? { urgency: m.urgency } : {}) };
  const to = (action: Action, intent: string = m.intent): Route => route(intent, action, base);
  // Erasing is a right, done at once when asked plainly; asked first when the matcher is unsure.
  if (m.forget === 'confirm') return to({ do: 'forget-confirm' }, 'forget-me?');
  if (m.ambiguous) {
    // "Hola, necesito información sobre mis derechos": mostly a greeting, so the menu fits best.
    if (!m.urgency && m.ranked.slice(0, 2).some((r) => r.intent === 'greeting' || r.intent === 'menu')) return to({ do: 'home' });
    const options = [...new Set(m.ranked.filter((r) => r.confidence >= DID_YOU_MEAN_MIN).map((r) => r.intent))]
      .filter((i): i is TopicId => isTopicId(i) && isAvailable(kb, i))
      .slice(0, MAX_DID_YOU_MEAN);
    if (options.length > 0) return to({ do: 'did-you-mean', options }, 'did-you-mean');
  }
  const intent = m.intent;
  // "I am in Tanger" or a city sent after "send your city": a short message naming a city is
  // about finding help there, unless the matcher is sure it is about something else.
  if (
    city &&
    !m.urgency &&
    intent !== 'forget-me' &&
    wordCount(text) <= CITY_MESSAGE_MAX_WORDS &&
    (view.state.lastTopic === 'find-help' || m.confidence < CITY_MESSAGE_MAX_CONFIDENCE || intent === OUT_OF_SCOPE)
  ) {
    return to({ do: 'find-help', city });
  }
  if (isTopicId(intent)) return to({ do: 'topic', topic: intent });
  // An urgent message is never small talk: "je vais me suicider" is no goodbye.
  if (m.urgency && SMALL_TALK.has(intent)) return to({ do: 'topic', topic: URGENCY_TOPIC[m.urgency] });
  switch (intent) {
    case 'greeting':
      return to({ do: 'home', lead: 'welcome.hello' });
    case 'thanks':
      return to({ do: 'small-talk', key: 'smalltalk.thanks' });
    case 'goodbye':
      return to({ do: 'small-talk', key: 'smalltalk.goodbye' });
    case 'menu':
      return to({ do: 'home' });
    case 'change-language': {
      const named = languageNamed(text, true);
      return to(named ? { do: 'choose-language', lang: named } : { do: 'language-choice' });
    }
    case 'talk-to-person':
      return to({ do: 'person' });
    case 'forget-me':
      return to({ do: 'forget' });
  }
  if (m.urgency) return to({ do: 'topic', topic: URGENCY_TOPIC[m.urgency] });
  // A city named in a longer message that is not about help ("the weather in Rabat tomorrow") is
  // no request for organisations there: short city messages were handled above.
  return to(m.refusal ? { do: 'out-of-scope', refusal: m.refusal } : { do: 'out-of-scope' });
}

/** First message of a conversation whose language is unknown. */
function routeFirstText(view: View, text: string): Route {
  const { matcher } = view.deps;
  const named = languageNamed(text);
  if (named) return route('change-language', { do: 'choose-language', lang: named });
  const guess = matcher.detectLanguage(text);
  const confident = guess.confidence >= LANG_CONFIDENT;
  const hint = confident ? guess.lang : view.hintLang;
  const first = matcher.match(text, hint);
  const facts = { confidence: first.confidence };
  if (first.intent === 'forget-me' && first.forget !== 'confirm') return route(first.intent, { do: 'forget' }, facts);
  if (first.forget === 'confirm') {
    const lang = hint ?? guess.lang;
    return understood(withLang(view, lang), first, text, { state: { lang, langConfirmed: confident } });
  }
  const question =
    first.urgency !== undefined || isTopicId(first.intent) || (first.ambiguous && first.ranked.some((r) => isTopicId(r.intent)));
  if (question) {
    // Never lose a real question: answer it in the best language we have, unconfirmed if unsure.
    const lang = hint ?? guess.lang;
    const m = lang === hint ? first : matcher.match(text, lang);
    return understood(withLang(view, lang), m, text, { state: { lang, langConfirmed: confident } });
  }
  // Only a greeting ("salam", "hello"), or a language we cannot tell.
  if (!confident || (SMALL_TALK.has(first.intent) && wordCount(text) <= GREETING_MAX_WORDS)) {
    // The platform's language starts the conversation in it, unconfirmed (the welcome says how to change).
    if (view.hintLang) return route(first.intent, { do: 'home' }, facts);
    // The question is asked once: an answer to it in a clear language ("مرحبا") chooses that language.
    if (view.state.awaiting === 'language' && confident) return route('change-language', { do: 'choose-language', lang: guess.lang }, facts);
    return route(first.intent, { do: 'language-choice' }, facts);
  }
  const state = { lang: guess.lang, langConfirmed: true };
  // "Bonjour, je voudrais des informations": the welcome (added at the end) and the menu.
  if (first.intent === 'greeting' || first.intent === 'menu') return route(first.intent, { do: 'home' }, { ...facts, state });
  return understood(withLang(view, guess.lang), first, text, { state });
}

/** A message in a conversation whose language is known; switches language on strong evidence. */
function routeFreeText(view: View, text: string): Route {
  const { matcher } = view.deps;
  const m = matcher.match(text, view.state.lang);
  if (m.language.lang !== view.state.lang && m.language.confidence >= SWITCH_CONFIDENT && wordCount(text) >= SWITCH_MIN_WORDS) {
    const lang = m.language.lang;
    return understood(withLang(view, lang), matcher.match(text, lang), text, { state: { lang, langConfirmed: true }, switched: true });
  }
  return understood(view, m, text);
}

function withLang(view: View, lang: Lang): View {
  return { ...view, state: { ...view.state, lang } };
}

/**
 * Routes one message. `view.state.awaiting` is what the previous turn waited for (the language,
 * feedback on an answer, a confirmation). A turn that does not answer the referral's question
 * leaves the referral; one that does not go to the case goes back to the bot (the case stays open).
 */
export function routeMessage(view: View, msg: InboundMessage): Route {
  const routed = routeInner(view, msg);
  const { referral, case: open } = view.state;
  const state: Partial<ConversationState> = {};
  if (referral && routed.action.do !== 'referral') state.referral = undefined;
  if (open?.relay && !KEEPS_RELAY.has(routed.action.do)) state.case = { ...open, relay: false };
  return Object.keys(state).length > 0 ? { ...routed, state: { ...routed.state, ...state } } : routed;
}

function routeInner(view: View, msg: InboundMessage): Route {
  const { state, deps } = view;
  const text = (msg.text ?? '').trim();

  const optOut = text && deps.capabilities.carrier ? parseOptOut(text) : undefined;
  if (optOut === 'stop') return route('opt-out.stop', { do: 'nothing' }, { state: { stopped: true } });
  if (state.stopped) {
    if (optOut === 'start') return route('opt-out.start', { do: 'home' }, { state: { stopped: undefined } });
    return route('opt-out.stopped', { do: 'nothing' });
  }
  const inCase = routeCaseTurn(view, msg, text);
  if (inCase) return route(inCase.intent, inCase.action, inCase.urgency ? { urgency: inCase.urgency } : {});

  if (msg.choiceId) return routeChoice(view, msg.choiceId, 'choice');
  if (msg.location) return route('find-help', { do: 'find-help', location: msg.location });
  if (!text) {
    if (msg.media) return route('media', { do: 'media' });
    return route('empty', homeOrLanguage(view));
  }
  const command = parseCommand(text);
  if (command) return route(`cmd:${command}`, commandAction(view, command));
  const n = parseNumber(text);
  if (n !== undefined) return routeNumber(view, n);
  if (state.awaiting === 'feedback') {
    const yn = parseYesNo(text);
    if (yn) return route('feedback', { do: 'feedback', value: yn });
  }
  // "Erase everything?" was asked last: yes erases, no keeps (its buttons and numbers work as choices).
  if (state.awaiting === 'forget-confirm') {
    const yn = parseYesNo(text);
    if (yn === 'yes') return route('cmd:delete', { do: 'forget' });
    if (yn === 'no') return route('forget-kept', { do: 'forget-kept' });
  }
  if (!state.lang) return routeFirstText(view, text);
  if (state.awaiting === 'language') {
    const named = languageNamed(text, true);
    if (named) return route('change-language', { do: 'choose-language', lang: named });
  }
  return routeFreeText(view, text);
}
