/** Lua scripts of the Redis store: how they are named (by SHA-1, for EVALSHA), and the helpers they share. */
import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, as `EVALSHA` names it. */
export interface Script {
  source: string;
  sha: string;
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Most delivery ids remembered per conversation (the oldest go first): bounds memory under a flood. */
export const MAX_DELIVERIES_PER_CONVERSATION = 200;

/**
 * Lua shared by the scripts. `mark` records a delivery hash in a sorted set scored by its
 * expiry (server clock, so instances with skewed clocks agree) and returns 0 when it was seen within
 * the ttl; `hit` counts in a fixed window that its first event starts.
 */
export const LUA_HELPERS = `
local function mark(key, id, ttl, max)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local seen = redis.call('ZSCORE', key, id)
  if seen and tonumber(seen) > now then return 0 end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, now + tonumber(ttl), id)
  local excess = redis.call('ZCARD', key) - tonumber(max)
  if excess > 0 then redis.call('ZREMRANGEBYRANK', key, 0, excess - 1) end
  redis.call('PEXPIRE', key, ttl)
  return 1
end
local function hit(key, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  return n
end
`;
