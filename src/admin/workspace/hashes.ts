/**
 * Hashes and record ids of the workspace.
 */
import { createHash } from 'node:crypto';
import type { TopicAnswer, TopicId } from '../../domain/index.js';

/** Hash of a file text (drafts remember what they started from). */
export function textHash(text: string | undefined | null): string {
  return text === undefined || text === null ? '' : createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** Hash of what a translation translates: title, body, short form and sources. */
export function answerHash(a: TopicAnswer): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.body, a.sms, a.sources]))
    .digest('base64url')
    .slice(0, 16);
}

/** Id of the source mark of a translation. */
export const markId = (topic: TopicId, lang: string): string => `${topic}:${lang}`;

/** Id of a history entry: its number, zero-padded so ids sort like numbers. */
export const historyId = (seq: number): string => String(seq).padStart(10, '0');
