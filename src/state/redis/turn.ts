/**
 * `transact` on Redis: take the lock with the gate, run the turn, write its state under the lock's
 * token (two round trips), and run it again when the lock expired meanwhile. When Redis fails the
 * turn still runs, on the conversation's last state this instance saw (kept a few minutes, see
 * `outage-fallback.ts`) with its gate checked in memory; its new state is kept there, unsaved, and
 * written back when Redis returns (`write-back.ts`) or by the conversation's next turn here.
 */
import type { ConversationKey, ConversationState, GateResult, Logger, Transaction, TurnGate } from '../../domain/index.js';
import type { TurnFn } from '../common.js';
import type { ConversationData } from './data.js';
import type { DeleteQueue } from './delete-queue.js';
import type { OutageFallback } from './outage-fallback.js';
import type { ConversationRedisKeys } from './keys.js';
import { LockWaitTimeoutError, type Acquired, type PendingGate, type TurnLock } from './turn-lock.js';

/** Runs of one turn when the lock expires mid-turn (a turn far slower than `lockTtlMs`). */
export const MAX_TURN_ATTEMPTS = 3;

/** Turn counters (see `RedisStoreMetrics`). */
export interface TurnMetrics {
  transactions: number;
  degradedTransactions: number;
  lockTimeouts: number;
  saveConflicts: number;
}

export interface TurnDeps {
  keysOf(key: ConversationKey): ConversationRedisKeys;
  lock: TurnLock;
  data: ConversationData;
  deletes: DeleteQueue;
  lockWaitMs: number;
  logger: Logger;
  fallback: OutageFallback;
  /** A rate window in seconds as the milliseconds its counter lives. */
  windowMsOf(windowSeconds: number): number;
}

/** How one run of a turn ended: with its result, or lost to an expired lock (run it again). */
type Attempt<T> = { done: true; result: T } | { done: false };

/** Runs a turn that holds the lock; releases the lock when the turn throws. */
async function runLocked<T>(lock: TurnLock, k: ConversationRedisKeys, token: string, run: () => Transaction<T> | Promise<Transaction<T>>): Promise<Transaction<T>> {
  try {
    return await run();
  } catch (err) {
    await lock.release(k, token);
    throw err;
  }
}

