/**
 * Source marks: which French answer each translation was last published against, so the matrix
 * and the translators' export can tell stale translations.
 */
import { LANGS, type KnowledgeBase } from '../../domain/index.js';
import { parseContentKey } from '../../knowledge/publish.js';
import type { AdminStore } from '../store/port.js';
import { answerHash, markId } from './hashes.js';
import type { HistoryChange, SourceMark } from './types.js';

/** Updates the marks after `changes` turned knowledge base `before` into `after`. */
export async function updateMarks(store: AdminStore, changes: readonly HistoryChange[], before: KnowledgeBase, after: KnowledgeBase): Promise<void> {
  for (const c of changes) {
    const ref = parseContentKey(c.key);
    if (!ref || ref.kind !== 'answer') continue;
    if (ref.lang !== 'fr') {
      const fr = after.answers.get(ref.topic)?.get('fr');
      const id = markId(ref.topic, ref.lang);
      if (fr) await store.put<SourceMark>('marks', id, { id, frHash: answerHash(fr), frReviewed: fr.reviewed });
      continue;
    }
    // French changed: translations never marked were in step with the previous French text.
    const old = before.answers.get(ref.topic)?.get('fr');
    if (!old) continue;
    for (const lang of LANGS) {
      if (lang === 'fr' || !before.answers.get(ref.topic)?.has(lang)) continue;
      const id = markId(ref.topic, lang);
      if (!(await store.get<SourceMark>('marks', id))) {
        await store.put<SourceMark>('marks', id, { id, frHash: answerHash(old), frReviewed: old.reviewed });
      }
    }
  }
}

/** Every mark by id. */
export async function readMarks(store: AdminStore): Promise<Map<string, SourceMark>> {
  return new Map((await store.list<SourceMark>('marks')).map((m) => [m.id, m]));
}
