import type { ConversationState } from './state.js';
import type { ChannelId } from './message.js';
import type { ConversationKey } from './key.js';

export type { ConversationKey };

/** Turns a raw platform user id into a `ConversationKey`. */
export interface ConversationKeyer {
  key(channel: ChannelId, userId: string): ConversationKey;
}

/** Result of one atomic read-modify-write of a conversation. */
export interface Transaction<T> {
  /**
   * The new state; `null` to delete every key that belongs to the conversation; `undefined` to
   * leave the stored state as it is (nothing is written, its expiry is not renewed).
   */
  state: ConversationState | null | undefined;
  result: T;
}

/**
 * Checks a turn asks `transact` to make in the same round trip as taking the lock, so a webhook
 * costs the store one round trip before the turn and one after it.
 */
export interface TurnGate {
  /** The platform's delivery id: a redelivery within the TTL is reported as `duplicate` (see `markDelivery`). */
  deliveryId?: string;
  /** Counts this message in the per-minute rate-limit bucket, as `hit(key, 'rate', rateWindowSeconds)` would. */
  rateWindowSeconds?: number;
}

/** What the gate found, as `transact` hands it to its function. */
export interface GateResult {
  /**
   * The delivery was already seen. The function then runs on the latest state without the lock,
   * and nothing it returns is written.
   */
  duplicate: boolean;
  /** The rate-limit count including this message; 0 when not asked for or when the store cannot count. */
  rateCount: number;
}

/** The gate result of a turn that asked for no checks, or whose checks the store could not make. */
export const OPEN_GATE: GateResult = Object.freeze({ duplicate: false, rateCount: 0 });

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
   * With a `gate`, the delivery id is recorded and the rate counter counted once, in the same round
   * trip that takes the lock, and `fn` receives what they found; when the store cannot make the
   * checks (Redis down) it lets the message through (`OPEN_GATE`), as `markDelivery` and `hit` do.
   */
  transact<T>(
    key: ConversationKey,
    fn: (state: ConversationState | undefined, gate: GateResult) => Transaction<T> | Promise<Transaction<T>>,
    gate?: TurnGate,
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
  /**
   * Adds `amount` to a global counter `name` (not a conversation's: e.g. the SMS segments sent by
   * every instance) in the current window of `windowSeconds` aligned on the clock (the hour, the
   * day in UTC), and resolves the total so far including it. When the shared store cannot count,
   * the instance counts alone.
   */
  spend(name: string, amount: number, windowSeconds: number): Promise<number>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
