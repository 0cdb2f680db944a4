/**
 * A channel mounted at startup and built (its SDK loaded) at first use: one build however many
 * requests arrive meanwhile, the real router answers, other methods still get 405, and a build
 * that fails is logged, answered 500 and tried again at the next use.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { deferChannel, type BuiltChannel } from '../../src/server/deferred-channel.js';
import type { CaseReacher } from '../../src/domain/index.js';
import { captureLogs } from '../channels/harness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function realChannel(): BuiltChannel {
  const router = express.Router();
  router.post('/', express.json(), (req, res) => {
    res.json({ echoed: (req.body as { n?: number }).n, path: req.originalUrl });
  });
  const reacher: CaseReacher = { channel: 'sms', reach: async () => ({ ok: true, via: 'text' }) };
  return { router, reacher };
}

async function serve(build: () => Promise<BuiltChannel>) {
  const logs = captureLogs();
  const channel = deferChannel('sms', build, logs.logger);
  const app = createApp({ mounts: [{ name: 'sms', path: '/webhooks/sms', router: channel.router }], logger: logs.logger, health: async () => ({ status: 'ok', state: 'ok', channels: ['sms'], content: 'x' }) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sms`;
  const post = (n: number) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
  return { channel, logs, url, post };
}

describe('a deferred channel', () => {
  it('builds once at the first requests and lets the real router answer them', async () => {
    let builds = 0;
    const { post, logs } = await serve(async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20));
      return realChannel();
    });
    expect(builds).toBe(0);
    const answers = await Promise.all([post(1), post(2), post(3)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(answers.map((r) => r.json()))).toEqual([1, 2, 3].map((n) => ({ echoed: n, path: '/webhooks/sms' })));
    expect((await post(4)).status).toBe(200);
    expect(builds).toBe(1);
    expect(logs.entries.filter((e) => e.event === 'channel.loaded')).toHaveLength(1);
  });

  it('answers other methods 405 before and after the channel is built', async () => {
    const { post, url } = await serve(async () => realChannel());
    const before = await fetch(url);
    expect(before.status).toBe(405);
    expect(before.headers.get('allow')).toBe('POST');
    await post(1);
    expect((await fetch(url)).status).toBe(405);
  });

  it('reaches users through the real channel, building it when no webhook came first', async () => {
    let builds = 0;
    const { channel } = await serve(async () => {
      builds++;
      return realChannel();
    });
    expect(await channel.reacher.reach({ channel: 'sms', userId: 'u' }, 'hello', 'fr', undefined)).toEqual({ ok: true, via: 'text' });
    expect(channel.reacher.channel).toBe('sms');
    expect(builds).toBe(1);
  });

  it('logs a build that fails, answers 500 and builds again at the next request', async () => {
    let builds = 0;
    const { post, logs } = await serve(async () => {
      builds++;
      if (builds === 1) throw new Error('sdk missing');
      return realChannel();
    });
    const failed = await post(1);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'internal error' });
    const failure = logs.entries.find((e) => e.event === 'channel.load_failed');
    expect(failure?.level).toBe('error');
    expect(failure?.fields).toEqual({ channel: 'sms', error: 'Error' });
    expect((await post(2)).status).toBe(200);
    expect(builds).toBe(2);
  });
});
