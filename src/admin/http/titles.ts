/**
 * The title of a topic as the admin shows it.
 */
import { isLang, type KnowledgeBase, type TopicId } from '../../domain/index.js';

/** The topic's title in `lang`, else in French, else in English, else its id. */
export function titleOf(kb: KnowledgeBase, topic: TopicId, lang: string): string {
  const byLang = kb.answers.get(topic);
  return (isLang(lang) ? byLang?.get(lang)?.title : undefined) ?? byLang?.get('fr')?.title ?? byLang?.get('en')?.title ?? topic;
}
