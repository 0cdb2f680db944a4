/**
 * Missed questions: messages Dalil could not answer or answered with low confidence, kept for
 * editors to turn into training phrases. Phone numbers, e-mail addresses and digit runs of 6 or
 * more are masked before anything is stored; no user identifier is ever received or kept;
 * records expire after at most 30 days.
 */
import { randomBytes } from 'node:crypto';
import { isLang } from '../../domain/index.js';
import type { Lang, Logger } from '../../domain/index.js';
import type { AdminStore } from '../store/port.js';

/** What the conversation service reports about a turn Dalil could not answer well. */
export interface MissedTurn {
  text: string;
  lang?: Lang;
  /** What the matcher decided (`out-of-scope` or a topic). */
  intent?: string;
  confidence?: number;
  topCandidates?: ReadonlyArray<{ intent: string; confidence: number }>;
  /** Milliseconds since the epoch (default: now). */
  at?: number;
}

/** A stored missed question. */
export interface MissedQuestion {
  id: string;
  /** The masked text. */
  text: string;
  lang?: Lang;
  intent?: string;
  confidence?: number;
  candidates: Array<{ intent: string; confidence: number }>;
  at: number;
}

/** Longest retention allowed (days). */
export const MISSED_MAX_DAYS = 30;
/** Longest text kept (characters). */
export const MISSED_MAX_CHARS = 500;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** A phone-like run: digits with spaces, dots, dashes, slashes or brackets, 8 digits or more. */
const PHONE = /(?:\+|00)?\p{Nd}(?:[\s.\-/()]{0,3}\p{Nd}){7,}/gu;
const DIGITS = /\p{Nd}{6,}/gu;

/** Masks e-mail addresses, phone numbers and digit runs of 6 or more (any script's digits). */
export function maskPrivate(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]').replace(DIGITS, '[number]');
}

/** Options of `createMissedLog`. */
export interface MissedLogOptions {
  store: AdminStore;
  logger: Logger;
  /** Days a record is kept (capped at 30). */
  retentionDays: number;
  /** Records accepted per day at most, so a flood cannot fill the store (default 300). */
  maxPerDay?: number;
  now?: () => number;
}

/** Records missed questions and lists them. */
export interface MissedLog {
  /** Stores a masked copy; never throws (failures are logged without the text). */
  record(turn: MissedTurn): Promise<void>;
  list(): Promise<MissedQuestion[]>;
  get(id: string): Promise<MissedQuestion | undefined>;
  remove(ids: readonly string[]): Promise<void>;
}

/** Creates the missed-questions log over the admin store. */
export function createMissedLog(opts: MissedLogOptions): MissedLog {
  const { store, logger } = opts;
  const now = opts.now ?? Date.now;
  const ttl = Math.min(MISSED_MAX_DAYS, Math.max(1, opts.retentionDays)) * 86_400;
  const maxPerDay = opts.maxPerDay ?? 300;
  return {
    async record(turn) {
      try {
        const raw = typeof turn.text === 'string' ? turn.text.trim() : '';
        if (raw === '') return;
        const at = turn.at ?? now();
        const day = new Date(at).toISOString().slice(0, 10);
        if ((await store.incr('limits', `missed-day:${day}`, 2 * 86_400)) > maxPerDay) return;
        const q: MissedQuestion = {
          id: randomBytes(9).toString('base64url'),
          text: maskPrivate(raw.replace(/\s+/g, ' ')).slice(0, MISSED_MAX_CHARS),
          candidates: (turn.topCandidates ?? []).slice(0, 3).map((c) => ({ intent: String(c.intent), confidence: Number(c.confidence) || 0 })),
          at,
        };
        if (isLang(turn.lang)) q.lang = turn.lang;
        if (turn.intent) q.intent = String(turn.intent);
        if (typeof turn.confidence === 'number' && Number.isFinite(turn.confidence)) q.confidence = turn.confidence;
        await store.put('missed', q.id, q, ttl);
      } catch (err) {
        logger.warn('admin.missed.record_failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
    },
    async list() {
      const cutoff = now() - ttl * 1000;
      return (await store.list<MissedQuestion>('missed')).filter((q) => q.at > cutoff).sort((a, b) => b.at - a.at);
    },
    get: (id) => store.get<MissedQuestion>('missed', id),
    async remove(ids) {
      for (const id of ids) await store.delete('missed', id);
    },
  };
}

/** Folds a text for comparison: lowercase, no accents or Arabic vowel marks, letters and digits only. */
export function foldForGrouping(text: string): string {
  return text
    .replace(/\[(?:email|phone|number)\]/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u0623\u0625\u0622]/g, '\u0627')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0649/g, '\u064A')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Character trigrams of each word (with word boundaries), as a set. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of foldForGrouping(text).split(' ')) {
    if (word === '') continue;
    const w = ` ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) out.add(w.slice(i, i + 3));
  }
  return out;
}

/** Jaccard similarity of two sets (1 for two empty sets). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Questions that look alike, most frequent first. */
export interface MissedGroup {
  items: MissedQuestion[];
  /** The most frequent candidate topic of the group, if any. */
  suggestion?: string;
}

/**
 * Groups similar questions: each question joins the first group whose first question shares at
 * least `threshold` of its character trigrams (Jaccard), else starts a group. Groups are sorted
 * by size, then by their latest question. Pure.
 */
export function groupMissed(items: readonly MissedQuestion[], threshold = 0.45): MissedGroup[] {
  const groups: Array<{ grams: Set<string>; items: MissedQuestion[] }> = [];
  for (const q of [...items].sort((a, b) => b.at - a.at)) {
    const grams = trigrams(q.text);
    const g = groups.find((x) => jaccard(x.grams, grams) >= threshold);
    if (g) g.items.push(q);
    else groups.push({ grams, items: [q] });
  }
  return groups
    .sort((a, b) => b.items.length - a.items.length || b.items[0]!.at - a.items[0]!.at)
    .map(({ items: qs }) => {
      const votes = new Map<string, number>();
      for (const q of qs) {
        const top = q.candidates[0]?.intent ?? (q.intent !== 'out-of-scope' ? q.intent : undefined);
        if (top) votes.set(top, (votes.get(top) ?? 0) + 1);
      }
      const best = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
      return best ? { items: qs, suggestion: best } : { items: qs };
    });
}
