/**
 * Small helpers shared by the validators: collecting issues for one file, comparing
 * issues, suggesting the closest known name for a typo, and date arithmetic.
 */
import type { ContentIssue } from '../domain/index.js';
import type { IssueCodeName } from './issue-codes.js';

export { ISSUE_CODES, type IssueCodeName } from './issue-codes.js';

/** An issue's code and parameters (see `ContentIssue.code`; the sentences are the admin locales' `issue.<code>`). */
export interface IssueCode {
  code: IssueCodeName;
  params?: Record<string, string | number>;
}

/** Collects the issues of one file; every issue carries its code, so any interface can say it in its own language. */
export interface IssueSink {
  readonly file: string;
  error(line: number, message: string, coded: IssueCode): void;
  warning(line: number, message: string, coded: IssueCode): void;
  /** Reports with a severity chosen by the caller. */
  add(severity: ContentIssue['severity'], line: number, message: string, coded: IssueCode): void;
}

/** An issue not tied to a sink (whole-file and folder issues): `message` in English, with its code. */
export function codedIssue(file: string, line: number, severity: ContentIssue['severity'], message: string, coded: IssueCode): ContentIssue {
  return { file, line: Math.max(1, line), severity, message, code: coded.code, ...(coded.params ? { params: coded.params } : {}) };
}

/** A sink that appends to `issues`, attributing everything to `file`. */
export function issueSink(file: string, issues: ContentIssue[]): IssueSink {
  const add = (severity: ContentIssue['severity'], line: number, message: string, coded: IssueCode): void => {
    issues.push(codedIssue(file, line, severity, message, coded));
  };
  return {
    file,
    add,
    error: (line, message, coded) => add('error', line, message, coded),
    warning: (line, message, coded) => add('warning', line, message, coded),
  };
}

/** Orders issues by file, then line, then errors before warnings (a stable total order). */
export function compareIssues(a: ContentIssue, b: ContentIssue): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Returns the issues sorted with `compareIssues` (a new array). */
export function sortIssues(issues: readonly ContentIssue[]): ContentIssue[] {
  return [...issues].sort(compareIssues);
}

/** Levenshtein edit distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The known name closest to `value` when it is close enough to be a typo
 * (one edit for names under 5 letters, two for longer ones, or same letters in another case).
 */
export function closest(value: string, known: Iterable<string>): string | undefined {
  const v = value.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(v, k.toLowerCase());
    const limit = k.length < 5 ? 1 : 2;
    if (d <= limit && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** `{ suggestion }` when a close known name exists (for an issue's params), else nothing. */
export function suggestion(value: string, known: Iterable<string>): { suggestion?: string } {
  const c = closest(value, known);
  return c === undefined ? {} : { suggestion: c };
}

/** `; did you mean "x"?` when a close known name exists, else the empty string. */
export function didYouMean(value: string, known: Iterable<string>): string {
  const c = closest(value, known);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Whole days from ISO date `from` to ISO date `to` (negative when `from` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A value shown in a message: strings quoted and shortened, other values as YAML would write them. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a group of fields';
  return String(value);
}

/**
 * A value shown in an issue's sentence, in no language: a text quoted (shortened), a list `[…]`, a
 * group of fields `{…}`, nothing `—`, other values as YAML writes them.
 */
export function found(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return '[…]';
  if (typeof value === 'object') return '{…}';
  return String(value);
}
