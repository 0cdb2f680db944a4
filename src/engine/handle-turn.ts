/**
 * The dialog engine: one inbound message and the conversation state in, replies and the new
 * state out. Pure: no I/O, no clock (time comes from `message.receivedAt`), no randomness.
 *
 * A turn is: route the message (router.ts), run the dialog its action names (dialogs/), then
 * finish: the privacy notice on first contact, the choices a typed number maps back to, and the
 * pages behind MORE dropped once something else is said. Fitting replies to a medium (SMS
 * segments and pages) is the channel's job, after the turn.
 */
import { langOfLocale, newState, type TurnOutcome, type Choice, type ConversationState, type InboundMessage, type Reply } from '../domain/index.js';
import { after, merge, type View } from './context.js';
import { answer, didYouMean, feedback, outOfScope, topic } from './dialogs/answer.js';
import { forget, forgetConfirm, forgetKept, media, more, smallTalk } from './dialogs/conversation.js';
import { findHelp, urgent } from './dialogs/directory.js';
import { caseClose, caseEnd, caseRelay, caseResume, referral, talkToPerson } from './dialogs/referral.js';
import { back, category, chooseLanguage, help, home, languageChoice, privacy, privacyText, stale } from './dialogs/menu.js';
import { routeMessage, type Action, type Route } from './router.js';
import { say, tr } from './context.js';
import type { EngineDeps, EngineTurnResult, Step, TurnMeta } from './types.js';

/** Runs the dialog an action names. */
function runAction(view: View, action: Action): Step {
  switch (action.do) {
    case 'nothing':
      return { replies: [] };
    case 'home':
      return home(view, action.lead ? tr(view, action.lead) : undefined);
    case 'language-choice':
      return languageChoice(view);
    case 'choose-language':
      return chooseLanguage(view, action.lang);
    case 'category':
      return category(view, action.category);
    case 'topic':
      return topic(view, action.topic);
    case 'full-answer':
      return answer(view, action.topic, true);
    case 'find-help':
      return findHelp(view, action.city, action.location);
    case 'person':
      return talkToPerson(view);
    case 'referral':
      return referral(view, action.input);
    case 'case-relay':
      return caseRelay(view);
    case 'case-resume':
      return caseResume(view);
    case 'case-end':
      return caseEnd(view);
    case 'case-close':
      return caseClose(view);
    case 'help':
      return help(view);
    case 'privacy':
      return privacy(view);
    case 'back':
      return back(view);
    case 'more':
      return more(view);
    case 'stale':
      return stale(view);
    case 'feedback':
      return feedback(view, action.value);
    case 'forget':
      return forget(view);
    case 'forget-confirm':
      return forgetConfirm(view);
    case 'forget-kept':
      return forgetKept(view);
    case 'did-you-mean':
      return didYouMean(view, action.options);
    case 'out-of-scope':
      return outOfScope(view, action.refusal);
    case 'small-talk':
      return smallTalk(view, action.key);
    case 'media':
      return media(view);
  }
}

/** What an action comes to, and the topic it answers or offers first (for research aggregates). */
function outcomeOf(action: Action): { outcome: TurnOutcome; topic?: string } {
  switch (action.do) {
    case 'topic':
    case 'full-answer':
      return { outcome: 'answered', topic: action.topic };
    case 'find-help':
      return { outcome: 'directory' };
    case 'person':
      return { outcome: 'handoff' };
    case 'did-you-mean':
      return action.options[0] ? { outcome: 'did-you-mean', topic: action.options[0] } : { outcome: 'did-you-mean' };
    case 'out-of-scope':
      return { outcome: 'out-of-scope' };
    case 'feedback':
      return { outcome: 'feedback' };
    default:
      return { outcome: 'other' };
  }
}

/** The route's own steps: its state, the "switched language" notice, the urgent block; then the action's dialog. */
function runRoute(view: View, route: Route): Step {
  let step: Step = { replies: [], ...(route.state ? { state: route.state } : {}) };
  let v = after(view, step);
  if (route.switched) {
    step = merge(step, say(v, 'notice', tr(v, 'language.switched')));
  }
  if (route.urgency) {
    step = merge(step, urgent(v, route.urgency));
    v = after(view, step);
  }
  return merge(step, runAction(v, route.action));
}

/**
 * The privacy notice shown once, with the welcome (and a language hint while unconfirmed). Where
 * every character costs (`compact`), one line with the forget-me word and the PRIVACY word that
 * shows the whole notice.
 */
function noticeText(view: View): string {
  const lines = view.deps.capabilities.compact ? [tr(view, 'privacy.short')] : [privacyText(view)];
  if (!view.state.langConfirmed) lines.push(tr(view, 'language.hint'));
  return lines.join('\n\n');
}

/** Adds the privacy notice (after any urgent block), records the choices shown and drops stale pages. */
function finish(view: View, step: Step, replies: Reply[]): ConversationState {
  const state: ConversationState = { ...view.state };
  if (!state.noticeShown && state.lang && replies.some((r) => r.kind !== 'language-choice')) {
    let at = 0;
    while (replies[at]?.kind === 'urgent') at += 1;
    replies.splice(at, 0, { kind: 'notice', text: noticeText(view), lang: state.lang });
    state.noticeShown = true;
  }
  // Numbers map back to the list shown last.
  const copy = (choices: Choice[]): Choice[] => choices.map((c) => ({ ...c }));
  const shown = [...replies].reverse().find((r) => r.choices && r.choices.length > 0);
  if (shown?.choices) state.choices = copy(shown.choices);
  else if (step.keepChoices && step.keepChoices.length > 0) state.choices = copy(step.keepChoices);
  if (!step.pagesKept && replies.length > 0) state.pendingPages = undefined;
  for (const key of Object.keys(state) as Array<keyof ConversationState>) if (state[key] === undefined) delete state[key];
  return state;
}

/**
 * Handles one inbound message. `state` is undefined for a user never seen (or forgotten); the
 * result's `state` is `null` when the user asked to be forgotten. Never stores message text.
 */
export function handleTurn(message: InboundMessage, state: ConversationState | undefined, deps: EngineDeps): EngineTurnResult {
  const prior: ConversationState = state ? structuredClone(state) : newState(message.receivedAt);
  prior.choices ??= [];
  prior.menuPath ??= [];
  prior.turns = (prior.turns ?? 0) + 1;
  prior.updatedAt = message.receivedAt;
  const hintLang = langOfLocale(message.localeHint);
  const route = routeMessage({ state: prior, deps, hintLang }, message);
  // What the previous turn waited for is answered (or dropped) by this one.
  const view: View = { state: { ...prior, awaiting: undefined }, deps, hintLang };
  const step = runRoute(view, route);
  const done = after(view, step);
  const meta: TurnMeta = {
    intent: route.intent,
    ...(route.confidence !== undefined ? { confidence: route.confidence } : {}),
    lang: done.state.lang ?? hintLang ?? deps.defaultLang,
    ...(route.candidates ? { candidates: route.candidates } : {}),
    ...outcomeOf(route.action),
    ...(route.urgency ? { urgency: route.urgency } : {}),
  };
  const events = step.events ?? [];
  const replies = [...step.replies];
  const ops = step.caseOps ? { caseOps: step.caseOps } : {};
  if (step.forget) return { replies, state: null, events, meta };
  return { replies, state: finish(done, step, replies), events, meta, ...ops };
}
