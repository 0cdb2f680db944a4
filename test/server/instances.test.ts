/**
 * Dalil as several instances on one Redis, and Dalil over HTTP while Redis is down:
 * two servers serve one conversation alternately without losing its context; with Redis
 * killed, users still get answers and /healthz says degraded; Dalil recovers by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { redisSuite, uniquePrefix, connectAdmin, deleteByPrefix } from '../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { testEnv } from '../helpers/admin-data.js';

interface ApiReply {
  kind: string;
  text: string;
  choices: { id: string; label: string }[];
  lang: string;
}

async function chat(base: string, user: string, text: string): Promise<ApiReply[]> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: ApiReply[] }).replies;
}

function config(redisUrl: string, prefix: string) {
  return loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REDIS_URL: redisUrl, REDIS_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '200' }));
}

const shared = await redisSuite();

describe.skipIf(!shared.available)('two instances sharing one Redis', () => {
  const prefix = uniquePrefix('instances');
  let a: RunningDalil;
  let b: RunningDalil;
  beforeAll(async () => {
    a = await startDalil(config(shared.url, prefix), silentLogger);
    b = await startDalil(config(shared.url, prefix), silentLogger);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const admin = await connectAdmin(shared.url);
    await deleteByPrefix(admin, prefix);
    admin.destroy();
  });

  it('keeps language, menu position and numbered choices across instances', async () => {
    const user = 'alternating-user';
    // A: first contact in Spanish.
    const first = await chat(a.url, user, 'Hola, necesito información sobre mis derechos en Marruecos');
    expect(first.every((r) => r.lang === 'es')).toBe(true);
    // B: the menu comes in Spanish: the language was kept in Redis, not in A's memory.
    const home = (await chat(b.url, user, 'MENU')).find((r) => r.choices.some((c) => c.id.startsWith('cat:')));
    expect(home?.lang).toBe('es');
    // A: "1" picks the first numbered category, which only the state shared through Redis knows.
    const category = await chat(a.url, user, '1');
    const topics = category.find((r) => r.choices.some((c) => c.id.startsWith('topic:')));
    expect(topics?.lang).toBe('es');
    // B: "1" picks the first topic of that category.
    const answer = await chat(b.url, user, '1');
    expect(answer.some((r) => r.kind === 'answer' && r.lang === 'es')).toBe(true);
    // A: VOLVER returns to the category menu that B's state recorded.
    const back = await chat(a.url, user, 'VOLVER');
    expect(back.some((r) => r.choices.some((c) => c.id === topics!.choices[0]!.id))).toBe(true);
  });
});

const own = redisServerSuite();

describe.skipIf(!own)('Dalil over HTTP while Redis is down', () => {
  let redis: RedisServerHandle;
  let dalil: RunningDalil;
  beforeAll(async () => {
    redis = await startRedisServer();
    dalil = await startDalil(config(redis.url, uniquePrefix('outage-http')), silentLogger);
  });
  afterAll(async () => {
    await dalil?.close();
    if (redis?.running()) await redis.stop();
  });

  it('answers without state, reports degraded, and recovers when Redis comes back', async () => {
    expect(await (await fetch(`${dalil.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    await redis.stop();
    const replies = await chat(dalil.url, 'outage-user', 'How do I ask for asylum with UNHCR?');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.lang === 'en')).toBe(true);
    expect(replies.some((r) => r.kind === 'answer')).toBe(true);
    expect(await (await fetch(`${dalil.url}/healthz`)).json()).toMatchObject({ status: 'degraded', state: 'degraded' });
    await redis.start();
    let health = '';
    for (let i = 0; i < 100 && health !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = ((await (await fetch(`${dalil.url}/healthz`)).json()) as { status: string }).status;
    }
    expect(health).toBe('ok');
    const after = await chat(dalil.url, 'outage-user', 'How do I ask for asylum with UNHCR?');
    expect(after.some((r) => r.kind === 'answer')).toBe(true);
  });
});
