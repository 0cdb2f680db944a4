/**
 * Urgency detection (arrest, violence, trafficking, a child alone, a medical emergency), in every
 * language at once (people mix them), from the data of data/urgency.json:
 *
 * - `kinds`: phrases that say an emergency on their own ("arrested me", "can't breathe");
 * - `lexicon`: named word lists (a danger: "police", "hurt", "child"; a cue: "now", "alone");
 * - `pairs`: a kind is also found when words of two lists occur close together (a danger word near
 *   an immediacy or first-person cue: "police ... taking us", "child ... alone", "hitting ... me"),
 *   which generalises over the many ways of saying it;
 * - `block`: look-alikes that are no emergency in progress: `always` (a far past, a question about
 *   a past event, an idiom such as "dying of laughter") and `unlessNow` (a definition ("what is"),
 *   a question about rights or where help is, unless the message also says it is happening now:
 *   "they send me back tonight, what rights do I have").
 */
import type { UrgencyKind } from '../domain/index.js';
import { URGENCY_KINDS } from '../domain/index.js';
import urgencyData from './data/urgency.json' with { type: 'json' };
import { normalise, normaliseArabicLetters } from './normalise.js';

interface Term {
  alternatives: readonly string[];
  prefix: readonly boolean[];
  /** Whole-word regular expressions (`~...` in the data file). */
  regexes: readonly RegExp[];
}

interface Pattern {
  /** A kind (strong phrases) or a lexicon list's name. */
  tag: string;
  terms: readonly Term[];
  /** Most words allowed between two terms. */
  gap: number;
  /** The pattern as written in the data file (for tests and reports). */
  source: string;
}

interface PairRule {
  a: string;
  b: string;
  /** Most words between the two (any order unless `ordered`). */
  within: number;
  ordered?: boolean;
  /** Lexicon lists whose presence cancels the pair ("lost" + "child" + a document: a lost paper). */
  unless?: string | string[];
}

interface UrgencyFile {
  maxGap: number;
  listGap: number;
  priority: string[];
  kinds: Record<string, Record<string, string[]>>;
  lexicon: Record<string, Record<string, string[]>>;
  pairs: Record<string, PairRule[]>;
  block: { always: string[]; unlessNow: string[]; now: string[]; cues: string[] };
}

const AR_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل'];

/** Compiles one alternative list (`a|b|c*` or `~regex`) into a term, or the words that follow it. */
function compileTerm(raw: string): { term?: Term; extra: string[] } {
  if (raw.startsWith('~')) return { term: { alternatives: [], prefix: [], regexes: [new RegExp(`^(?:${normaliseArabicLetters(raw.slice(1))})$`, 'u')] }, extra: [] };
  const alternatives: string[] = [];
  const prefix: boolean[] = [];
  let extra: string[] = [];
  for (const altRaw of raw.split('|')) {
    const star = altRaw.endsWith('*');
    const words = normalise(star ? altRaw.slice(0, -1) : altRaw, { abbreviations: false }).split(' ').filter(Boolean);
    if (!words.length) continue;
    alternatives.push(words[0] ?? '');
    prefix.push(star && words.length === 1);
    // A word that normalises to several ("c'est") continues as consecutive terms.
    if (words.length > 1) extra = words.slice(1);
  }
  return alternatives.length ? { term: { alternatives, prefix, regexes: [] }, extra } : { extra };
}

/** Compiles one pattern: words separated by spaces, `a|b` alternatives, a trailing `*` for any ending, `~re` a regular expression. */
function compile(tag: string, source: string, gap: number): Pattern {
  const terms: Term[] = [];
  for (const raw of source.trim().split(/\s+/)) {
    const { term, extra } = compileTerm(raw);
    if (term) terms.push(term);
    for (const w of extra) terms.push({ alternatives: [w], prefix: [false], regexes: [] });
  }
  return { tag, terms, gap, source };
}

