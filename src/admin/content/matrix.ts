/**
 * The topic x language matrix of the admin's home page: for each answer its status (published,
 * needs-verification, draft, missing) and flags: stale (the French source changed after this
 * translation), review overdue (facts checked more than a year ago), unpublished changes waiting.
 */
import { LANGS, TOPIC_IDS } from '../../domain/index.js';
import type { AnswerStatus, KnowledgeBase, Lang, TopicAnswer, TopicId } from '../../domain/index.js';
import { REVIEW_MAX_AGE_DAYS, daysBetween } from '../../knowledge/index.js';
import { answerKey } from '../../knowledge/publish.js';
import { answerHash, type SourceMark } from '../workspace/index.js';

/** One cell of the matrix. */
export interface MatrixCell {
  topic: TopicId;
  lang: Lang;
  status: AnswerStatus | 'missing';
  /** The French answer changed (content or review date) after this translation. */
  stale: boolean;
  /** The facts were checked more than `REVIEW_MAX_AGE_DAYS` ago. */
  overdue: boolean;
  /** A draft waits for review. */
  pending: boolean;
  reviewed?: string;
}

/**
 * True when a translation is stale: the French answer's content differs from the one it was
 * last published against (when the admin recorded it), or the French review date is later.
 */
export function isStale(fr: TopicAnswer | undefined, tr: TopicAnswer | undefined, mark: SourceMark | undefined): boolean {
  if (!fr || !tr || tr.lang === 'fr') return false;
  if (mark && mark.frHash !== answerHash(fr)) return true;
  return fr.reviewed > tr.reviewed;
}

/** Builds the matrix: one row per taxonomy topic (menu order), one cell per language. Pure. */
export function buildMatrix(
  kb: KnowledgeBase,
  ctx: { draftKeys: ReadonlySet<string>; marks: ReadonlyMap<string, SourceMark>; today: string },
): MatrixCell[][] {
  return TOPIC_IDS.map((topic) => {
    const byLang = kb.answers.get(topic);
    const fr = byLang?.get('fr');
    return LANGS.map((lang): MatrixCell => {
      const a = byLang?.get(lang);
      const pending = ctx.draftKeys.has(answerKey(topic, lang));
      if (!a) return { topic, lang, status: 'missing', stale: false, overdue: false, pending };
      return {
        topic,
        lang,
        status: a.status,
        stale: isStale(fr, a, ctx.marks.get(`${topic}:${lang}`)),
        overdue: daysBetween(a.reviewed, ctx.today) > REVIEW_MAX_AGE_DAYS,
        pending,
        reviewed: a.reviewed,
      };
    });
  });
}
