/**
 * When Redis returns after an outage, the states that changed meanwhile on this instance (kept in
 * `outage-fallback.ts`, marked unsaved) are written back, each only over an older state Redis still
 * holds (see `WRITE_BACK` in `data.ts`): a user who moved through the menus during the outage keeps
 * their place, while a newer state from another instance, a forget-me and an expiry all win.
 * Runs after the forget-me deletions queued during the outage; logs counts only.
 */
import type { ConversationKey, Logger } from '../../domain/index.js';
import type { ConversationData } from './data.js';
import type { ConversationRedisKeys } from './keys.js';
import type { OutageFallback } from './outage-fallback.js';

/** Writes back the unsaved states; stops at the first Redis failure (the next recovery resumes). */
export function createWriteBack(deps: { fallback: OutageFallback; data: ConversationData; keysOf(key: ConversationKey): ConversationRedisKeys; logger: Logger }): () => Promise<void> {
  let running = false;
  return async () => {
    const pending = deps.fallback.unsaved();
    if (running || pending.length === 0) return;
    running = true;
    let written = 0;
    let kept = 0;
    try {
      for (const [i, { key, json, updatedAt }] of pending.entries()) {
        let outcome;
        try {
          outcome = await deps.data.writeBack(deps.keysOf(key), json, updatedAt);
        } catch {
          kept += pending.length - i;
          break;
        }
        // A locked conversation keeps its unsaved state: its next turn here starts from it.
        if (outcome === 'locked') kept += 1;
        else deps.fallback.settled(key, json);
        if (outcome === 'written') written += 1;
      }
    } finally {
      running = false;
    }
    deps.logger.info('state.redis.written_back', { unsaved: pending.length, written, kept });
  };
}
