/**
 * What a dialog reads: the conversation state as it stands in this turn, the engine's
 * dependencies and the message's locale hint; and small helpers to write replies and combine steps.
 */
import type { ConversationState, Lang, Reply, ReplyKind } from '../domain/index.js';
import type { EngineDeps, Step } from './types.js';

/** A read-only view of the turn for one dialog step. */
export interface View {
  readonly state: Readonly<ConversationState>;
  readonly deps: EngineDeps;
  /** The platform's language hint, when it names a supported language. */
  readonly hintLang: Lang | undefined;
}

/** The language replies are written in now: the user's, else the hint, else the default. */
export function langOf(view: View): Lang {
  return view.state.lang ?? view.hintLang ?? view.deps.defaultLang;
}

/** An interface string in the view's language. */
export function tr(view: View, key: string, options?: Record<string, unknown>): string {
  return view.deps.t(langOf(view), key, options);
}

/** A reply in the view's language (an empty list of choices is left out). */
export function reply(view: View, kind: ReplyKind, text: string, extra: Partial<Reply> = {}): Reply {
  const out: Reply = { kind, text, lang: langOf(view), ...extra };
  if (out.choices && out.choices.length === 0) delete out.choices;
  return out;
}

/** A step of one reply. */
export function say(view: View, kind: ReplyKind, text: string, extra: Partial<Reply> = {}): Step {
  return { replies: [reply(view, kind, text, extra)] };
}

/**
 * The language fixed once content is shown in it: the hint or the default, unconfirmed. Empty
 * when the user's language is already known.
 */
export function fixLang(view: View): Partial<ConversationState> {
  return view.state.lang ? {} : { lang: langOf(view), langConfirmed: false };
}

/** The view with its language fixed (see `fixLang`), and the state fields that fixed it. */
export function settle(view: View): { view: View; state: Partial<ConversationState> } {
  const state = fixLang(view);
  return { view: { ...view, state: { ...view.state, ...state } }, state };
}

/** The view after a step's state changes. */
export function after(view: View, step: Step): View {
  return step.state ? { ...view, state: { ...view.state, ...step.state } } : view;
}

/** Merges two steps, the second's fields winning (replies and events are appended). */
export function merge(first: Step, second: Step): Step {
  const out: Step = {
    ...first,
    ...second,
    replies: [...first.replies, ...second.replies],
    state: { ...first.state, ...second.state },
  };
  const events = [...(first.events ?? []), ...(second.events ?? [])];
  if (events.length > 0) out.events = events;
  else delete out.events;
  const caseOps = [...(first.caseOps ?? []), ...(second.caseOps ?? [])];
  if (caseOps.length > 0) out.caseOps = caseOps;
  else delete out.caseOps;
  return out;
}

/** Runs `next` on the view after `first` and merges both steps. */
export function andThen(view: View, first: Step, next: (view: View) => Step): Step {
  return merge(first, next(after(view, first)));
}
