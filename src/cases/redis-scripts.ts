/**
 * Lua scripts of the Redis case store. Each touches keys of one hash slot only: one case's keys
 * (`{<ref>}`), the indexes (`{cases}`) or one outbox (`{<conversation key>}`), so they run on a
 * Redis Cluster too.
 */
import { script } from '../state/redis/lua.js';

/** KEYS: summary, address, callback. ARGV: summary JSON, sealed address, sealed callback ('' : none). */
export const CREATE = script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
return 1`);

/**
 * KEYS: summary, then the case's other keys. ARGV: expected version, next summary JSON, TTL in
 * ms for every key of the case (0: none). Compare-and-set: -1 absent, 0 changed meanwhile, 1 done.
 */
export const UPDATE = script(`
local cur = redis.call('GET', KEYS[1])
if not cur then return -1 end
if tonumber(cjson.decode(cur).v) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then
  for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
end
return 1`);

/**
 * KEYS: summary, messages. ARGV: message id, message JSON. Appends once (a retried message with the
 * same id is not added twice); a closed case's messages expire with its summary.
 */
export const ADD_MESSAGE = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for _, raw in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if cjson.decode(raw).id == ARGV[1] then return 0 end
end
redis.call('RPUSH', KEYS[2], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1`);

/** KEYS: summary, deliveries. ARGV: message id, delivery JSON. */
export const SET_DELIVERY = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1`);

/** KEYS: messages, deliveries. The messages (JSON) and the deliveries (flat field, value pairs). */
export const MESSAGES = script(`
return { redis.call('LRANGE', KEYS[1], 0, -1), redis.call('HGETALL', KEYS[2]) }`);

/** KEYS: all, partner index, key index. ARGV: ref, opened at. */
export const INDEX_ADD = script(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`);

/**
 * KEYS: closed, old partner index, new partner index, key index. ARGV: ref, moved (1/0), closed at
 * ('' : not closed now), key dropped (1/0).
 */
export const INDEX_CHANGE = script(`
if ARGV[2] == '1' then
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[1])
end
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
if ARGV[4] == '1' then redis.call('SREM', KEYS[4], ARGV[1]) end
return 1`);

/** KEYS: all, closed, partner index, key index. ARGV: ref. Forgets a case in every index. */
export const INDEX_REMOVE = script(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1`);

/** KEYS: a sorted set. ARGV: max score (exclusive). Members scored below it. */
export const BELOW = script(`
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])`);

/** KEYS: a sorted set. Every member, lowest score first. */
export const MEMBERS = script(`
return redis.call('ZRANGE', KEYS[1], 0, -1)`);

/** KEYS: audit list (newest first). ARGV: entry JSON, most entries. */
export const AUDIT_PUSH = script(`
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1`);

/** KEYS: audit list. ARGV: start, stop. A page of entries. */
export const AUDIT_PAGE = script(`
return redis.call('LRANGE', KEYS[1], ARGV[1], ARGV[2])`);

/** KEYS: audit list. ARGV: oldest time kept (ms), most entries to look at. Drops older entries from the tail. */
export const AUDIT_TRIM = script(`
local n = 0
while n < tonumber(ARGV[2]) do
  local last = redis.call('LINDEX', KEYS[1], -1)
  if not last or tonumber(cjson.decode(last).at) >= tonumber(ARGV[1]) then break end
  redis.call('RPOP', KEYS[1])
  n = n + 1
end
return n`);

/** KEYS: outbox. ARGV: item JSON, most items, TTL ms. */
export const OUTBOX_PUSH = script(`
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`);

/** KEYS: outbox. Takes every item (each is returned once, whichever instance asks). */
export const OUTBOX_TAKE = script(`
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items`);
