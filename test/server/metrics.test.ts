/**
 * `/metrics`: off unless configured; behind a bearer token on the main port or on its own port;
 * fed by the turn, delivery, store and HTTP hooks; never a user id, number or message text in it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { DeliveryFact, TurnFacts } from '../../src/domain/index.js';
import { deliver } from '../../src/channels/shared/pipeline.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { silentLogger } from '../../src/logging/logger.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { createMetrics } from '../../src/server/metrics.js';
import { testEnv } from '../helpers/admin-data.js';
import { deleteByPrefix, connectAdmin, redisSuite, uniquePrefix } from '../helpers/redis.js';
import { freePort } from '../helpers/redis-server.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const PHONE = '+212612345678';
const USER = 'metrics-user-7f3a';
const TEXT = `je cherche un avocat pour mon titre de séjour ${PHONE}`;

const shared = await redisSuite();
const running: RunningDalil[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(env: Record<string, string>): Promise<RunningDalil> {
  const dalil = await startDalil(loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env })), silentLogger);
  running.push(dalil);
  return dalil;
}

async function chat(base: string): Promise<void> {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: USER, text: TEXT }) });
  expect(res.status).toBe(200);
}

/** Every label set of the exposition (`{...}`), where personal data could hide; sample values are numbers of the process. */
const labelsOf = (body: string): string => (body.match(/\{[^}\n]*\}/g) ?? []).join('\n');

