/**
 * Graceful shutdown: on SIGTERM Dalil stops accepting connections, lets the turns in flight finish
 * (HTTP requests, and replies still being sent after their webhook was answered), then closes the
 * store and exits 0. Bounded: work that never ends is cut after SHUTDOWN_TIMEOUT_MS.
 */
import { spawn } from 'node:child_process';
import http, { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createGracefulClose } from '../../src/server/shutdown.js';
import { createTaskTracker } from '../../src/server/tasks.js';
import { TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { fixture, TEST_BOT_INFO } from '../channels/harness.js';
import { connectAdmin, deleteByPrefix, probeRedis, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { BOT_TOKEN, eventually, gate, HMAC, recordingLogger, ROOT, sleep, WEBHOOK_SECRET } from './support.js';
import { testEnv } from '../helpers/admin-data.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

/** An app with one route held by a gate, served by a real HTTP server with its graceful close. */
async function heldApp(timeoutMs = 10_000) {
  const held = gate();
  let entered = false;
  const router = express.Router();
  const order: string[] = [];
  router.get('/slow', async (_req, res) => {
    entered = true;
    await held.wait;
    res.on('finish', () => order.push('response sent'));
    res.json({ done: true });
  });
  const logs = recordingLogger();
  const tasks = createTaskTracker();
  let draining = (): boolean => false;
  const app = createApp({ mounts: [{ name: 'held', path: '/held', router }], logger: logs.logger, draining: () => draining(), health: async () => ({ status: 'ok', state: 'ok', channels: [], content: 't' }) });
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const graceful = createGracefulClose({ server, tasks, logger: logs.logger, timeoutMs, closeStore: async () => void order.push('store closed') });
  draining = graceful.draining;
  return { port, held, entered: () => entered, order, logs, tasks, graceful };
}

/** Whether a new TCP connection to `port` is accepted. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('graceful close', () => {
  it('stops accepting, finishes the request in flight, then closes the store', async () => {
    const a = await heldApp();
    const inFlight = fetch(`http://127.0.0.1:${a.port}/held/slow`).then(async (r) => ({ status: r.status, connection: r.headers.get('connection'), body: await r.json() }));
    expect(await eventually(a.entered)).toBe(true);
    const closing = a.graceful.close();
    expect(a.graceful.draining()).toBe(true);
    expect(await connects(a.port)).toBe(false);
    await sleep(50);
    expect(a.order).toEqual([]);
    a.held.open();
    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: { done: true } });
    await closing;
    expect(a.order).toEqual(['response sent', 'store closed']);
    expect(a.logs.events.find((e) => e.event === 'server.stopped')).toMatchObject({ drained: true });
    expect(a.graceful.close()).toBe(closing);
  });

  it('waits for work that outlived its request (a reply still being sent)', async () => {
    const a = await heldApp();
    const sending = gate();
    let sent = false;
    void a.tasks.run(async () => {
      await sending.wait;
      sent = true;
    });
    let closed = false;
    const closing = a.graceful.close().then(() => void (closed = true));
    await sleep(100);
    expect(closed).toBe(false);
    sending.open();
    await closing;
    expect(sent).toBe(true);
    expect(a.order).toEqual(['store closed']);
  });

  it('gives up after its timeout on work that never ends, and still closes the store', async () => {
    const a = await heldApp(150);
    void a.tasks.run(() => new Promise<void>(() => undefined));
    await a.graceful.close();
    expect(a.logs.events.find((e) => e.event === 'server.shutdown_timeout')).toMatchObject({ inflight: 1, timeoutMs: 150 });
    expect(a.order).toEqual(['store closed']);
  });
});

describe('keep-alive clients at SIGTERM', () => {
  it('answers every request accepted on 32 keep-alive loops of 56 KB posts, and logs how many were in flight', async () => {
    const router = express.Router();
    let received = 0;
    router.post('/echo', express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
      received += 1;
      await sleep(5);
      res.json({ bytes: (req.body as Buffer).length });
    });
    const logs = recordingLogger();
    const tasks = createTaskTracker();
    let draining = (): boolean => false;
    const app = createApp({ mounts: [{ name: 'echo', path: '/e', router }], logger: logs.logger, draining: () => draining(), health: async () => ({ status: 'ok', state: 'ok', channels: [], content: 't' }) });
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const graceful = createGracefulClose({ server, tasks, logger: logs.logger, timeoutMs: 10_000, closeStore: async () => undefined });
    draining = graceful.draining;

    const body = Buffer.alloc(56 * 1024, 'x');
    const outcome = { answered: 0, refused: 0, reset: 0, wrong: 0 };
    let stop = false;
    const once = (agent: http.Agent): Promise<'ok' | 'refused' | 'reset' | 'closed'> =>
      new Promise((resolve) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/e/echo', method: 'POST', agent, headers: { 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            if (res.statusCode === 200 && JSON.parse(text).bytes === body.length) outcome.answered += 1;
            else outcome.wrong += 1;
            resolve(res.headers.connection === 'close' ? 'closed' : 'ok');
          });
        });
        // A reset on a new connection is one the kernel queued but Dalil never accepted (its
        // listening socket closed): only a reset on a connection already serving this client counts.
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' || !req.reusedSocket ? 'refused' : 'reset'));
        req.end(body);
      });
    const loop = async (): Promise<void> => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (!stop) {
          const r = await once(agent);
          if (r === 'refused') {
            outcome.refused += 1;
            return;
          }
          if (r === 'reset') outcome.reset += 1;
        }
      } finally {
        agent.destroy();
      }
    };
    const loops = Array.from({ length: 32 }, () => loop());
    // Every loop busy on its keep-alive connection before SIGTERM (however loaded the machine is).
    expect(await eventually(() => outcome.answered >= 64, 20_000)).toBe(true);
    await graceful.close();
    stop = true;
    await Promise.all(loops);

    expect(outcome.reset).toBe(0);
    expect(outcome.wrong).toBe(0);
    expect(outcome.answered).toBeGreaterThanOrEqual(64);
    // Every request Dalil accepted was answered.
    expect(outcome.answered).toBe(received);
    const drainingEvent = logs.events.find((e) => e.event === 'server.draining');
    expect(drainingEvent).toBeDefined();
    expect(typeof drainingEvent!.requests).toBe('number');
    expect(logs.events.find((e) => e.event === 'server.stopped')).toMatchObject({ drained: true });
  }, 30_000);
});

describe('SIGTERM on the real process', () => {
  it('answers the turns in flight, sends the reply still pending, closes Redis and exits 0', async () => {
    // A Bot API that takes its time to accept sendMessage, so a reply is still being sent at SIGTERM.
    const calls: string[] = [];
    const api = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', async () => {
        const method = /\/([A-Za-z]+)$/.exec(req.url ?? '')?.[1] ?? '';
        calls.push(`${method}:start`);
        if (method === 'sendMessage') await sleep(1500);
        calls.push(`${method}:done`);
        res.writeHead(200, { 'content-type': 'application/json' });
        const result = method === 'getMe' ? TEST_BOT_INFO : method === 'sendMessage' ? { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: JSON.parse(raw || '{}').text } : true;
        res.end(JSON.stringify({ ok: true, result }));
      });
    });
    servers.push(api);
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const redis = await probeRedis();
    const prefix = uniquePrefix('sigterm');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: testEnv({
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        HMAC_SECRET: HMAC,
        REDIS_URL: redis ? REDIS_URL : '',
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
        PUBLIC_BASE_URL: '',
        WEBHOOK_DEADLINE_MS: '200',
        SHUTDOWN_TIMEOUT_MS: '10000',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      expect(await eventually(() => /Dalil is running: open (http:\/\/\S+?)\/ /.test(stdout), 60_000)).toBe(true);
      const url = /Dalil is running: open (http:\/\/\S+?)\/ /.exec(stdout)![1]!;

      // A Telegram update: answered within the 200 ms deadline, its reply still being sent.
      const webhook = await fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET },
        body: JSON.stringify(fixture('telegram', 'text-message')),
      });
      expect(webhook.status).toBe(200);
      expect(await eventually(() => calls.includes('sendMessage:start'))).toBe(true);
      // Web requests in flight at the same time.
      const chats = Array.from({ length: 20 }, (_, i) =>
        fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `sigterm-${i}`, text: 'bonjour' }) }).then(
          async (r) => ({ status: r.status, replies: ((await r.json()) as { replies: unknown[] }).replies.length }),
          () => 'not accepted' as const,
        ),
      );
      child.kill('SIGTERM');
      const code = await exited;
      const outcomes = await Promise.all(chats);

      expect(code).toBe(0);
      // The pending reply was delivered before the process ended.
      // Every part of the pending reply was delivered before the process ended (each takes 1.5 s).
      const sends = calls.filter((c) => c.startsWith('sendMessage'));
      expect(sends.length).toBeGreaterThanOrEqual(2);
      expect(sends.filter((c) => c.endsWith(':start')).length).toBe(sends.filter((c) => c.endsWith(':done')).length);
      // Every request the server accepted got a full answer; none was cut.
      for (const o of outcomes) if (o !== 'not accepted') expect(o).toMatchObject({ status: 200 });
      expect(outcomes.filter((o) => o !== 'not accepted' && o.replies === 0)).toEqual([]);
      const events = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { event: string }).event);
      const at = (e: string): number => events.indexOf(e);
      expect(at('server.stopping')).toBeGreaterThan(-1);
      expect(at('server.stopped')).toBeGreaterThan(at('server.stopping'));
      if (redis) expect(at('state.redis.closed')).toBeGreaterThan(at('server.stopping'));
      expect(events).not.toContain('server.shutdown_timeout');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (redis) {
        const admin = await connectAdmin();
        await deleteByPrefix(admin, prefix);
        admin.destroy();
      }
    }
  }, 90_000);
});
