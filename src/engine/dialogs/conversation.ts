/**
 * Small dialogs about the conversation itself: the next page behind MORE, forget-me, thanks and
 * goodbye, and media the engine cannot read.
 */
import { say, settle, tr, type View } from '../context.js';
import type { Choice } from '../../domain/index.js';
import { FORGET_CHOICE } from '../commands.js';
import type { Step } from '../types.js';
import { languageChoice } from './menu.js';

/**
 * The next page kept behind MORE, as the channel fitted it; its last page shows the last list
 * again (without "full answer", which that list led to).
 */
export function more(view: View): Step {
  const { view: v, state } = settle(view);
  const [page, ...rest] = v.state.pendingPages ?? [];
  if (page === undefined) return { ...say(v, 'notice', tr(v, 'paging.none')), state };
  const choices = rest.length === 0 ? v.state.choices.filter((c) => !c.id.startsWith('full:')) : [];
  return {
    ...say(v, 'answer', page, { page: true, choices }),
    state: { ...state, pendingPages: rest.length > 0 ? rest : undefined },
    pagesKept: true,
  };
}

/** Forget-me: a confirmation, and no state kept. */
export function forget(view: View): Step {
  return { ...say(view, 'notice', tr(view, 'deleted.done')), forget: true };
}

/**
 * "Erase everything?": asked when the matcher is not sure the user asked to be forgotten. The
 * first choice is the erase command itself (its button or its number erase, as a typed "yes" does
 * on the next turn; "no" keeps everything).
 */
export function forgetConfirm(view: View): Step {
  const { view: v, state } = settle(view);
  const choices: Choice[] = [
    { id: FORGET_CHOICE, label: tr(v, 'deleted.confirmYes') },
    { id: 'cmd:menu', label: tr(v, 'deleted.confirmNo') },
  ];
  return { ...say(v, 'notice', tr(v, 'deleted.confirm'), { choices }), state: { ...state, awaiting: 'forget-confirm' } };
}

/** "No, keep it": nothing erased. */
export function forgetKept(view: View): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'notice', tr(v, 'deleted.kept')), state };
}

/** "Thanks" or "goodbye": a short, kind answer. */
export function smallTalk(view: View, key: 'smalltalk.thanks' | 'smalltalk.goodbye'): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'notice', tr(v, key)), state };
}

/** A photo, voice note or sticker: "please type", and the language choice for a new user. */
export function media(view: View): Step {
  const step = say(view, 'notice', tr(view, 'media.pleaseType'));
  if (view.state.lang) return step;
  const choice = languageChoice(view);
  return { replies: [...step.replies, ...choice.replies], ...(choice.state ? { state: choice.state } : {}) };
}
