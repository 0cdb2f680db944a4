/**
 * A conversation's turn lock, taken together with the turn's gate: one script records the delivery
 * id (dedupe), counts the message in the rate window, takes the lock and reads the state, in one
 * round trip. Waiting for another instance's turn backs off exponentially, up to `lockWaitMs`.
 */
import { randomBytes } from 'node:crypto';
import { DalilError, OPEN_GATE } from '../../domain/index.js';
import type { ConversationState, GateResult, Logger, TurnGate } from '../../domain/index.js';
import { migrateState } from '../migrate.js';
import { RedisTimeoutError, sleep, type RedisConnection } from './connection.js';
import { deliveryHash, type ConversationRedisKeys } from './keys.js';
import { LUA_HELPERS, MAX_DELIVERIES_PER_CONVERSATION, script } from './lua.js';

/** Another turn of the same conversation held the lock for longer than `lockWaitMs`. */
export class LockWaitTimeoutError extends DalilError {
  constructor() {
    super('timed out waiting for the conversation lock');
    this.name = 'LockWaitTimeoutError';
  }
}

/**
 * Takes a conversation's lock and reads its state; the first attempt of a turn with a gate also
 * dedupes and counts it, in the same round trip.
 * KEYS: lock, state, deliveries, rate counter. ARGV: token, lock ttl ms, delivery hash ('' for none),
 * dedupe ttl ms, max deliveries, rate window ms ('0' for none).
 * Returns {2, json?} for a delivery already seen (no lock taken, nothing counted), {1, count, json?}
 * when the lock was taken, {0, count} when another turn holds it (the delivery is recorded and the
 * message counted all the same: retries pass no delivery hash and no window).
 */
const ACQUIRE = script(`${LUA_HELPERS}
if ARGV[3] ~= '' and mark(KEYS[3], ARGV[3], ARGV[4], ARGV[5]) == 0 then
  local s = redis.call('GET', KEYS[2])
  if s then return {2, s} end
  return {2}
end
local n = 0
if ARGV[6] ~= '0' then n = hit(KEYS[4], ARGV[6]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local s = redis.call('GET', KEYS[2])
  if s then return {1, n, s} end
  return {1, n}
end
return {0, n}`);

/** ACQUIRE's gate arguments for an attempt that only waits for the lock. */
const NO_GATE_ARGS: readonly string[] = ['', '0', '0', '0'];

/** KEYS: lock. ARGV: token. Compare-and-delete. */
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** A turn's gate on its way through `acquire`: the script arguments until sent once, then what it found. */
export interface PendingGate {
  args: string[] | undefined;
  found: GateResult;
}

/** What `acquire` got: the lock and the state, or the news that the delivery was already handled. */
export type Acquired =
  | {
      kind: 'locked';
      token: string;
      state: ConversationState | undefined;
      /** The state's JSON as Redis holds it (before migration), when there is one. */
      json?: string;
    }
  | { kind: 'duplicate'; state: ConversationState | undefined };

/** Lock-wait counters (see `RedisStoreMetrics`). */
export interface LockMetrics {
  lockContended: number;
  lockWaitMsTotal: number;
  lockWaitMsMax: number;
}

export interface TurnLockOptions {
  lockTtlMs: number;
  lockWaitMs: number;
  dedupeTtlMs: number;
  /** A rate window in seconds as the milliseconds the counter lives (`counterWindowMs`). */
  windowMsOf(windowSeconds: number): number;
  logger: Logger;
}

/** The turn lock of one store. */
export interface TurnLock {
  /** Prepares a turn's gate (no round trip). */
  gate(turnGate: TurnGate | undefined): PendingGate;
  /** Takes the lock (and passes the gate on the first attempt); throws `LockWaitTimeoutError` after `lockWaitMs`. */
  acquire(k: ConversationRedisKeys, gate: PendingGate): Promise<Acquired>;
  /** Releases the lock if `token` still holds it; never throws. */
  release(k: ConversationRedisKeys, token: string): Promise<void>;
  metrics(): LockMetrics;
}

export function createTurnLock(conn: RedisConnection, opts: TurnLockOptions): TurnLock {
  const { lockTtlMs, lockWaitMs, logger } = opts;
  const metrics: LockMetrics = { lockContended: 0, lockWaitMsTotal: 0, lockWaitMsMax: 0 };
  // Lock tokens only need to be unique among the instances sharing Redis: a random id per store
  // and a counter (a random draw per turn cost ~1 % of the server's CPU under load).
  const instanceId = randomBytes(12).toString('base64url');
  let tokenCounter = 0;
  const nextToken = (): string => `${instanceId}.${(tokenCounter++).toString(36)}`;

  const release = (k: ConversationRedisKeys, token: string): Promise<void> =>
    conn.run(RELEASE, [k.lock], [token]).then(
      () => undefined,
      () => undefined,
    );

  /** One ACQUIRE round trip. */
  const attempt = async (k: ConversationRedisKeys, token: string, gateArgs: readonly string[]): Promise<unknown[]> => {
    try {
      return (await conn.run(ACQUIRE, [k.lock, k.state, k.deliveries, k.rate], [token, String(lockTtlMs), ...gateArgs])) as unknown[];
    } catch (err) {
      // A stalled Redis may still run the acquire later: queue the release right behind it
      // (same connection, so in order), or the conversation would stay locked for lockTtlMs.
      if (err instanceof RedisTimeoutError) void release(k, token);
      throw err;
    }
  };

  const noteWait = (waited: number): void => {
    metrics.lockContended++;
    metrics.lockWaitMsTotal += waited;
    metrics.lockWaitMsMax = Math.max(metrics.lockWaitMsMax, waited);
  };

  const acquire = async (k: ConversationRedisKeys, gate: PendingGate): Promise<Acquired> => {
    const token = nextToken();
    const started = performance.now();
    let delay = 2;
    for (;;) {
      const gated = gate.args;
      const reply = await attempt(k, token, gated ?? NO_GATE_ARGS);
      if (reply[0] === 2) return { kind: 'duplicate', state: migrateState(reply[1], Date.now(), logger) };
      if (gated) {
        // Recorded and counted once: retries only wait for the lock.
        gate.args = undefined;
        gate.found = { duplicate: false, rateCount: Number(reply[1]) || 0 };
      }
      if (reply[0] === 1) {
        if (delay > 2) noteWait(performance.now() - started);
        const state = migrateState(reply[2], Date.now(), logger);
        return { kind: 'locked', token, state, ...(state !== undefined && typeof reply[2] === 'string' ? { json: reply[2] } : {}) };
      }
      if (performance.now() - started + delay > lockWaitMs) throw new LockWaitTimeoutError();
      await sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 50);
    }
  };

  const gate = (turnGate: TurnGate | undefined): PendingGate => {
    if (turnGate?.deliveryId === undefined && turnGate?.rateWindowSeconds === undefined) return { args: undefined, found: OPEN_GATE };
    return {
      args: [
        turnGate.deliveryId !== undefined ? deliveryHash(turnGate.deliveryId) : '',
        String(opts.dedupeTtlMs),
        String(MAX_DELIVERIES_PER_CONVERSATION),
        turnGate.rateWindowSeconds !== undefined ? String(opts.windowMsOf(turnGate.rateWindowSeconds)) : '0',
      ],
      found: OPEN_GATE,
    };
  };

  return { gate, acquire, release, metrics: () => ({ ...metrics }) };
}
