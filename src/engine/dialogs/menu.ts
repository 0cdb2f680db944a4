/**
 * The menus: language choice, home, a category's topics, back, help, and the list shown again
 * when a choice is no longer valid.
 */
import { LANGS, isCategoryId, type CategoryId, type Lang } from '../../domain/index.js';
import { homeChoices, topicLabel } from '../compose/choices.js';
import { resumeChoice } from '../compose/referral.js';
import { availableTopics } from '../content.js';
import { fixLang, say, settle, andThen, tr, type View } from '../context.js';
import type { Step } from '../types.js';

/** "Which language?" with the four languages, each written in itself. */
export function languageChoice(view: View): Step {
  const step = say(view, 'language-choice', tr(view, 'language.prompt'), {
    choices: LANGS.map((l) => ({ id: `lang:${l}`, label: tr(view, `language.native.${l}`) })),
  });
  return { ...step, state: { awaiting: 'language' } };
}

/** The home menu, after `lead` when given (a greeting); first "back to my conversation" while a case is open. */
export function home(view: View, lead?: string): Step {
  const state = { ...fixLang(view), menuPath: [] };
  const v = { ...view, state: { ...view.state, ...state } };
  const title = tr(v, 'menu.title');
  const resume = resumeChoice(v);
  const choices = resume ? [resume, ...homeChoices(v)] : homeChoices(v);
  return { ...say(v, 'menu', lead ? `${lead}\n\n${title}` : title, { choices }), state };
}

/** Sets the language the user chose, says so when it changed, and shows the home menu. */
export function chooseLanguage(view: View, lang: Lang): Step {
  const wasKnown = view.state.noticeShown;
  const first: Step = { replies: [], state: { lang, langConfirmed: true } };
  return andThen(view, first, (v) => {
    const changed: Step = wasKnown ? say(v, 'notice', tr(v, 'language.changed')) : { replies: [] };
    return andThen(v, changed, (w) => home(w));
  });
}

/** A category's topics, or home when it has none to show. */
export function category(view: View, cat: CategoryId): Step {
  const fixed: Step = { replies: [], state: fixLang(view) };
  return andThen(view, fixed, (v) => {
    const topics = availableTopics(v.deps.kb, cat);
    if (topics.length === 0) return andThen(v, say(v, 'notice', tr(v, 'menu.empty')), (w) => home(w));
    const step = say(v, 'menu', tr(v, `categories.${cat}.title`), {
      choices: topics.map((t) => ({ id: `topic:${t}`, label: topicLabel(v, t) })),
    });
    return { ...step, state: { menuPath: [cat] } };
  });
}

/** One level up: from a topic to its category, else home. */
export function back(view: View): Step {
  const [cat, topic] = view.state.menuPath;
  if (topic !== undefined && cat !== undefined && isCategoryId(cat)) return category(view, cat);
  return home(view);
}

/** What the commands are. */
export function help(view: View): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'notice', `${tr(v, 'help.text')}\n\n${tr(v, 'menu.nav')}`), state };
}

const DEFAULT_RETENTION_DAYS = 30;

/** The whole privacy notice: who Dalil is, what it keeps, for how long, and the forget-me word. */
export function privacyText(view: View): string {
  const days = tr(view, 'count.days', { count: view.deps.retentionDays ?? DEFAULT_RETENTION_DAYS });
  const missedDays = tr(view, 'count.days', { count: view.deps.missedRetentionDays ?? DEFAULT_RETENTION_DAYS });
  return [tr(view, 'welcome.greeting'), `${tr(view, 'privacy.line1', { days: missedDays })}\n${tr(view, 'privacy.line2', { days })}`].join('\n\n');
}

/** PRIVACY: the whole privacy notice (compact channels show only a line of it at first contact). */
export function privacy(view: View): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'notice', `${privacyText(v)}\n\n${tr(v, 'menu.nav')}`), state };
}

/** A number or button that no longer means anything: the last list again (or home). */
export function stale(view: View): Step {
  const { view: v, state } = settle(view);
  const kept = v.state.choices.length > 0;
  const step = say(v, 'menu', `${tr(v, 'menu.stale')}\n${tr(v, 'menu.nav')}`, { choices: kept ? v.state.choices : homeChoices(v) });
  return { ...step, state: kept ? state : { ...state, menuPath: [] } };
}
