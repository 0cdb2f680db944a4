/**
 * Forget-me deletions that could not reach Redis, kept until it is back. A queued deletion wins over
 * whatever Redis still holds for that conversation: it is applied before the conversation is read
 * again, and all of them when the outage ends.
 */
import type { ConversationKey, Logger } from '../../domain/index.js';

/** Forget-me deletions kept while Redis is down. */
export const MAX_PENDING_DELETES = 10_000;

/** The queue of deletions waiting for Redis. */
export interface DeleteQueue {
  /** Deletes now, or queues the deletion when Redis fails (never throws). */
  forget(key: ConversationKey): Promise<void>;
  /** Queues a deletion without trying first (Redis just failed). */
  defer(key: ConversationKey): void;
  /** Applies a deletion queued for `key`, if any; `false` when one is queued and Redis still fails. */
  settle(key: ConversationKey): Promise<boolean>;
  /** Applies the queued deletions in order, stopping at the first failure (the next recovery resumes). */
  flush(): Promise<void>;
  /** Deletions waiting. */
  size(): number;
}

/** `remove` deletes a conversation's keys in one round trip and throws when Redis fails. */
export function createDeleteQueue(remove: (key: ConversationKey) => Promise<void>, logger: Logger, max = MAX_PENDING_DELETES): DeleteQueue {
  const pending = new Set<ConversationKey>();
  let flushing = false;

  const deleteNow = async (key: ConversationKey): Promise<void> => {
    await remove(key);
    pending.delete(key);
  };

  const queue: DeleteQueue = {
    async forget(key) {
      try {
        await deleteNow(key);
      } catch {
        queue.defer(key);
      }
    },
    defer(key) {
      if (pending.size >= max) {
        logger.error('state.redis.delete_dropped', { pending: pending.size });
        return;
      }
      pending.add(key);
      logger.warn('state.redis.delete_deferred', { pending: pending.size });
    },
    async settle(key) {
      if (!pending.has(key)) return true;
      try {
        await deleteNow(key);
        return true;
      } catch {
        return false;
      }
    },
    async flush() {
      if (flushing || pending.size === 0) return;
      flushing = true;
      try {
        for (const key of [...pending]) {
          try {
            await deleteNow(key);
          } catch {
            break; // down again: the next recovery retries
          }
        }
        if (pending.size === 0) logger.info('state.redis.deletes_applied');
      } finally {
        flushing = false;
      }
    },
    size: () => pending.size,
  };
  return queue;
}
