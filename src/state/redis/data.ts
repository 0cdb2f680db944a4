/**
 * A conversation's data in Redis: reading the state, writing it under the turn's lock token,
 * delivery ids, counters, and deleting everything (forget me). Each operation is one round trip
 * and throws when Redis fails; the store decides how to degrade.
 */
import type { ConversationKey, ConversationState, CounterBucket, Logger } from '../../domain/index.js';
import { migrateState } from '../migrate.js';
import type { RedisConnection } from './connection.js';
import { allKeysOf, deliveryHash, type ConversationRedisKeys } from './keys.js';
import { LUA_HELPERS, MAX_DELIVERIES_PER_CONVERSATION, script } from './lua.js';

/**
 * KEYS: lock, state, deliveries, rate counter, SMS counter. ARGV: token, 'set' | 'del', json, state ttl ms.
 * Writes (or deletes everything) only while the caller still holds the lock; returns 1, else 0.
 */
const COMMIT = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
else
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
  redis.call('DEL', KEYS[1])
end
return 1`);

/**
 * KEYS: lock, state. ARGV: json, its updatedAt, state ttl ms. Writes a state kept during an outage
 * back over an older one: 1 when written; 2 when a lock is held (a turn is running, or one that
 * Redis failed under has not expired yet: try again later); 0 when Redis holds no state (forgotten
 * or expired: never recreated) or one as new or newer.
 */
const WRITE_BACK = script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
local current = redis.call('GET', KEYS[2])
if not current then return 0 end
local ok, doc = pcall(cjson.decode, current)
if ok and type(doc) == 'table' and tonumber(doc.updatedAt) and tonumber(doc.updatedAt) >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`);

/** KEYS: deliveries. ARGV: delivery hash, ttl ms, max entries. Returns 1 for a new delivery, 0 for one seen within the ttl. */
const MARK_DELIVERY = script(`${LUA_HELPERS}
return mark(KEYS[1], ARGV[1], ARGV[2], ARGV[3])`);

/** KEYS: a global counter of the current window. ARGV: amount, ttl ms. Returns the total including this amount. */
const SPEND = script(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`);

/** KEYS: counter. ARGV: window ms. Returns the count including this event. */
const HIT = script(`${LUA_HELPERS}
return hit(KEYS[1], ARGV[1])`);

export interface ConversationDataOptions {
  /** REDIS_PREFIX, for the global counters (`<prefix>g:<name>:<window>`). */
  prefix: string;
  keysOf(key: ConversationKey): ConversationRedisKeys;
  stateTtlMs: number;
  dedupeTtlMs: number;
  /** A window in seconds as the milliseconds the counter lives (`counterWindowMs`). */
  windowMsOf(windowSeconds: number): number;
  logger: Logger;
}

/** Round trips on a conversation's keys. */
export interface ConversationData {
  /** The stored state, validated and migrated; no lock. */
  read(k: ConversationRedisKeys): Promise<ConversationState | undefined>;
  /**
   * Writes `state` (renewing its TTL and releasing the lock), or with `null` deletes every key, if
   * `token` still holds the lock; `false` when it no longer does. `json`: `state` already encoded.
   */
  commit(k: ConversationRedisKeys, token: string, state: ConversationState | null, json?: string): Promise<boolean>;
  /** Writes back a state kept during an outage (see `WRITE_BACK`): written, locked (try later) or not needed. */
  writeBack(k: ConversationRedisKeys, json: string, updatedAt: number): Promise<'written' | 'locked' | 'not-needed'>;
  /** Records a delivery id; `false` when it was seen within the dedupe TTL. */
  markDelivery(k: ConversationRedisKeys, deliveryId: string): Promise<boolean>;
  /** Counts one event in a bucket; the count including it. */
  hit(k: ConversationRedisKeys, bucket: CounterBucket, windowSeconds: number): Promise<number>;
  /** Deletes every key of the conversation. */
  remove(key: ConversationKey): Promise<void>;
  /** Adds `amount` to the global counter `name` of the current clock-aligned window of `windowMs`. */
  spend(name: string, amount: number, windowMs: number): Promise<number>;
}

export function createConversationData(conn: RedisConnection, opts: ConversationDataOptions): ConversationData {
  const { keysOf, logger } = opts;
  return {
    async read(k) {
      const json = await conn.call(() => conn.client.get(k.state));
      return migrateState(json, Date.now(), logger);
    },
    async commit(k, token, state, json) {
      const args = state === null ? [token, 'del', '', '0'] : [token, 'set', json ?? JSON.stringify(state), String(opts.stateTtlMs)];
      return (await conn.run(COMMIT, [k.lock, k.state, k.deliveries, k.rate, k.sms], args)) === 1;
    },
    async writeBack(k, json, updatedAt) {
      const reply = Number(await conn.run(WRITE_BACK, [k.lock, k.state], [json, String(updatedAt), String(opts.stateTtlMs)]));
      return reply === 1 ? 'written' : reply === 2 ? 'locked' : 'not-needed';
    },
    async markDelivery(k, deliveryId) {
      const args = [deliveryHash(deliveryId), String(opts.dedupeTtlMs), String(MAX_DELIVERIES_PER_CONVERSATION)];
      return (await conn.run(MARK_DELIVERY, [k.deliveries], args)) !== 0;
    },
    async hit(k, bucket, windowSeconds) {
      const reply = await conn.run(HIT, [bucket === 'rate' ? k.rate : k.sms], [String(opts.windowMsOf(windowSeconds))]);
      return typeof reply === 'number' ? reply : Number(reply) || 0;
    },
    async spend(name, amount, windowMs) {
      const key = `${opts.prefix}g:${name}:${Math.floor(Date.now() / windowMs)}`;
      const reply = await conn.run(SPEND, [key], [String(amount), String(windowMs * 2)]);
      return typeof reply === 'number' ? reply : Number(reply) || 0;
    },
    async remove(key) {
      await conn.call(() => conn.client.del(allKeysOf(keysOf(key))));
    },
  };
}
