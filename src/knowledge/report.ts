/**
 * The editors' overview: for every topic and language, the status of the answer, the size of
 * its SMS short form and how long ago its facts were checked.
 */
import { LANGS, TOPIC_IDS, gsmFold, smsEncoding, smsSegments } from '../domain/index.js';
import type { AnswerStatus, KnowledgeBase, Lang, SmsEncoding, TopicId } from '../domain/index.js';
import { smsWithFooter } from './answer.js';
import { daysBetween } from './issues.js';
import { isReviewed, type ReviewRecord } from '../domain/index.js';

/** One cell of the topic x language matrix (`status: 'missing'` when there is no answer). */
export interface ContentReportRow {
  topic: TopicId;
  lang: Lang;
  status: AnswerStatus | 'missing';
  /** Segments of the SMS as sent: the short form, then the footer Dalil adds (when known), folded to GSM-7 where possible. */
  smsSegments: number | null;
  smsEncoding: SmsEncoding | null;
  /** Days since a reviewer checked it; null when no reviewer has (not yet checked). */
  reviewedDaysAgo: number | null;
}

/**
 * Rows for every taxonomy topic (menu order) and language (fr, en, ar, es). `smsFooter` gives the
 * footer Dalil adds after a short form, so the SMS figures are those of what is really sent. Pure.
 */
export function contentReport(kb: KnowledgeBase, today: string, smsFooter?: (answer: ReviewRecord, lang: Lang) => string): ContentReportRow[] {
  const rows: ContentReportRow[] = [];
  for (const topic of TOPIC_IDS) {
    for (const lang of LANGS) {
      const a = kb.answers.get(topic)?.get(lang);
      const sent = a ? gsmFold(smsWithFooter(a.sms, smsFooter?.(a, lang))) : '';
      rows.push(
        a
          ? {
              topic,
              lang,
              status: a.status,
              smsSegments: smsSegments(sent),
              smsEncoding: smsEncoding(sent),
              reviewedDaysAgo: isReviewed(a) ? daysBetween(a.reviewed, today) : null,
            }
          : { topic, lang, status: 'missing', smsSegments: null, smsEncoding: null, reviewedDaysAgo: null },
      );
    }
  }
  return rows;
}
