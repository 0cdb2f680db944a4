/**
 * Production logs: one JSON line per event, and every line of a request's turn carries its request
 * id (returned in `X-Request-Id`; the proxy's id is kept when it is a plain token, replaced otherwise).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, requestIdFrom, withRequestId, currentRequestId } from '../../src/logging/logger.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { testEnv } from '../helpers/admin-data.js';

const lines: string[] = [];
let dalil: RunningDalil;

beforeAll(async () => {
  dalil = await startDalil(loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1' })), createLogger('info', (l) => lines.push(l)));
});
afterAll(async () => {
  await dalil?.close();
});

async function chat(user: string, text: string, requestId?: string): Promise<string> {
  const res = await fetch(`${dalil.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify({ user, text }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get('x-request-id') ?? '';
}

const events = (): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('request ids in the logs', () => {
  it('writes every event as one JSON line, and tags each line of a turn with its request id', async () => {
    const [a, b] = await Promise.all([chat('rid-user-a', 'bonjour'), chat('rid-user-b', 'hola, necesito ayuda')]);
    expect(a).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(b).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(a).not.toBe(b);
    const parsed = events(); // throws if any line is not JSON
    for (const id of [a, b]) {
      const names = parsed.filter((e) => e.req === id).map((e) => e.event);
      expect(names).toContain('turn.handled');
      expect(names).toContain('channel.web.turn');
    }
    // Start-up lines belong to no request.
    expect(parsed.find((e) => e.event === 'server.started')?.req).toBeUndefined();
  });

  it("keeps the proxy's plain request id and replaces one that could carry personal data", async () => {
    expect(await chat('rid-user-c', 'menu', 'proxy-7f3a9c2e1b')).toBe('proxy-7f3a9c2e1b');
    const replaced = await chat('rid-user-d', 'menu', '212612345678');
    expect(replaced).not.toContain('212612345678');
    expect(events().some((e) => e.req === 'proxy-7f3a9c2e1b' && e.event === 'turn.handled')).toBe(true);
    expect(lines.join('\n')).not.toContain('212612345678');
  });

  it('follows asynchronous work started inside the request', async () => {
    expect(requestIdFrom('short')).not.toBe('short');
    const seen = await withRequestId('abcdefgh12', async () => {
      await new Promise((r) => setTimeout(r, 5));
      return currentRequestId();
    });
    expect(seen).toBe('abcdefgh12');
    expect(currentRequestId()).toBeUndefined();
  });
});
