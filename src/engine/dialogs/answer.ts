/**
 * Answers: a topic's answer with its related topics and feedback question, "did you mean",
 * out of scope, and the user's feedback on an answer.
 */
import { TOPICS, isTopicId, type Choice, type TopicId } from '../../domain/index.js';
import { relatedChoices, topicLabel } from '../compose/choices.js';
import { fullAnswerText, shortAnswerText } from '../compose/answer-text.js';
import { referralOffer, urgencyOfTopic } from '../compose/referral.js';
import { isAvailable, pickAnswer } from '../content.js';
import { fixLang, langOf, reply, say, settle, tr, type View } from '../context.js';
import type { Step } from '../types.js';
import { findHelp } from './directory.js';

/** A topic: the directory for find-help, an answer otherwise. */
export function topic(view: View, id: TopicId): Step {
  if (id === 'find-help') return findHelp(view);
  return answer(view, id, false);
}

/**
 * A topic's answer with its footer and related topics. On compact channels it leads with the
 * short form and carries the full one in `rest` (MORE, or the first choice, shows it), unless
 * `full` asks for the full form now.
 */
export function answer(view: View, id: TopicId, full: boolean): Step {
  const state = { ...fixLang(view), lastTopic: id, menuPath: [TOPICS[id], id] };
  const v = { ...view, state: { ...view.state, ...state } };
  const { kb, capabilities } = v.deps;
  const picked = pickAnswer(kb, id, langOf(v));
  if (!picked) return { ...say(v, 'notice', tr(v, 'answer.missing')), state };
  const { answer: a, fallback } = picked;
  const lead = fallback ? [tr(v, 'answer.fallback', { language: tr(v, `language.name.${a.lang}`) })] : [];
  const short = shortAnswerText(v, a);
  const leadShort = capabilities.compact && !full;
  const related = relatedChoices(v, a);
  const expand: Choice = { id: `full:${id}`, label: tr(v, 'answer.full') };
  const choices: Choice[] = [];
  if (leadShort) choices.push(expand);
  choices.push(...related);
  // A person to talk to, when a partner could take the case: first for the urgent topics.
  const offer = referralOffer(v);
  if (offer && urgencyOfTopic(id)) choices.splice(leadShort ? 1 : 0, 0, offer);
  else if (offer) choices.push(offer);
  const parts = [...lead, leadShort ? short : fullAnswerText(v, a)];
  if (related.length > 0 && !leadShort) parts.push(tr(v, 'related.title'));
  const links = a.sources.filter((s) => s.url).map((s) => ({ title: s.title, url: s.url as string }));
  const feedback = capabilities.cheapFeedback;
  const inlineFeedback = feedback && capabilities.buttons === 'inline';
  if (feedback && !inlineFeedback) {
    choices.push({ id: 'fb:yes', label: tr(v, 'feedback.helped') }, { id: 'fb:no', label: tr(v, 'feedback.notHelped') });
  }
  const text = parts.join('\n\n');
  const replies = [
    reply(v, 'answer', text, {
      lang: a.lang,
      choices,
      ...(links.length > 0 ? { links } : {}),
      short: leadShort ? text : short,
      ...(leadShort ? { rest: fullAnswerText(v, a) } : { expand }),
    }),
  ];
  if (inlineFeedback) {
    replies.push(
      reply(v, 'feedback', tr(v, 'feedback.question'), {
        choices: [
          { id: 'fb:yes', label: tr(v, 'feedback.yes') },
          { id: 'fb:no', label: tr(v, 'feedback.no') },
        ],
      }),
    );
  }
  return { replies, state: feedback ? { ...state, awaiting: 'feedback' } : state };
}

/** "Did you mean" with the candidate topics. */
export function didYouMean(view: View, options: readonly TopicId[]): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'did-you-mean', tr(v, 'dym.text'), { choices: options.map((t) => ({ id: `topic:${t}`, label: topicLabel(v, t) })) }), state };
}

/** What Dalil cannot answer: the way home, to help nearby and to emergency numbers. */
export function outOfScope(view: View, refusal?: 'crime' | 'other-country'): Step {
  const { view: v, state } = settle(view);
  const choices: Choice[] = [
    { id: 'cmd:menu', label: tr(v, 'menu.home') },
    { id: 'topic:find-help', label: tr(v, 'oos.findHelp') },
  ];
  if (isAvailable(v.deps.kb, 'emergency-numbers')) choices.push({ id: 'topic:emergency-numbers', label: tr(v, 'oos.emergency') });
  // A request for a crime gets a short refusal; another country's visas a pointer to its embassy.
  const text = refusal === 'crime' ? tr(v, 'oos.crime') : refusal === 'other-country' ? tr(v, 'oos.otherCountry') : tr(v, 'oos.text');
  return { ...say(v, 'out-of-scope', text, { choices }), state };
}

/** Thanks for the feedback; the related topics stay reachable by number. */
export function feedback(view: View, value: 'yes' | 'no'): Step {
  const { view: v, state } = settle(view);
  const last = v.state.lastTopic;
  const step: Step = {
    ...say(v, 'notice', tr(v, value === 'yes' ? 'feedback.thanks' : 'feedback.thanksNo')),
    state,
    events: [{ name: 'feedback.received', topic: last ?? 'none', value }],
  };
  if (last && isTopicId(last)) step.keepChoices = relatedChoices(v, pickAnswer(v.deps.kb, last, langOf(v))?.answer);
  return step;
}
