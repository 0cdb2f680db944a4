/**
 * Users' messages into a case that could not be stored because the store was unavailable (Redis
 * down): kept in memory on this instance, sealed, in arrival order, and stored once the store
 * answers again (when it tells us it recovered, and on a retry timer meanwhile). Logs counts and
 * references only, never text.
 */
import type { ConversationKey, Logger } from '../domain/index.js';
import { CaseStoreUnavailableError } from './store.js';

/** A user's message waiting for the store; its text is already sealed. */
export interface PendingUserMessage {
  id: string;
  ref: string;
  key: ConversationKey;
  sealed: string;
  at: number;
}

export interface PendingQueue {
  size(): number;
  /** Queues a message (the oldest is dropped, and counted in the log, past the bound) and schedules a retry. */
  push(message: PendingUserMessage): void;
  /** Stores what waits, in order, until the store fails again; a call during a run gets one more run after it. */
  flush(): Promise<void>;
  /** Drops the waiting messages of a conversation (forget-me); resolves how many. */
  drop(key: ConversationKey): number;
  close(): void;
}

export interface PendingQueueOptions {
  /** Stores one message; throws `CaseStoreUnavailableError` while the store is down. */
  store(message: PendingUserMessage): Promise<void>;
  logger: Logger;
  /** Most messages kept (default 5000). */
  max?: number;
  /** Delay between retries while messages wait (default 2000 ms). */
  retryMs?: number;
}

/**
 * Stores `items` from the oldest until the store is unavailable again (then `retry` is called);
 * a failure that is not an outage drops its message, logged by reference. Resolves how many were stored.
 */
async function storeInOrder(items: PendingUserMessage[], opts: PendingQueueOptions, closed: () => boolean, retry: () => void): Promise<number> {
  let stored = 0;
  while (items.length > 0 && !closed()) {
    const next = items[0]!;
    try {
      await opts.store(next);
      stored++;
    } catch (err) {
      if (err instanceof CaseStoreUnavailableError) {
        retry();
        break;
      }
      // Not an outage (a bug or a refused write): retrying cannot help; say so without the text.
      opts.logger.error('case.pending_failed', { ref: next.ref, error: err instanceof Error ? err.name : 'unknown' });
    }
    // Forget-me may have dropped it meanwhile.
    const at = items.indexOf(next);
    if (at >= 0) items.splice(at, 1);
  }
  return stored;
}

/** Creates an empty queue. */
export function createPendingQueue(opts: PendingQueueOptions): PendingQueue {
  const { logger } = opts;
  const max = opts.max ?? 5000;
  const retryMs = opts.retryMs ?? 2000;
  const items: PendingUserMessage[] = [];
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (): void => {
    if (timer || closed || items.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void queue.flush();
    }, retryMs);
    timer.unref();
  };

  const run = async (): Promise<void> => {
    const stored = await storeInOrder(items, opts, () => closed, schedule);
    if (stored > 0) logger.info('case.pending_flushed', { count: stored, left: items.length });
  };
  const queue: PendingQueue = {
    size: () => items.length,
    push(message) {
      if (items.length >= max) {
        items.shift();
        logger.error('case.pending_dropped', { count: 1, max });
      }
      items.push(message);
      logger.warn('case.message_queued', { ref: message.ref, queued: items.length });
      schedule();
    },
    flush() {
      if (!running) {
        running = run().finally(() => (running = undefined));
        return running;
      }
      // A run is under way (it may have met the outage already): one more follows it.
      next ??= running.then(() => {
        next = undefined;
        return queue.flush();
      });
      return next;
    },
    drop(key) {
      let dropped = 0;
      for (let i = items.length - 1; i >= 0; i--) {
        if (items[i]!.key === key) {
          items.splice(i, 1);
          dropped++;
        }
      }
      return dropped;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (items.length > 0) logger.error('case.pending_lost_on_close', { count: items.length });
    },
  };
  return queue;
}
