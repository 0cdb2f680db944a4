/**
 * The editors' overview: for every topic and language, the status of the answer, the size of
 * its SMS short form and how long ago its facts were checked.
 */
import { LANGS, TOPIC_IDS, smsEncoding, smsSegments } from '../domain/index.js';
import type { AnswerStatus, KnowledgeBase, Lang, SmsEncoding, TopicId } from '../domain/index.js';
import { daysBetween } from './issues.js';

/** One cell of the topic x language matrix (`status: 'missing'` when there is no answer). */
export interface ContentReportRow {
  topic: TopicId;
  lang: Lang;
  status: AnswerStatus | 'missing';
  smsSegments: number | null;
  smsEncoding: SmsEncoding | null;
  reviewedDaysAgo: number | null;
}

/** Rows for every taxonomy topic (menu order) and language (fr, en, ar, es). Pure. */
export function contentReport(kb: KnowledgeBase, today: string): ContentReportRow[] {
  const rows: ContentReportRow[] = [];
  for (const topic of TOPIC_IDS) {
    for (const lang of LANGS) {
      const a = kb.answers.get(topic)?.get(lang);
      rows.push(
        a
          ? {
              topic,
              lang,
              status: a.status,
              smsSegments: smsSegments(a.sms),
              smsEncoding: smsEncoding(a.sms),
              reviewedDaysAgo: daysBetween(a.reviewed, today),
            }
          : { topic, lang, status: 'missing', smsSegments: null, smsEncoding: null, reviewedDaysAgo: null },
      );
    }
  }
  return rows;
}
