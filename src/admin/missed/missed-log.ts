/**
 * Missed questions: messages Dalil could not answer or answered with low confidence, kept for
 * editors to turn into training phrases. Before anything is stored, phone numbers, e-mail
 * addresses, digit runs of 6 or more, document numbers (letters and digits mixed, "AB12345"),
 * names given after "my name is / je m'appelle / me llamo / اسمي …" and street addresses ("12 rue
 * …", "calle …", "شارع …") are masked. A record holds the day, never the time, and no user key;
 * records expire after at most 30 days. So that forget-me can erase them, each has a separate
 * erasure entry under a keyed reference of its sender (`owner`: a keyed hash that is not the
 * conversation key), which nothing but `forget` reads.
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
  /** Milliseconds since the epoch (default: now); only the day is kept. */
  at?: number;
  /** Keyed reference of the sender, used only to erase their questions on forget-me. */
  owner?: string;
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
  /** Midnight (UTC) of the day it was asked: the time of day is never kept. */
  at: number;
}

/** The erasure entry of a question: who may erase it (a keyed reference) and which record. */
interface ErasureEntry {
  owner: string;
  id: string;
}

/** Longest retention allowed (days). */
export const MISSED_MAX_DAYS = 30;
/** Longest text kept (characters). */
export const MISSED_MAX_CHARS = 500;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** A phone-like run: digits with spaces, dots, dashes, slashes or brackets, 8 digits or more. */
const PHONE = /(?:\+|00)?\p{Nd}(?:[\s.\-/()]{0,3}\p{Nd}){7,}/gu;
const DIGITS = /\p{Nd}{6,}/gu;
/** What an owner reference looks like (a keyed hash, base64url). */
const OWNER = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * A document number: one word of 5 to 20 letters and digits with at least 3 digits and a letter
 * ("AB12345", "X1234567L", "R0123456"), or the word after "passport / passeport / pasaporte /
 * جواز / carte / titre / NIE / CIN …".
 */
const DOC_MIXED = /(?<![\p{L}\p{N}])(?=[\p{L}\p{N}]{0,19}\p{Nd}[\p{L}\p{N}]{0,19}\p{Nd}[\p{L}\p{N}]{0,19}\p{Nd})(?=[\p{N}]{0,19}\p{L})[\p{L}\p{N}]{5,20}(?![\p{L}\p{N}])/gu;
const DOC_AFTER = /(?<![\p{L}])(passport|passeport|pasaporte|جواز(?: السفر)?|cin|nie|dni|carte de séjour|titre de séjour|tarjeta)(?:\s{1,3}(?:n°|no\.?|nº|number|numéro|numero|número|رقم))?\s{0,3}[:#]?\s{0,3}(?=[\p{L}\p{N}]{0,19}\p{N})[\p{L}\p{N}]{4,20}(?![\p{L}\p{N}])/giu;

/** Words after which a name follows, in the four languages. */
const NAME_AFTER = /(?<![\p{L}])(my name is|my name's|i am called|i'm called|call me|je m'appelle|je m’appelle|mon nom est|mon prénom est|je suis nommée?|me llamo|mi nombre es|me llaman|اسمي|إسمي|انا اسمي|أنا اسمي|سميتي|كنسمى)((?:[\s,:]{1,3}[\p{L}'’-]{1,30}){1,3})/giu;
/** Words that end a name (a name never runs into them). */
const NAME_STOP = new Set(['and', 'i', 'im', 'am', 'from', 'et', 'je', 'suis', 'de', 'y', 'soy', 'vengo', 'and', 'و', 'من', 'انا', 'أنا', 'but', 'mais', 'pero', 'please', 'svp', 'stp', 'por', 'need', 'want', 'have', 'ai', 'tengo']);

/**
 * A street address: a street word (rue, avenue, boulevard, derb, hay, calle, street, شارع, زنقة,
 * درب, حي …) with up to four words after it and an optional house number before it.
 */
const ADDRESS = /(?:\p{Nd}{1,5}(?:\s{0,2},)?\s{1,3})?(?<![\p{L}])(rue|avenue|av\.|bd|boulevard|impasse|lotissement|résidence|derb|hay|quartier|calle|avenida|plaza|paseo|street|st\.|road|lane|شارع|زنقة|درب|حي|زقاق|إقامة)(?![\p{L}])((?:\s{1,3}[^\s,.;!?]{1,30}){1,4})/giu;

