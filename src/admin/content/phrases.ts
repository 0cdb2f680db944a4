/**
 * Editing a training phrase file as its editors do: add phrases, remove phrases, keep comments
 * and the order of the others. Duplicates are compared as `content:check` compares them.
 */
import { phraseKey } from '../../knowledge/index.js';

/** The phrases of a file (blank lines and `#` comments left out). */
export function phrasesOf(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * The file text with the `remove` phrases taken out and the `add` phrases (one per entry, each
 * made one line) appended when not already there. Pure.
 */
export function editPhrases(text: string, add: readonly string[], remove: readonly string[]): string {
  const gone = new Set(remove.map(phraseKey));
  const kept = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => {
      const t = l.trim();
      return t === '' || t.startsWith('#') || !gone.has(phraseKey(t));
    });
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  const present = new Set(phrasesOf(kept.join('\n')).map(phraseKey));
  for (const raw of add) {
    const p = raw.replace(/\s+/g, ' ').trim();
    if (p === '' || p.startsWith('#') || present.has(phraseKey(p))) continue;
    present.add(phraseKey(p));
    kept.push(p);
  }
  return kept.length > 0 ? kept.join('\n') + '\n' : '';
}