const FILE = urgencyData as unknown as UrgencyFile;
const PRIORITY: readonly UrgencyKind[] = [
  ...FILE.priority.filter((k): k is UrgencyKind => (URGENCY_KINDS as readonly string[]).includes(k)),
  ...URGENCY_KINDS.filter((k) => !FILE.priority.includes(k)),
];
/** The data file's patterns, compiled and indexed. */
interface Compiled {
  strong: readonly Pattern[];
  lists: readonly Pattern[];
  strongIndex: Index;
  listIndex: Index;
}

let compiled: Compiled | undefined;
/**
 * The patterns, compiled at first use rather than when the module loads (~0.1 s of normalising
 * thousands of words, which a start would otherwise wait for before it is ready).
 */
function patterns(): Compiled {
  if (!compiled) {
    const strong = PRIORITY.flatMap((kind) => Object.values(FILE.kinds[kind] ?? {}).flatMap((list) => list.map((p) => compile(kind, p, FILE.maxGap)))).filter(
      (p) => p.terms.length > 0,
    );
    const lists = Object.entries(FILE.lexicon)
      .flatMap(([name, byLang]) => Object.values(byLang).flatMap((list) => list.map((p) => compile(name, p, FILE.listGap))))
      .filter((p) => p.terms.length > 0);
    compiled = { strong, lists, strongIndex: index(strong), listIndex: index(lists) };
  }
  return compiled;
}

/** Compiles the patterns now (a server calls it once it answers, so that no message waits for it). */
export function prepareUrgency(): void {
  patterns();
}

/** Every compiled pattern, strong phrases and lexicon entries (for tests). */
export function urgencyPatterns(): ReadonlyArray<{ kind: string; source: string; words: number }> {
  const { strong, lists } = patterns();
  return [...strong, ...lists].map((p) => ({ kind: p.tag, source: p.source, words: p.terms.length }));
}

/** Forms of a message word a pattern word may match: itself and, in Arabic script, without a prefix. */
function variants(word: string): string[] {
  if (!/[\u0600-\u06FF]/.test(word)) return [word];
  const out = [word];
  for (const p of AR_PREFIXES) if (word.startsWith(p) && word.length - p.length >= 2) out.push(word.slice(p.length));
  return out;
}

function termMatches(term: Term, forms: readonly string[]): boolean {
  for (let a = 0; a < term.alternatives.length; a++) {
    const alt = term.alternatives[a] ?? '';
    const pre = term.prefix[a] ?? false;
    for (const f of forms) if (pre ? f.startsWith(alt) : f === alt) return true;
  }
  for (const re of term.regexes) for (const f of forms) if (re.test(f)) return true;
  return false;
}

/** Whether the pattern's terms after the first follow word `start` (which matched the first term). */
function restMatches(p: Pattern, forms: readonly (readonly string[])[], start: number): boolean {
  let pos = start;
  for (let t = 1; t < p.terms.length; t++) {
    const term = p.terms[t];
    let found = -1;
    for (let j = pos + 1; j <= Math.min(forms.length - 1, pos + 1 + p.gap); j++) {
      if (term && termMatches(term, forms[j] ?? [])) {
        found = j;
        break;
      }
    }
    if (found < 0) return false;
    pos = found;
  }
  return true;
}

/**
 * Patterns by their first word: exact first words by the word, prefix first words by their first
 * letter (a message word is only tried against prefixes starting as it does), and regular
 * expressions, tried on every word.
 */
interface Index {
  byFirst: Map<string, Pattern[]>;
  byLetter: Map<string, Pattern[]>;
  byRegex: Pattern[];
}

function index(patterns: readonly Pattern[]): Index {
  const byFirst = new Map<string, Pattern[]>();
  const byLetter = new Map<string, Pattern[]>();
  const byRegex: Pattern[] = [];
  const add = (map: Map<string, Pattern[]>, key: string, p: Pattern): void => {
    const list = map.get(key) ?? [];
    if (!list.includes(p)) list.push(p);
    map.set(key, list);
  };
  for (const p of patterns) {
    const first = p.terms[0];
    if (!first) continue;
    if (first.regexes.length) byRegex.push(p);
    first.alternatives.forEach((alt, a) => add(first.prefix[a] ? byLetter : byFirst, first.prefix[a] ? alt.charAt(0) : alt, p));
  }
  return { byFirst, byLetter, byRegex };
}