/** The store's `transact`, with its counters. */
export function createTransact(deps: TurnDeps): {
  transact<T>(key: ConversationKey, fn: TurnFn<T>, turnGate?: TurnGate): Promise<T>;
  metrics(): TurnMetrics;
} {
  const { lock, data, deletes, logger, fallback } = deps;
  const metrics: TurnMetrics = { transactions: 0, degradedTransactions: 0, lockTimeouts: 0, saveConflicts: 0 };

  /** A turn that cannot write to Redis: runs on `state` and keeps nothing in Redis but a forget-me. */
  const runDetached = async <T>(key: ConversationKey, state: ConversationState | undefined, fn: TurnFn<T>, gate: GateResult): Promise<T> => {
    const out = await fn(state, gate);
    if (out.state === null) {
      fallback.forget(key);
      await deletes.forget(key);
    }
    return out.result;
  };

  /** A turn while Redis is unreachable: the last state this instance saw, the gate in memory, the new state kept in memory only. */
  const runInOutage = async <T>(key: ConversationKey, fn: TurnFn<T>, turnGate: TurnGate | undefined): Promise<T> => {
    metrics.degradedTransactions++;
    const found = fallback.gate(key, turnGate, deps.windowMsOf);
    const state = fallback.recall(key);
    if (found.duplicate) return (await fn(state, found)).result;
    const out = await fn(state, found);
    if (out.state === null) {
      fallback.forget(key);
      await deletes.forget(key);
    } else if (out.state !== undefined) fallback.remember(key, out.state, { unsaved: true });
    return out.result;
  };

  /** The lock could not be had: after a lock timeout on the latest state, else (Redis failed) on none. */
  const withoutLock = async <T>(err: unknown, k: ConversationRedisKeys, key: ConversationKey, fn: TurnFn<T>, gate: PendingGate, turnGate: TurnGate | undefined): Promise<T> => {
    if (err instanceof LockWaitTimeoutError) {
      metrics.lockTimeouts++;
      logger.warn('state.redis.lock_timeout', { waitedMs: deps.lockWaitMs });
      const latest = await data.read(k).catch(() => undefined);
      return runDetached(key, latest, fn, gate.found);
    }
    // The gate's own checks were made in Redis if the script ran; otherwise they are made in memory.
    return gate.args === undefined ? runDetachedCounted(key, fn, gate.found) : runInOutage(key, fn, turnGate);
  };

  /** Redis failed after the gate was counted there: the turn runs on the remembered state. */
  const runDetachedCounted = async <T>(key: ConversationKey, fn: TurnFn<T>, found: GateResult): Promise<T> => {
    metrics.degradedTransactions++;
    const out = await fn(fallback.recall(key), found);
    if (out.state === null) {
      fallback.forget(key);
      await deletes.forget(key);
    } else if (out.state !== undefined) fallback.remember(key, out.state, { unsaved: true });
    return out.result;
  };

  /** Writes what a turn returned under its lock. */
  const save = async <T>(k: ConversationRedisKeys, key: ConversationKey, token: string, out: Transaction<T>): Promise<Attempt<T>> => {
    if (out.state === undefined) {
      // Nothing to write (a rate-limited message): only the lock goes.
      await lock.release(k, token);
      metrics.transactions++;
      return { done: true, result: out.result };
    }
    let committed: boolean;
    // Encoded once: for Redis and for this instance's memory of it.
    const json = out.state === null ? undefined : JSON.stringify(out.state);
    try {
      committed = await data.commit(k, token, out.state, json);
    } catch {
      // Redis failed mid-turn: the reply still goes out; the state is kept in memory only (a forget-me is queued).
      metrics.degradedTransactions++;
      fallback.remember(key, out.state, { unsaved: true, ...(json !== undefined ? { json } : {}) });
      if (out.state === null) {
        fallback.forget(key);
        deletes.defer(key);
      }
      return { done: true, result: out.result };
    }
    if (!committed) return { done: false };
    fallback.remember(key, out.state, json !== undefined ? { json } : {});
    if (out.state === null) fallback.forget(key);
    metrics.transactions++;
    return { done: true, result: out.result };
  };

  const transact = async <T>(key: ConversationKey, fn: TurnFn<T>, turnGate?: TurnGate): Promise<T> => {
    const k = deps.keysOf(key);
    if (!(await deletes.settle(key))) return runInOutage(key, fn, turnGate);
    const gate = lock.gate(turnGate);
    for (let attempt = 1; ; attempt++) {
      let acquired: Acquired;
      try {
        acquired = await lock.acquire(k, gate);
      } catch (err) {
        return withoutLock(err, k, key, fn, gate, turnGate);
      }
      if (acquired.kind === 'duplicate') return (await fn(acquired.state, { duplicate: true, rateCount: 0 })).result;
      // A newer state this instance kept during an outage (not yet written back) is the turn's start.
      const unsaved = fallback.unsavedNewerThan(key, acquired.state);
      if (!unsaved) fallback.remember(key, acquired.state, acquired.json !== undefined ? { json: acquired.json } : {});
      const out = await runLocked(lock, k, acquired.token, () => fn(unsaved ?? acquired.state, gate.found));
      const saved = await save(k, key, acquired.token, out);
      if (saved.done) return saved.result;
      metrics.saveConflicts++;
      logger.warn('state.redis.save_conflict', { attempt });
      if (attempt >= MAX_TURN_ATTEMPTS) {
        if (out.state === null) {
          fallback.forget(key);
          await deletes.forget(key);
        }
        return out.result;
      }
    }
  };

  return { transact, metrics: () => ({ ...metrics }) };
}
