/**
 * `/api/chat` and the web page over real HTTP, with the real content, matcher and engine
 * on memory state: the embedded default that `npm start` runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config/index.js';
import { ContentError } from '../../src/domain/index.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { testEnv } from '../helpers/admin-data.js';

interface ApiReply {
  kind: string;
  text: string;
  choices: { id: string; label: string }[];
  lang: string;
  dir: string;
  preview?: { sms: { encoding: string; segments: number; text: string } };
}

let dalil: RunningDalil;
const logLines: string[] = [];

async function chat(body: unknown, query = ''): Promise<{ status: number; json: { replies: ApiReply[]; error?: string; duplicate?: boolean } }> {
  const res = await fetch(`${dalil.url}/api/chat${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { replies: ApiReply[]; error?: string } };
}

beforeAll(async () => {
  dalil = await startDalil(loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' })), createLogger('info', (line) => logLines.push(line)));
});
afterAll(async () => {
  await dalil.close();
});

describe('/api/chat over HTTP', () => {
  it('serves the web chat page and a health report', async () => {
    const page = await fetch(`${dalil.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/chat');
    const health = await fetch(`${dalil.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', state: 'ok' });
  });

  it('greets a French speaker with the privacy notice, then navigates the numbered menu', async () => {
    const first = await chat({ user: 'web-test-fr', text: 'Bonjour, je voudrais des informations sur mes droits' });
    expect(first.status).toBe(200);
    expect(first.json.replies.every((r) => r.lang === 'fr')).toBe(true);
    // The privacy notice says how to delete, in French.
    expect(first.json.replies.map((r) => r.text).join('\n')).toContain('SUPPRIMER');
    const home = await chat({ user: 'web-test-fr', text: 'menu' });
    const menu = home.json.replies.find((r) => r.choices.filter((c) => c.id.startsWith('cat:')).length >= 5);
    expect(menu).toBeDefined();
    // "1" picks the first category; its menu lists topics; "1" again answers the first topic.
    const next = await chat({ user: 'web-test-fr', text: '1' });
    const topics = next.json.replies.find((r) => r.choices.some((c) => c.id.startsWith('topic:')));
    expect(topics).toBeDefined();
    const answer = await chat({ user: 'web-test-fr', text: '1' });
    expect(answer.json.replies.some((r) => r.kind === 'answer' && r.lang === 'fr')).toBe(true);
  });

  it('answers an Arabic question right-to-left with a source and the disclaimer, and shows the SMS preview', async () => {
    const out = await chat({ user: 'web-test-ar', text: 'كيف أطلب اللجوء عند المفوضية؟' }, '?preview=1');
    expect(out.status).toBe(200);
    const answer = out.json.replies.find((r) => r.kind === 'answer');
    expect(answer).toBeDefined();
    expect(answer?.dir).toBe('rtl');
    expect(answer?.preview?.sms.encoding).toBe('UCS-2');
    expect(answer?.preview?.sms.segments).toBeGreaterThan(0);
  });

  it('handles a redelivered client id once', async () => {
    const body = { user: 'web-test-dup', text: 'hello', id: 'client-msg-1' };
    const a = await chat(body);
    const b = await chat(body);
    expect(a.json.replies.length).toBeGreaterThan(0);
    expect(b.json.duplicate).toBe(true);
    expect(b.json.replies).toEqual([]);
  });

  it('forgets a user who asks, in Spanish', async () => {
    await chat({ user: 'web-test-es', text: 'hola, necesito ayuda con los papeles' });
    const out = await chat({ user: 'web-test-es', text: 'BORRAR' });
    expect(out.status).toBe(200);
    expect(out.json.replies[0]?.lang).toBe('es');
  });

  it.each([
    ['malformed JSON', '{"user": "x", "text": '],
    ['no user', { text: 'hello' }],
    ['a phone number as user id', { user: '+212 600 000 000', text: 'hello' }],
    ['no text', { user: 'web-test-bad' }],
    ['an array', [1, 2]],
  ])('rejects %s with 400 and a clear message, no stack trace', async (_name, body) => {
    const out = await chat(body);
    expect(out.status).toBe(400);
    expect(typeof out.json.error).toBe('string');
    expect(JSON.stringify(out.json)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('rejects a body over the size limit with 413', async () => {
    const out = await chat({ user: 'web-test-big', text: 'x'.repeat(200_000) });
    expect(out.status).toBe(413);
  });
});

describe('startup log', () => {
  it("reports the heap in use and V8's heap limit, so operators see how close the start script's cap is", () => {
    const started = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'server.started');
    expect(started).toBeDefined();
    const used = Number(started?.heapUsedMb);
    const limit = Number(started?.heapLimitMb);
    expect(used).toBeGreaterThan(10);
    expect(limit).toBeGreaterThan(used);
    // This process runs without the start script's cap, far from the limit: no warning.
    expect(logLines.some((l) => l.includes('server.heap_near_limit'))).toBe(false);
  });
});

describe('startup on invalid content', () => {
  it('refuses to start, naming the file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dalil-content-'));
    try {
      cpSync(path.join(PROJECT_ROOT, 'content'), dir, { recursive: true });
      const file = path.join(dir, 'topics', 'housing', 'en.md');
      writeFileSync(file, '---\ntitle: Housing\nstatus: published\nreviewed: 2026-11-01\nrelated: [no-such-topic]\nsms: Short.\nsources:\n  - title: Law 67-12\n    ref: Law 67-12\n---\nBody.\n');
      const config = loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: dir }));
      const err = await startDalil(config, silentLogger).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ContentError);
      expect((err as ContentError).message).toMatch(/housing[/\\]en\.md:5: error: .*no-such-topic/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
