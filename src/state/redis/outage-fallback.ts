/**
 * What one instance keeps in memory so that a Redis outage degrades gently instead of failing open:
 *
 * - **Limits**: while Redis cannot count, the rate limit, the SMS cap, the global budgets and
 *   delivery ids are counted here, per instance (a user spread over N instances gets at most N
 *   times their limit during an outage, never an unlimited flood).
 * - **Recent state**: the last state each conversation read or wrote through Redis, for
 *   `RECENT_STATE_MS` after its last turn and at most `MAX_RECENT_STATES` conversations. It is
 *   read **only while Redis is unreachable**, so a user in a menu keeps their menu through a short
 *   outage; when Redis answers, Redis is the state again (with Redis up it is never read as the
 *   state). A state that changed during the outage is marked **unsaved**: when Redis is back it is
 *   written back (`write-back.ts`), or the conversation's next turn on this instance starts from it,
 *   but only over an older state Redis still holds: never over a newer one (another instance's turn)
 *   and never where Redis holds none (a forget-me made elsewhere, or an expired state, is not
 *   undone). Forget-me removes a conversation from it at once.
 */
import type { ConversationKey, ConversationState, CounterBucket, GateResult, Logger, TurnGate } from '../../domain/index.js';
import { OPEN_GATE } from '../../domain/index.js';
import { migrateState } from '../migrate.js';

/** How long a conversation's last state is kept in memory after its last turn. */
export const RECENT_STATE_MS = 10 * 60_000;
/** Most conversations whose last state is kept in memory (the oldest are dropped first). */
export const MAX_RECENT_STATES = 5_000;
/** Most conversations counted in memory during an outage (limits, delivery ids). */
const MAX_COUNTED = 50_000;

/** Memory of one instance for Redis outages. */
export interface OutageFallback {
  /**
   * Keeps the state a turn read or wrote through Redis (`null` or `undefined`: there is none), or
   * with `unsaved`, the state of a turn Redis could not save (to be written back when it returns).
   * `json`: the state as JSON when the caller already has it (read from or written to Redis), so
   * it is not encoded a second time.
   */
  remember(key: ConversationKey, state: ConversationState | null | undefined, options?: { unsaved?: boolean; json?: string }): void;
  /** The unsaved state of `key` when it is newer than `stored` (which Redis holds); never when Redis holds none. */
  unsavedNewerThan(key: ConversationKey, stored: ConversationState | undefined): ConversationState | undefined;
  /** Every unsaved state still recent, oldest first (to write back). */
  unsaved(): Array<{ key: ConversationKey; json: string; updatedAt: number }>;
  /** Marks the unsaved state of `key` as settled (written back, or superseded), if it is still `json`. */
  settled(key: ConversationKey, json: string): void;
  /** The state kept for `key`, if recent. Call only when Redis is unreachable. */
  recall(key: ConversationKey): ConversationState | undefined;
  /** Forgets everything kept for `key` (forget-me). */
  forget(key: ConversationKey): void;
  /** A turn's gate checked in memory: delivery id and rate count. */
  gate(key: ConversationKey, gate: TurnGate | undefined, windowMsOf: (seconds: number) => number): GateResult;
  /** `markDelivery` in memory. */
  markDelivery(key: ConversationKey, deliveryId: string): boolean;
  /** `hit` in memory. */
  hit(key: ConversationKey, bucket: CounterBucket, windowMs: number): number;
  /** `spend` in memory. */
  spend(counter: string, amount: number, windowMs: number): number;
  /** Conversations whose state is kept (tests, metrics). */
  size(): number;
  clear(): void;
}

/** A counter in a fixed window. */
interface Counter {
  count: number;
  expiresAt: number;
}

export function createOutageFallback(options: { dedupeTtlMs: number; logger: Logger; now?: () => number; recentMs?: number; maxRecent?: number }): OutageFallback {
  const now = options.now ?? Date.now;
  const recentMs = options.recentMs ?? RECENT_STATE_MS;
  const maxRecent = options.maxRecent ?? MAX_RECENT_STATES;
  const states = new Map<ConversationKey, { json: string; expiresAt: number; updatedAt: number; unsaved: boolean }>();
  const counters = new Map<string, Counter>();
  const deliveries = new Map<string, number>();

  /** Map insertion order is age: re-inserting moves a key to the end; the first keys are the oldest. */
  const bounded = <K, V>(map: Map<K, V>, key: K, value: V, max: number): void => {
    map.delete(key);
    map.set(key, value);
    while (map.size > max) map.delete(map.keys().next().value as K);
  };

  const count = (id: string, amount: number, windowMs: number): number => {
    const t = now();
    const c = counters.get(id);
    if (c && c.expiresAt > t) {
      c.count += amount;
      return c.count;
    }
    bounded(counters, id, { count: amount, expiresAt: t + windowMs }, MAX_COUNTED);
    return amount;
  };

  const mark = (key: ConversationKey, deliveryId: string): boolean => {
    const id = `${key}\u0000${deliveryId}`;
    const t = now();
    const exp = deliveries.get(id);
    if (exp !== undefined && exp > t) return false;
    bounded(deliveries, id, t + options.dedupeTtlMs, MAX_COUNTED);
    return true;
  };

  return {
    remember(key, state, options = {}) {
      // Redis has no state for it (forgotten, expired, or lost): neither does this memory.
      if (state === null || state === undefined) {
        states.delete(key);
        return;
      }
      const entry = { json: options.json ?? JSON.stringify(state), expiresAt: now() + recentMs, updatedAt: state.updatedAt, unsaved: options.unsaved === true };
      bounded(states, key, entry, maxRecent);
    },
    unsavedNewerThan(key, stored) {
      const e = states.get(key);
      if (!e?.unsaved || stored === undefined || e.expiresAt <= now() || !(e.updatedAt > stored.updatedAt)) return undefined;
      return migrateState(e.json, now(), options.logger);
    },
    unsaved() {
      const t = now();
      return [...states].filter(([, e]) => e.unsaved && e.expiresAt > t).map(([key, e]) => ({ key, json: e.json, updatedAt: e.updatedAt }));
    },
    settled(key, json) {
      const e = states.get(key);
      if (e?.json === json) e.unsaved = false;
    },
    recall(key) {
      const e = states.get(key);
      if (!e) return undefined;
      const t = now();
      if (e.expiresAt <= t) {
        states.delete(key);
        return undefined;
      }
      return migrateState(e.json, t, options.logger);
    },
    forget(key) {
      states.delete(key);
      for (const bucket of ['rate', 'sms'] as const) counters.delete(`${key}:${bucket}`);
      for (const id of deliveries.keys()) if (id.startsWith(`${key}\u0000`)) deliveries.delete(id);
    },
    gate(key, gate, windowMsOf) {
      if (!gate) return OPEN_GATE;
      if (gate.deliveryId !== undefined && !mark(key, gate.deliveryId)) return { duplicate: true, rateCount: 0 };
      return gate.rateWindowSeconds !== undefined ? { duplicate: false, rateCount: count(`${key}:rate`, 1, windowMsOf(gate.rateWindowSeconds)) } : OPEN_GATE;
    },
    markDelivery: mark,
    hit: (key, bucket, windowMs) => count(`${key}:${bucket}`, 1, windowMs),
    spend: (counter, amount, windowMs) => count(`global:${counter}:${Math.floor(now() / windowMs)}`, amount, windowMs),
    size: () => states.size,
    clear() {
      states.clear();
      counters.clear();
      deliveries.clear();
    },
  };
}
