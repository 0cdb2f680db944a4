/**
 * The outside world of the server under test, on loopback only (run as its own process by
 * bench/run.ts, so answering it costs the load generator nothing):
 *   - a Telegram Bot API (getMe, setMyCommands, setWebhook, sendMessage ...), TELEGRAM_API_ROOT;
 *   - a Bot Framework connector (the `serviceUrl` replies are posted to);
 *   - the Twilio REST API for WhatsApp replies of several messages: an HTTPS server with a
 *     self-signed certificate for api.twilio.com, which the server trusts through
 *     NODE_EXTRA_CA_CERTS; bench/guard.mjs sends the server's connections to api.twilio.com:443
 *     here (BENCH_REDIRECT), so Twilio's SDK runs unchanged, keep-alive agent included.
 * Prints one JSON line (FakesInfo) when listening; `GET <telegramApiRoot>/__stats` returns counts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** What the fakes print when ready. */
export interface FakesInfo {
  telegramApiRoot: string;
  connectorUrl: string;
  /** 127.0.0.1:port of the fake api.twilio.com. */
  twilioApi: string;
  /** PEM of the fake api.twilio.com certificate (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
}

/** Counts the fakes report. */
export interface FakesStats {
  telegram: Record<string, number>;
  connector: number;
  twilioMessages: number;
}

const stats: FakesStats = { telegram: {}, connector: 0, twilioMessages: 0 };

function drain(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const BOT_INFO = {
  id: 6660009999,
  is_bot: true,
  first_name: 'Dalil',
  username: 'DalilBenchBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

async function main(): Promise<void> {
  let messageId = 1;
  const telegram = createServer(async (req, res) => {
    const raw = await drain(req);
    if (req.url === '/__stats') return json(res, 200, stats);
    const m = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!m) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = m[1] as string;
    stats.telegram[method] = (stats.telegram[method] ?? 0) + 1;
    if (method === 'getMe') return json(res, 200, { ok: true, result: BOT_INFO });
    if (method === 'sendMessage') {
      const payload = raw ? (JSON.parse(raw) as { chat_id?: unknown; text?: unknown }) : {};
      return json(res, 200, { ok: true, result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: 'private' }, text: payload.text } });
    }
    return json(res, 200, { ok: true, result: true });
  });
  telegram.keepAliveTimeout = 30_000;

  let replyId = 0;
  const connector = createServer(async (req, res) => {
    await drain(req);
    stats.connector++;
    json(res, 200, { id: `reply-${++replyId}` });
  });
  connector.keepAliveTimeout = 30_000;

  // The fake api.twilio.com: a self-signed certificate made for this run.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dalil-bench-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '2', '-subj', '/CN=api.twilio.com', '-addext', 'subjectAltName=DNS:api.twilio.com'], { stdio: 'ignore' });
  let sid = 0;
  const twilioApi = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, async (req, res) => {
    await drain(req);
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return json(res, 404, { code: 20404, message: 'not found', status: 404 });
    stats.twilioMessages++;
    json(res, 201, { sid: `SM${String(++sid).padStart(32, '0')}`, account_sid: m[1], status: 'queued', api_version: '2010-04-01', num_segments: '1' });
  });
  twilioApi.keepAliveTimeout = 30_000;
  const twilioPort = await listen(twilioApi);

  const info: FakesInfo = {
    telegramApiRoot: `http://127.0.0.1:${await listen(telegram)}`,
    connectorUrl: `http://127.0.0.1:${await listen(connector)}/`,
    twilioApi: `127.0.0.1:${twilioPort}`,
    caFile,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const stop = (): void => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Never outlives the orchestrator.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`fakes failed: ${String(err)}\n`);
  process.exit(1);
});
