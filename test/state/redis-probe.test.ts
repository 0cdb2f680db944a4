import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeRedis, redactUrl, redisSuite } from '../helpers/redis.js';

/** Port 1 on localhost: nothing listens there, the connection is refused at once. */
const NOWHERE = 'redis://user:s3cret@127.0.0.1:1';

describe('Redis suite gate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reports an unreachable Redis as unreachable, quickly and without throwing', async () => {
    expect(await probeRedis(NOWHERE, 1000)).toBe(false);
  });

  it('outside CI: warns in one loud line, without the password, and skips', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await redisSuite(NOWHERE, false)).toEqual({ available: false, url: NOWHERE });
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toMatch(/^REDIS SUITE SKIPPED: no Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1/);
    expect(line).not.toContain('s3cret');
  });

  it('on CI: fails instead of skipping', async () => {
    await expect(redisSuite(NOWHERE, true)).rejects.toThrow(/no Redis at .* and CI=true/);
  });

  it('redacts credentials from URLs', () => {
    expect(redactUrl('rediss://default:pw@cache.example.org:6380/0')).toBe('rediss://***@cache.example.org:6380/0');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
