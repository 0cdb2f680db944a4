/**
 * Urgency detection (arrest, violence, trafficking, a child alone, a medical emergency) from the
 * phrase lists of data/urgency.json, in every language at once (people mix them).
 */
import type { UrgencyKind } from '../domain/index.js';
import { URGENCY_KINDS } from '../domain/index.js';
import urgencyData from './data/urgency.json' with { type: 'json' };
import { normalise } from './normalise.js';

interface Term {
  alternatives: readonly string[];
  prefix: readonly boolean[];
}

interface Pattern {
  kind: UrgencyKind;
  terms: readonly Term[];
  /** The pattern as written in the data file (for tests and reports). */
  source: string;
}

interface UrgencyFile {
  maxGap: number;
  priority: string[];
  kinds: Record<string, Record<string, string[]>>;
}

const AR_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل'];

/** Compiles one pattern: words separated by spaces, `a|b` alternatives, a trailing `*` for any ending. */
function compile(kind: UrgencyKind, source: string): Pattern {
  const terms: Term[] = [];
  for (const raw of source.trim().split(/\s+/)) {
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
    if (alternatives.length) terms.push({ alternatives, prefix });
    for (const w of extra) terms.push({ alternatives: [w], prefix: [false] });
  }
  return { kind, terms, source };
}

const FILE = urgencyData as unknown as UrgencyFile;
const MAX_GAP = FILE.maxGap;
const PRIORITY: readonly UrgencyKind[] = [
  ...FILE.priority.filter((k): k is UrgencyKind => (URGENCY_KINDS as readonly string[]).includes(k)),
  ...URGENCY_KINDS.filter((k) => !FILE.priority.includes(k)),
];
const PATTERNS: readonly Pattern[] = PRIORITY.flatMap((kind) =>
  Object.values(FILE.kinds[kind] ?? {}).flatMap((list) => list.map((p) => compile(kind, p))),
).filter((p) => p.terms.length > 0);

/** Every compiled pattern (for tests). */
export function urgencyPatterns(): ReadonlyArray<{ kind: UrgencyKind; source: string; words: number }> {
  return PATTERNS.map((p) => ({ kind: p.kind, source: p.source, words: p.terms.length }));
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
  return false;
}

/** Whether the pattern's terms after the first follow word `start` (which matched the first term). */
function restMatches(p: Pattern, forms: readonly (readonly string[])[], start: number): boolean {
  let pos = start;
  for (let t = 1; t < p.terms.length; t++) {
    const term = p.terms[t];
    let found = -1;
    for (let j = pos + 1; j <= Math.min(forms.length - 1, pos + 1 + MAX_GAP); j++) {
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

/** Patterns by their first word (exact first words), and those whose first word is a prefix. */
const BY_FIRST = new Map<string, Pattern[]>();
const PREFIX_FIRST: Pattern[] = [];
for (const p of PATTERNS) {
  const first = p.terms[0];
  if (!first) continue;
  if (first.prefix.some(Boolean)) {
    PREFIX_FIRST.push(p);
    continue;
  }
  for (const alt of new Set(first.alternatives)) BY_FIRST.set(alt, [...(BY_FIRST.get(alt) ?? []), p]);
}
const RANK = new Map(PATTERNS.map((p, i) => [p, i] as const));

/** The urgency a message speaks of, if any (the first of the data file's priority order). */
export function detectUrgency(text: string): UrgencyKind | undefined {
  const words = normalise(text).split(' ').filter(Boolean);
  if (!words.length) return undefined;
  const forms = words.map(variants);
  // The earliest pattern of the priority order that matches anywhere wins.
  let best: Pattern | undefined;
  let bestRank = Infinity;
  const consider = (p: Pattern, start: number): void => {
    const rank = RANK.get(p) ?? Infinity;
    if (rank < bestRank && restMatches(p, forms, start)) {
      best = p;
      bestRank = rank;
    }
  };
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i] ?? [];
    for (const form of f) for (const p of BY_FIRST.get(form) ?? []) consider(p, i);
    for (const p of PREFIX_FIRST) if (termMatches(p.terms[0]!, f)) consider(p, i);
  }
  return best?.kind;
}
