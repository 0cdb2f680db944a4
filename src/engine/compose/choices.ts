/**
 * Choices as menus and answers show them: topic labels, the home menu's categories, and an
 * answer's related topics.
 */
import { isTopicId, type Choice, type TopicAnswer, type TopicId } from '../../domain/index.js';
import { availableCategories, isAvailable, pickAnswer } from '../content.js';
import { langOf, tr, type View } from '../context.js';

/** Related topics shown at most under an answer. */
const MAX_RELATED = 4;

/**
 * A topic's label in the user's language (menus, related topics, did-you-mean): its answer's
 * short label, written to fit a WhatsApp button; the title when the answer has none.
 */
export function topicLabel(view: View, topic: TopicId): string {
  const picked = pickAnswer(view.deps.kb, topic, langOf(view));
  if (picked) return picked.answer.label ?? picked.answer.title;
  return topic === 'find-help' ? tr(view, 'oos.findHelp') : topic;
}

/** The home menu's choices: the categories with something to show. */
export function homeChoices(view: View): Choice[] {
  return availableCategories(view.deps.kb).map((c) => ({ id: `cat:${c}`, label: tr(view, `categories.${c}.name`) }));
}

/** Choices of an answer's related topics that can be shown. */
export function relatedChoices(view: View, answer: TopicAnswer | undefined): Choice[] {
  if (!answer) return [];
  return [...new Set(answer.related)]
    .filter((t): t is TopicId => isTopicId(t) && t !== answer.topic && isAvailable(view.deps.kb, t))
    .slice(0, MAX_RELATED)
    .map((t) => ({ id: `topic:${t}`, label: topicLabel(view, t) }));
}
