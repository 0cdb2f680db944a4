/**
 * `transact` on Redis: take the lock with the gate, run the turn, write its state under the lock's
 * token (two round trips), and run it again when the lock expired meanwhile. When Redis fails the
 * turn still runs, without state, and keeps nothing but a forget-me (queued).
 */
import { OPEN_GATE } from '../../domain/index.js';
import type { ConversationKey, ConversationState, GateResult, Logger, Transaction, TurnGate } from '../../domain/index.js';
import type { TurnFn } from '../common.js';
import type { ConversationData } from './data.js';
import type { DeleteQueue } from './delete-queue.js';
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
  const { lock, data, deletes, logger } = deps;
  const metrics: TurnMetrics = { transactions: 0, degradedTransactions: 0, lockTimeouts: 0, saveConflicts: 0 };

  /** A turn that cannot use Redis: runs on `state` (usually none) and keeps nothing but a forget-me. */
  const runDetached = async <T>(key: ConversationKey, state: ConversationState | undefined, fn: TurnFn<T>, gate: GateResult): Promise<T> => {
    const out = await fn(state, gate);
    if (out.state === null) await deletes.forget(key);
    return out.result;
  };

  /** The lock could not be had: after a lock timeout on the latest state, else (Redis failed) on none. */
  const withoutLock = async <T>(err: unknown, k: ConversationRedisKeys, key: ConversationKey, fn: TurnFn<T>, gate: PendingGate): Promise<T> => {
    if (err instanceof LockWaitTimeoutError) {
      metrics.lockTimeouts++;
      logger.warn('state.redis.lock_timeout', { waitedMs: deps.lockWaitMs });
      const latest = await data.read(k).catch(() => undefined);
      return runDetached(key, latest, fn, gate.found);
    }
    metrics.degradedTransactions++;
    return runDetached(key, undefined, fn, gate.found);
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
    try {
      committed = await data.commit(k, token, out.state);
    } catch {
      // Redis failed mid-turn: the reply still goes out; this turn's state is lost (a forget-me is queued).
      metrics.degradedTransactions++;
      if (out.state === null) deletes.defer(key);
      return { done: true, result: out.result };
    }
    if (!committed) return { done: false };
    metrics.transactions++;
    return { done: true, result: out.result };
  };

  const transact = async <T>(key: ConversationKey, fn: TurnFn<T>, turnGate?: TurnGate): Promise<T> => {
    const k = deps.keysOf(key);
    if (!(await deletes.settle(key))) {
      metrics.degradedTransactions++;
      return runDetached(key, undefined, fn, OPEN_GATE);
    }
    const gate = lock.gate(turnGate);
    for (let attempt = 1; ; attempt++) {
      let acquired: Acquired;
      try {
        acquired = await lock.acquire(k, gate);
      } catch (err) {
        return withoutLock(err, k, key, fn, gate);
      }
      if (acquired.kind === 'duplicate') return (await fn(acquired.state, { duplicate: true, rateCount: 0 })).result;
      const out = await runLocked(lock, k, acquired.token, () => fn(acquired.state, gate.found));
      const saved = await save(k, key, acquired.token, out);
      if (saved.done) return saved.result;
      metrics.saveConflicts++;
      logger.warn('state.redis.save_conflict', { attempt });
      if (attempt >= MAX_TURN_ATTEMPTS) {
        if (out.state === null) await deletes.forget(key);
        return out.result;
      }
    }
  };

  return { transact, metrics: () => ({ ...metrics }) };
}