/** Calls `found(pattern, position)` for every pattern of `idx` matching at a word of the message. */
function scan(idx: Index, forms: readonly (readonly string[])[], found: (p: Pattern, at: number) => void): void {
  const tried = new Set<Pattern>();
  const tryAt = (p: Pattern, i: number, f: readonly string[]): void => {
    if (tried.has(p)) return;
    tried.add(p);
    if (termMatches(p.terms[0]!, f) && restMatches(p, forms, i)) found(p, i);
  };
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i] ?? [];
    tried.clear();
    for (const form of f) {
      for (const p of idx.byFirst.get(form) ?? []) tryAt(p, i, f);
      for (const p of idx.byLetter.get(form.charAt(0)) ?? []) tryAt(p, i, f);
    }
    for (const p of idx.byRegex) tryAt(p, i, f);
  }
}

/** Whether words of lists `a` and `b` occur within the rule's distance. */
function pairHolds(rule: PairRule, at: ReadonlyMap<string, readonly number[]>): boolean {
  if (rule.unless !== undefined && [rule.unless].flat().some((l) => at.has(l))) return false;
  for (const i of at.get(rule.a) ?? []) {
    for (const j of at.get(rule.b) ?? []) {
      if (i === j) continue;
      if (rule.ordered ? j > i && j - i <= rule.within + 1 : Math.abs(i - j) <= rule.within + 1) return true;
    }
  }
  return false;
}

/** Whether a look-alike cue rules the message out: always, or unless it also says "now". */
function blocked(at: ReadonlyMap<string, readonly number[]>): boolean {
  if (FILE.block.always.some((l) => at.has(l))) return true;
  return FILE.block.unlessNow.some((l) => at.has(l)) && !FILE.block.now.some((l) => at.has(l));
}

/** What the patterns read in a message, from one pass over its words. */
export interface UrgencyCues {
  /** The urgency it speaks of (strong phrases first, then pairs; the data file's priority order within each). */
  kind: UrgencyKind | undefined;
  /** A look-alike cue (a far past, an idiom, a general question not happening now) rules it out. */
  blocked: boolean;
  /**
   * It reads as happening now (an immediacy cue, a cry for help, an ongoing verb form) and is no
   * look-alike: with a topic of emergency found by the classifier, it is one.
   */
  soundsNow: boolean;
}

/** Reads a message once for every urgency cue the matcher asks about. */
export function readUrgencyCues(text: string): UrgencyCues {
  const words = normalise(text).split(' ').filter(Boolean);
  if (!words.length) return { kind: undefined, blocked: false, soundsNow: false };
  const forms = words.map(variants);
  const at = new Map<string, number[]>();
  scan(patterns().listIndex, forms, (p, i) => at.set(p.tag, [...(at.get(p.tag) ?? []), i]));
  if (blocked(at)) return { kind: undefined, blocked: true, soundsNow: false };
  const soundsNow = FILE.block.cues.some((l) => at.has(l));
  const strong = new Set<string>();
  scan(patterns().strongIndex, forms, (p) => strong.add(p.tag));
  for (const kind of PRIORITY) if (strong.has(kind)) return { kind, blocked: false, soundsNow };
  for (const kind of PRIORITY) if ((FILE.pairs[kind] ?? []).some((rule) => pairHolds(rule, at))) return { kind, blocked: false, soundsNow };
  return { kind: undefined, blocked: false, soundsNow };
}

/** The urgency a message speaks of, if any (strong phrases first, then pairs; the data file's priority order within each). */
export function detectUrgency(text: string): UrgencyKind | undefined {
  return readUrgencyCues(text).kind;
}
