/**
 * The title of a topic as the admin shows it.
 */
import { isLang, isTopicId, type KnowledgeBase, type TopicId } from '../../domain/index.js';
import { parseContentKey } from '../../knowledge/publish.js';
import type { MessageKey } from '../locales/en.js';

/** The topic's title in `lang`, else in French, else in English, else its id. */
export function titleOf(kb: KnowledgeBase, topic: TopicId, lang: string): string {
  const byLang = kb.answers.get(topic);
  return (isLang(lang) ? byLang?.get(lang)?.title : undefined) ?? byLang?.get('fr')?.title ?? byLang?.get('en')?.title ?? topic;
}

/**
 * A content file as editors know it: "Carte de séjour · FR" for an answer, "Training phrases:
 * Carte de séjour · FR" for a phrase file, the directory by its name; the path of anything else.
 */
export function fileLabel(kb: KnowledgeBase, key: string, t: (key: MessageKey) => string, uiLang: string): string {
  const ref = parseContentKey(key);
  if (!ref) return key;
  if (ref.kind === 'answer') return `${titleOf(kb, ref.topic, ref.lang)} · ${ref.lang.toUpperCase()}`;
  if (ref.kind === 'phrases') return `${t('phrases.title')}: ${isTopicId(ref.intent) ? titleOf(kb, ref.intent, uiLang) : ref.intent} · ${ref.lang.toUpperCase()}`;
  return t('directory.title');
}
