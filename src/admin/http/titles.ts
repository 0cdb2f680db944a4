/**
 * The title of a topic as the admin shows it.
 */
import { isLang, isTopicId, type KnowledgeBase, type TopicId } from '../../domain/index.js';
import { parseContentKey } from '../../knowledge/publish.js';

/** The topic's title in `lang`, else in French, else in English, else its id. */
export function titleOf(kb: KnowledgeBase, topic: TopicId, lang: string): string {
  const byLang = kb.answers.get(topic);
  return (isLang(lang) ? byLang?.get(lang)?.title : undefined) ?? byLang?.get('fr')?.title ?? byLang?.get('en')?.title ?? topic;
}

/**
 * A content file as editors know it: "Carte de séjour · FR" for an answer, "Training phrases:
 * Carte de séjour · FR" for a phrase file; the file path only for a file that is neither.
 */
export function fileLabel(kb: KnowledgeBase, key: string, phrasesTitle: string, uiLang: string): string {
  const ref = parseContentKey(key);
  if (!ref) return key;
  if (ref.kind === 'answer') return `${titleOf(kb, ref.topic, ref.lang)} · ${ref.lang.toUpperCase()}`;
  return `${phrasesTitle}: ${isTopicId(ref.intent) ? titleOf(kb, ref.intent, uiLang) : ref.intent} · ${ref.lang.toUpperCase()}`;
}
