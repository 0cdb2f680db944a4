import type { ConversationState } from './state.js';
import type { ChannelId } from './message.js';

/**
 * Opaque key of one conversation: a keyed hash (HMAC-SHA256) of channel and user id,
 * never the raw id. Made by a `ConversationKeyer`.
 */
export type ConversationKey = string & { readonly __brand: 'ConversationKey' };

/** Turns a raw platform user id into a `ConversationKey`. */
export interface ConversationKeyer {
  key(channel: ChannelId, userId: string): ConversationKey;
}

/** Result of one atomic read-modify-write of a conversation. */
export interface Transaction<T> {
  /** The new state, or `null` to delete every key that belongs to the conversation. */
  state: ConversationState | null;
  result: T;
}

/**
 * A per-conversation counter: `rate` counts messages for the per-minute rate limit, `sms` counts
 * SMS replies for the daily cap. Counters belong to the conversation: forget-me deletes them.
 */
export type CounterBucket = 'rate' | 'sms';

/** Health of a store as `/healthz` reports it. */
export type StoreHealth = 'ok' | 'degraded';

/**
 * Where conversations live. Implementations: memory (the embedded default) and Redis.
 * State expires `ttlSeconds` after the last turn.
 */
export interface ConversationStore {
  /**
   * Runs `fn` against the latest state of `key` and writes what it returns, atomically
   * with respect to other `transact` calls on the same key (on every instance sharing the store).
   * `fn` may run more than once (a lock that expired mid-turn is retried), so it must have no side effects.
   */
  transact<T>(
    key: ConversationKey,
    fn: (state: ConversationState | undefined) => Transaction<T> | Promise<Transaction<T>>,
  ): Promise<T>;
  /** Reads without locking (for inspection and tests). */
  get(key: ConversationKey): Promise<ConversationState | undefined>;
  /** Deletes every key that belongs to the conversation (forget me). */
  delete(key: ConversationKey): Promise<void>;
  /**
   * Records a platform delivery id for `key`; resolves `false` when it was already seen
   * within the TTL (a retried webhook), so the caller sends no second reply.
   */
  markDelivery(key: ConversationKey, deliveryId: string): Promise<boolean>;
  /**
   * Counts one event in `bucket` for `key` in a fixed window of `windowSeconds` that starts with
   * the window's first event (capped at the state's TTL), and resolves the count so far including
   * this one. Resolves 0 when the store cannot count (Redis down): callers then let the message through.
   */
  hit(key: ConversationKey, bucket: CounterBucket, windowSeconds: number): Promise<number>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