/** The value of one sample line, e.g. `dalil_turns_total{channel="web",...}`. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics', () => {
  it('is not served without METRICS_TOKEN or METRICS_PORT', async () => {
    const dalil = await start({});
    expect((await fetch(`${dalil.url}/metrics`)).status).toBe(404);
  });

  it('answers 401 without the bearer token, and the Prometheus text with it, with no personal data', async () => {
    const dalil = await start({ METRICS_TOKEN: TOKEN });
    expect((await fetch(`${dalil.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${dalil.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await chat(dalil.url);
    await chat(dalil.url);
    const res = await fetch(`${dalil.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    const turns = body.split('\n').filter((l) => l.startsWith('dalil_turns_total{'));
    expect(turns.reduce((n, l) => n + Number(l.split(' ').pop()), 0)).toBe(2);
    expect(turns.every((l) => /channel="web",lang="fr",outcome="[a-z-]+"/.test(l))).toBe(true);
    expect(sample(body, 'dalil_turn_duration_seconds_count', { channel: 'web' })).toBe(2);
    expect(sample(body, 'dalil_http_responses_total', { mount: 'web', status: '200' })).toBe(2);
    expect(sample(body, 'dalil_messages_sent_total', { channel: 'web' })).toBeUndefined(); // the web chat answers in the response
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(body).not.toContain('dalil_redis_up'); // memory state
    for (const secret of [USER, 'avocat', TOKEN]) expect(body).not.toContain(secret);
    for (const number of [PHONE, '612345678']) expect(labelsOf(body)).not.toContain(number);
  });

  it('can be served on its own port only, without a token', async () => {
    const port = await freePort();
    const dalil = await start({ METRICS_PORT: String(port) });
    expect(dalil.metricsUrl).toBe(`http://127.0.0.1:${port}`);
    await chat(dalil.url);
    expect((await fetch(`${dalil.url}/metrics`)).status).toBe(404);
    const body = await (await fetch(`${dalil.metricsUrl}/metrics`)).text();
    expect(body).toContain('dalil_turns_total{channel="web",lang="fr"');
    await dalil.close();
    running.splice(0);
    await expect(fetch(`${dalil.metricsUrl}/metrics`)).rejects.toThrow(); // closed with the server
  });

  it.skipIf(!shared.available)('reports Redis up and its command latency without a round trip of its own', async () => {
    const prefix = uniquePrefix('metrics');
    try {
      const dalil = await start({ METRICS_TOKEN: TOKEN, REDIS_URL: shared.url, REDIS_PREFIX: prefix });
      await chat(dalil.url);
      const body = await (await fetch(`${dalil.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(sample(body, 'dalil_redis_up')).toBe(1);
      const calls = sample(body, 'dalil_redis_command_duration_seconds_count', { result: 'ok' }) ?? 0;
      expect(calls).toBeGreaterThanOrEqual(2); // the turn's two round trips
      const again = await (await fetch(`${dalil.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(sample(again, 'dalil_redis_command_duration_seconds_count', { result: 'ok' })).toBe(calls); // scraping costs none
      expect(sample(body, 'dalil_redis_pending_deletes')).toBe(0);
    } finally {
      const admin = await connectAdmin(shared.url);
      await deleteByPrefix(admin, prefix);
      admin.destroy();
    }
  });
});

describe('metric hooks', () => {
  it('counts SMS segments of what went out and send failures by kind', async () => {
    const facts: DeliveryFact[] = [];
    const channel = { id: 'sms' as const, capabilities: smsCapabilities(3) };
    const handleTurn = async () => ({ replies: [{ kind: 'answer' as const, text: 'x', lang: 'fr' as const }], duplicate: false, lang: 'fr' as const });
    const bodies = ['a'.repeat(200), 'مرحبا'];
    await deliver(channel, { userId: PHONE, message: { channel: 'sms', text: 'hi', receivedAt: 0 } }, {
      render: () => bodies,
      send: async () => ({ sent: 1, failure: { kind: 'retryable', status: 503 } }),
    }, { handleTurn, logger: silentLogger, defaultLang: 'fr', onDelivered: (f) => facts.push(f) });
    expect(facts).toEqual([{ channel: 'sms', lang: 'fr', sent: 1, smsSegments: 2, failure: 'retryable' }]); // 200 GSM-7 characters: 2 segments; the second body never went

    const metrics = createMetrics();
    metrics.onDelivered(facts[0]!);
    metrics.onDelivered({ channel: 'telegram', lang: 'fr', sent: 0, smsSegments: 0, failure: 'user-blocked' });
    metrics.onTurn({ day: '2026-12-03', channel: PHONE, lang: 'fr', outcome: 'answered', latencyMs: 12 } as unknown as TurnFacts); // a label that is not a plain word becomes "other"
    const body = await metrics.render();
    expect(sample(body, 'dalil_sms_segments_sent_total', { channel: 'sms' })).toBe(2);
    expect(sample(body, 'dalil_send_failures_total', { channel: 'sms', kind: 'retryable' })).toBe(1);
    expect(sample(body, 'dalil_send_failures_total', { channel: 'telegram', kind: 'user-blocked' })).toBe(1);
    expect(sample(body, 'dalil_turns_total', { channel: 'other' })).toBe(1);
    expect(labelsOf(body)).not.toContain('212');
  });

  it('counts a turn with urgent help as urgent, others by their outcome, with the latency in seconds', async () => {
    const metrics = createMetrics();
    const day = '2026-12-03';
    metrics.onTurn({ day, channel: 'sms', lang: 'ar', outcome: 'directory', urgency: 'medical', latencyMs: 40 } as TurnFacts);
    metrics.onTurn({ day, channel: 'sms', lang: 'ar', outcome: 'handoff', latencyMs: 20 });
    metrics.onTurn({ day, channel: 'telegram', lang: 'fr', outcome: 'did-you-mean', topic: 'asylum', latencyMs: 2000 });
    const body = await metrics.render();
    expect(sample(body, 'dalil_turns_total', { channel: 'sms', lang: 'ar', outcome: 'urgent' })).toBe(1);
    expect(sample(body, 'dalil_turns_total', { channel: 'sms', lang: 'ar', outcome: 'handoff' })).toBe(1);
    expect(sample(body, 'dalil_turns_total', { channel: 'telegram', outcome: 'did-you-mean' })).toBe(1);
    expect(sample(body, 'dalil_turn_duration_seconds_bucket', { channel: 'telegram', le: '1' })).toBe(0);
    expect(sample(body, 'dalil_turn_duration_seconds_bucket', { channel: 'telegram', le: '2.5' })).toBe(1);
    expect(labelsOf(body)).not.toContain('asylum'); // topics stay in the editors' insights, not in metrics labels
  });
});