/** Masks a name given after "my name is …" and its equivalents: up to three words, stopping at a joining word. */
function maskNames(text: string): string {
  return text.replace(NAME_AFTER, (_all, lead: string, rest: string) => {
    const words = rest.split(/([\s,:]{1,3})/u);
    // words alternates separator / word; keep everything from the first stop word on.
    let i = 1;
    let masked = false;
    const out: string[] = [lead];
    for (; i < words.length; i += 2) {
      const sep = words[i] ?? '';
      const word = words[i + 1] ?? '';
      if (sep.includes(',') || NAME_STOP.has(word.toLowerCase())) break;
      if (!masked) out.push(' [name]');
      masked = true;
    }
    out.push(words.slice(i).join(''));
    return out.join('');
  });
}

/**
 * Masks what identifies a person in a question: e-mail addresses, phone numbers, digit runs of
 * 6 or more (any script's digits), document numbers, names given after "my name is" and its
 * equivalents, and street addresses, in French, English, Spanish and Arabic.
 */
export function maskPrivate(text: string): string {
  return maskNames(
    text
      .replace(EMAIL, '[email]')
      .replace(DOC_AFTER, (_all, word: string) => `${word} [document]`)
      .replace(PHONE, '[phone]')
      .replace(DOC_MIXED, '[document]')
      .replace(DIGITS, '[number]'),
  ).replace(ADDRESS, (_all, word: string) => `${word} [address]`);
}

/** Midnight (UTC) of the day of `ms`. */
export function dayOf(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
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
  /** Erases every question of one sender (forget-me); never throws. Returns how many were erased. */
  forget(owner: string): Promise<number>;
}

/** Creates the missed-questions log over the admin store. */
export function createMissedLog(opts: MissedLogOptions): MissedLog {
  const { store, logger } = opts;
  const now = opts.now ?? Date.now;
  const ttl = Math.min(MISSED_MAX_DAYS, Math.max(1, opts.retentionDays)) * 86_400;
  const maxPerDay = opts.maxPerDay ?? 300;
  // The day whose cap this instance saw reached: the day's count only grows, so later questions
  // of that day are dropped without a round trip (under load nearly every turn was one).
  let fullDay: string | undefined;
  return {
    async record(turn) {
      try {
        const raw = typeof turn.text === 'string' ? turn.text.trim() : '';
        if (raw === '') return;
        const at = turn.at ?? now();
        const day = new Date(at).toISOString().slice(0, 10);
        if (day === fullDay) return;
        if ((await store.incr('limits', `missed-day:${day}`, 2 * 86_400)) > maxPerDay) {
          fullDay = day;
          return;
        }
        const q: MissedQuestion = {
          id: randomBytes(9).toString('base64url'),
          text: maskPrivate(raw.replace(/\s+/g, ' ')).slice(0, MISSED_MAX_CHARS),
          candidates: (turn.topCandidates ?? []).slice(0, 3).map((c) => ({ intent: String(c.intent), confidence: Number(c.confidence) || 0 })),
          at: dayOf(at),
        };
        if (isLang(turn.lang)) q.lang = turn.lang;
        if (turn.intent) q.intent = String(turn.intent);
        if (typeof turn.confidence === 'number' && Number.isFinite(turn.confidence)) q.confidence = turn.confidence;
        await store.put('missed', q.id, q, ttl);
        if (typeof turn.owner === 'string' && OWNER.test(turn.owner)) {
          const entry: ErasureEntry = { owner: turn.owner, id: q.id };
          await store.put('erasure', `${turn.owner}.${q.id}`, entry, ttl);
        }
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
    async forget(owner) {
      if (!OWNER.test(owner)) return 0;
      try {
        const entries = (await store.list<ErasureEntry>('erasure')).filter((e) => e.owner === owner);
        for (const e of entries) {
          await store.delete('missed', e.id);
          await store.delete('erasure', `${owner}.${e.id}`);
        }
        if (entries.length > 0) logger.info('admin.missed.forgotten', { count: entries.length });
        return entries.length;
      } catch (err) {
        logger.warn('admin.missed.forget_failed', { error: err instanceof Error ? err.name : 'unknown' });
        return 0;
      }
    },
  };
}

/** Folds a text for comparison: lowercase, no accents or Arabic vowel marks, letters and digits only. */
export function foldForGrouping(text: string): string {
  return text
    .replace(/\[(?:email|phone|number|document|name|address)\]/g, ' ')
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
