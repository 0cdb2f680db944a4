/**
 * Checks one content file by the rules of `content:check`: an answer by the answer validator, a
 * phrase file by the intent file validator plus collisions with the other intents' phrases, the
 * directory by the organisations validator.
 */
import type { ContentIssue, KnowledgeBase } from '../../domain/index.js';
import { checkPhraseCollisions, validateAnswer, validateIntentFile, validateOrganisations, type PhraseAt } from '../../knowledge/index.js';
import { parseContentKey, phrasesKey } from '../../knowledge/publish.js';

/** What a check needs besides the file. */
export interface CheckContext {
  kb: KnowledgeBase;
  smsShortFormSegments: number;
  /** `YYYY-MM-DD`. */
  today: string;
}

/** The issues `content:check` would report on this one file (plus phrase collisions). */
export function checkContentFile(key: string, text: string, ctx: CheckContext): ContentIssue[] {
  const ref = parseContentKey(key);
  if (!ref) throw new Error('not a content key');
  if (ref.kind === 'answer') {
    const issues = validateAnswer(text, {
      file: key,
      topic: ref.topic,
      lang: ref.lang,
      smsShortFormSegments: ctx.smsShortFormSegments,
      today: ctx.today,
      organisationIds: new Set(ctx.kb.organisations.keys()),
    }).issues;
    return [...issues, ...phoneNumbersIn(key, text)].sort((a, b) => a.line - b.line);
  }
  if (ref.kind === 'directory') return validateOrganisations(text, { file: key, today: ctx.today, cityIds: new Set(ctx.kb.cities.keys()) }).issues;
  const own = validateIntentFile(text, { file: key, intent: ref.intent, lang: ref.lang });
  const others = otherPhrases(ctx.kb, ref.lang, ref.intent);
  return [...own.issues, ...collisionsOf(key, [...own.phrases, ...others])].sort((a, b) => a.line - b.line);
}

/** A phone number as people write them in Morocco: +212 6 12 34 56 78, 0537-54-00-00, 0661234567. */
const PHONE = /(?:\+|00)\d[\d .-]{7,}\d|\b0[5-8](?:[ .-]?\d){8}\b/g;

/**
 * Phone numbers typed into an answer's text: they belong in the directory (organisations), where
 * they are checked and kept up to date in one place, and where Dalil shows them to the user.
 */
function phoneNumbersIn(file: string, text: string): ContentIssue[] {
  const lines = text.split('\n');
  let fences = 0;
  const issues: ContentIssue[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '---') fences += 1;
    else if (fences >= 2) {
      for (const m of line.matchAll(PHONE)) {
        issues.push({
          file,
          line: i + 1,
          severity: 'warning',
          message: `a phone number (${m[0].trim()}) in the answer: numbers belong in the directory (content/organisations.yaml), where they are kept up to date; list the organisation instead`,
          code: 'text.phoneNumber',
          params: { number: m[0].trim() },
        });
      }
    }
  });
  return issues;
}

/** The phrases of the other intents of a language, placed at their line in their file. */
function otherPhrases(kb: KnowledgeBase, lang: string, intent: string): PhraseAt[] {
  const counters = new Map<string, number>();
  return kb.phrases
    .filter((p) => p.lang === lang && p.intent !== intent)
    .map((p) => {
      const file = phrasesKey(p.lang, p.intent);
      const line = (counters.get(file) ?? 0) + 1;
      counters.set(file, line);
      return { ...p, file, line };
    });
}

/** Collisions that involve file `key`, placed in it (a collision is reported on whichever file sorts later). */
function collisionsOf(key: string, phrases: PhraseAt[]): ContentIssue[] {
  const at = new RegExp(`\\(${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+)\\)`);
  return checkPhraseCollisions(phrases).flatMap((i) => {
    if (i.file === key) return [i];
    const m = at.exec(i.message);
    return m ? [{ ...i, file: key, line: Number(m[1]) }] : [];
  });
}
