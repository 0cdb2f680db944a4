/**
 * Soak test (`npm run soak`; not part of `npm test`): SOAK_MESSAGES (default 100,000) mixed
 * messages through the HTTP webhooks of a Dalil process with Redis state, over loopback only.
 *
 * - Users of the web chat (40 %), Telegram (20 %), WhatsApp (20 %) and SMS (20 %) in French,
 *   English, Arabic (MSA, Darija, arabizi) and Spanish each send SOAK_PER_USER (10) messages one
 *   after the other: greetings, questions, menu numbers, buttons, media, locations, emoji, long
 *   stories, forget-me; SOAK_CONCURRENCY (64) users talk at once.
 * - 1 % of deliveries are redelivered after they were answered, and 0.5 % (web and SMS) twice at
 *   the same time, as platforms do: each must be answered exactly once.
 * - Every reply is attributed to its message: web and TwiML replies come in the response, Telegram
 *   and Twilio REST replies are counted by local fakes per recipient while the message is handled.
 * - The server's RSS and heap (after a full GC) are sampled at every tenth of the run.
 *
 * Results: lost (a message without any reply), duplicated (a delivery answered twice), errors
 * (non-200, apologies), req/s, latency percentiles, memory, Redis keys; printed as the "## Soak"
 * section of bench/RESULTS.md, which `--write-results` puts in that file (that section only).
 * Exits 1 when anything was lost, duplicated or failed. Bounded by SOAK_TIMEOUT_MS (30 min).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import { createClient } from 'redis';
import type { SoakIpc } from './server.js';
import { rng } from '../lib/messages.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const int = (name: string, fallback: number): number => {
  const v = Number(env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const MESSAGES = int('SOAK_MESSAGES', 100_000);
const PER_USER = int('SOAK_PER_USER', 10);
const CONCURRENCY = int('SOAK_CONCURRENCY', 64);
const TIMEOUT_MS = int('SOAK_TIMEOUT_MS', 30 * 60_000);
const DEADLINE_MS = 5000;
const REDIS_URL = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const PREFIX = `dalil-soak:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}:`;
const WRITE = process.argv.includes('--write-results');

const BOT_TOKEN = '123456789:AAsoakTokenForLocalRunsOnly_abcdefgh';
const WEBHOOK_SECRET = 'soak-secret_0123456789';
const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffee00';
const PUBLIC_BASE_URL = 'https://soak.invalid';

// ---------------------------------------------------------------------------------------------
// What users write

type Lang = 'fr' | 'en' | 'ar' | 'es';
type Channel = 'web' | 'telegram' | 'whatsapp' | 'sms';
const TEXTS: Record<Lang, string[]> = {
  fr: [
    'bonjour', 'salut, j ai besoin d aide', 'comment avoir la carte de séjour ?', "j'ai perdu mon passeport, que faire",
    'la police m a arrete hier a tanger', 'je veux demander l asile', 'ou trouver un medecin gratuit', 'mon patron ne me paie pas',
    'mon enfant peut aller a l ecole ?', 'je suis a casa', 'merci beaucoup 🙏', 'MENU', 'RETOUR', 'PLUS', '1', '2', '0', '3',
    'c koi la regularisation svp', 'aidez moi 😢😢 je suis perdu',
  ],
  en: [
    'hello', 'hi I need help', 'how do I get a residence card?', 'I lost my passport what can I do', 'the police arrested my friend',
    'I want to ask for asylum', 'where can I see a doctor for free', 'my boss does not pay me', 'can my child go to school',
    'I am in Rabat', 'thank you 👍', 'MENU', 'BACK', 'MORE', '1', '2', '0', 'who will win the match tonight', 'help me please 🆘',
  ],
  ar: [
    'السلام عليكم', 'بغيت نعرف كيفاش ندير لوراق', 'كيف أحصل على بطاقة الإقامة؟', 'ضاع جواز سفري ماذا أفعل', 'البوليس شدني البارح',
    'أريد طلب اللجوء', 'bghit lwra9 3afak', 'fin nl9a tbib bla flous', 'salam khoya', 'أنا في وجدة', 'شكرا', 'القائمة', 'رجوع',
    'المزيد', '1', '2', '0', '٣', 'واش ولدي يقدر يمشي للمدرسة',
  ],
  es: [
    'hola', 'necesito ayuda', '¿cómo consigo la tarjeta de residencia?', 'perdí mi pasaporte qué hago', 'la policía me detuvo',
    'quiero pedir asilo', 'dónde puedo ver un médico gratis', 'mi jefe no me paga', 'estoy en Nador', 'gracias ❤️', 'MENÚ',
    'VOLVER', 'MÁS', '1', '2', '0', 'ayudame por favor',
  ],
};
const FORGET: Record<Lang, string> = { fr: 'SUPPRIMER', en: 'DELETE', ar: 'امسح', es: 'BORRAR' };
const LONG = (lang: Lang): string => `${TEXTS[lang][3]} `.repeat(60) + TEXTS[lang][2];
const CHOICES = ['cat:papers', 'cat:asylum', 'topic:residence-permit', 'topic:find-help', 'cmd:menu', 'lang:fr', 'lang:ar', 'fb:yes'];

/** One message a user sends. */
type Input = { text: string } | { choice: string } | { media: true } | { location: [number, number] };

function inputFor(rand: () => number, lang: Lang, channel: Channel, n: number): Input {
  const r = rand();
  if (n === 0) return { text: TEXTS[lang][0]! };
  if (r < 0.01) return { text: FORGET[lang] };
  if (r < 0.03) return { text: LONG(lang) };
  if (channel !== 'sms' && r < 0.13) return { choice: CHOICES[Math.floor(rand() * CHOICES.length)]! };
  if ((channel === 'telegram' || channel === 'whatsapp') && r < 0.17) return { media: true };
  if ((channel === 'telegram' || channel === 'whatsapp') && r < 0.2) return { location: [35.76 + rand() / 10, -5.83 - rand() / 10] };
  const texts = TEXTS[lang];
  return { text: texts[Math.floor(rand() * texts.length)]! };
}

// ---------------------------------------------------------------------------------------------
// The outside world: Telegram Bot API and Twilio REST API, counting replies per recipient

const sentTo = new Map<string, number>();
const count = (to: string): number => sentTo.get(to) ?? 0;
let restReplies = 0;
let telegramReplies = 0;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const fakes = createServer(async (req, res) => {
  const raw = await body(req);
  const url = req.url ?? '';
  const json = (status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (url.startsWith(`/bot${BOT_TOKEN}/`)) {
    const method = url.slice(url.lastIndexOf('/') + 1);
    const payload = raw ? (JSON.parse(raw) as { chat_id?: number; text?: string }) : {};
    if (method === 'getMe') return json(200, { ok: true, result: { id: 123456789, is_bot: true, first_name: 'Dalil', username: 'DalilSoakBot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } });
    if (method === 'sendMessage') {
      telegramReplies += 1;
      sentTo.set(`tg:${payload.chat_id}`, count(`tg:${payload.chat_id}`) + 1);
      return json(200, { ok: true, result: { message_id: telegramReplies, date: 1, chat: { id: payload.chat_id, type: 'private' }, text: payload.text } });
    }
    return json(200, { ok: true, result: true });
  }
  if (url === `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
    const form = new URLSearchParams(raw);
    restReplies += 1;
    const to = form.get('To') ?? '';
    sentTo.set(to, count(to) + 1);
    return json(201, { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to });
  }
  json(404, { error: 'not found' });
});

// ---------------------------------------------------------------------------------------------
// The server under test

let child: ChildProcess | undefined;
let serverUrl = '';
const pending = new Map<string, (m: SoakIpc) => void>();

async function startServer(fakesUrl: string): Promise<void> {
  child = fork(path.join(ROOT, 'bench/soak/server.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: {
      ...env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HMAC_SECRET: randomBytes(32).toString('base64'),
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: fakesUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_WHATSAPP_FROM: 'whatsapp:+15005550000',
      TWILIO_SMS_FROM: '+15005550001',
      PUBLIC_BASE_URL,
      WEBHOOK_DEADLINE_MS: String(DEADLINE_MS),
      // The soak measures the turns themselves: the global budgets (SMS segments, web turns) would cut it short.
      SMS_SEGMENTS_PER_HOUR: '0',
      SMS_SEGMENTS_PER_DAY: '0',
      WEB_TURNS_PER_MINUTE: '0',
      SOAK_TWILIO_API: fakesUrl,
    },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let warnings = 0;
  child.stderr?.on('data', (c: Buffer) => {
    warnings += c.toString().split('\n').filter((l) => l.includes('"level":"error"')).length;
    stats.serverErrorLogs = warnings;
  });
  child.on('message', (m: SoakIpc) => {
    const waiter = pending.get(m.type);
    if (waiter) {
      pending.delete(m.type);
      waiter(m);
    }
  });
  const ready = await new Promise<SoakIpc>((resolve, reject) => {
    pending.set('ready', resolve);
    child!.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
  });
  if (ready.type === 'ready') serverUrl = ready.url;
}

async function memory(): Promise<{ rss: number; heapUsed: number }> {
  const m = await new Promise<SoakIpc>((resolve) => {
    pending.set('memory', resolve);
    child!.send({ type: 'measure' } satisfies SoakIpc);
  });
  return m.type === 'memory' ? { rss: m.rss, heapUsed: m.heapUsed } : { rss: 0, heapUsed: 0 };
}

// ---------------------------------------------------------------------------------------------
// Sending and attributing replies

const stats = {
  requests: 0,
  originals: 0,
  lost: 0,
  duplicated: 0,
  redeliveries: 0,
  concurrentPairs: 0,
  errors: 0,
  apologies: 0,
  slow: 0,
  replies: 0,
  serverErrorLogs: 0,
  byChannel: { web: 0, telegram: 0, whatsapp: 0, sms: 0 } as Record<Channel, number>,
};
const latencies: number[] = [];
/** Duplicated replies by channel, kind of redelivery and what the message was, for diagnosis. */
const duplicateKinds = new Map<string, number>();
const noteDuplicate = (d: Delivery, how: string): void => {
  const what = 'text' in d.input ? (Object.values(FORGET).includes(d.input.text) ? 'forget-me' : 'text') : Object.keys(d.input)[0]!;
  const k = `${d.channel} ${how} ${what}`;
  duplicateKinds.set(k, (duplicateKinds.get(k) ?? 0) + 1);
};
let updateId = 1_000_000;

interface Delivery {
  channel: Channel;
  userId: string;
  lang: Lang;
  input: Input;
  deliveryId: string;
  /** The Telegram update id (fixed for a redelivery). */
  updateId: number;
}

/** Sends one delivery; resolves the number of replies it produced (0 for a duplicate). */
async function deliver(d: Delivery): Promise<{ replies: number; ok: boolean; apology: boolean }> {
  const started = performance.now();
  stats.requests += 1;
  try {
    if (d.channel === 'web') {
      const payload: Record<string, unknown> = { user: d.userId, id: d.deliveryId };
      if ('text' in d.input) payload.text = d.input.text;
      else if ('choice' in d.input) payload.choice = d.input.choice;
      else payload.text = '0';
      const res = await fetch(`${serverUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': d.lang }, body: JSON.stringify(payload) });
      const out = (await res.json()) as { replies?: Array<{ kind: string }> };
      const replies = out.replies ?? [];
      return { replies: replies.length, ok: res.status === 200, apology: replies.some((r) => r.kind === 'error') };
    }
    if (d.channel === 'telegram') {
      const chat = Number(d.userId);
      const from = { id: chat, is_bot: false, first_name: 'Soak', language_code: d.lang };
      const update: Record<string, unknown> = { update_id: d.updateId };
      if ('choice' in d.input) update.callback_query = { id: d.deliveryId, from, chat_instance: '1', data: d.input.choice, message: { message_id: 1, date: 1, chat: { id: chat, type: 'private' } } };
      else {
        const message: Record<string, unknown> = { message_id: d.updateId, date: 1767225600, from, chat: { id: chat, type: 'private' } };
        if ('text' in d.input) message.text = d.input.text;
        else if ('media' in d.input) message.photo = [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }];
        else message.location = { latitude: d.input.location[0], longitude: d.input.location[1] };
        update.message = message;
      }
      const before = count(`tg:${chat}`);
      const res = await fetch(`${serverUrl}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET }, body: JSON.stringify(update) });
      await res.arrayBuffer();
      return { replies: await settled(`tg:${chat}`, before, started), ok: res.status === 200, apology: false };
    }
    // Twilio: WhatsApp or SMS
    const whatsapp = d.channel === 'whatsapp';
    const from = whatsapp ? `whatsapp:${d.userId}` : d.userId;
    const params: Record<string, string> = {
      MessageSid: d.deliveryId, SmsMessageSid: d.deliveryId, AccountSid: ACCOUNT_SID, From: from, To: whatsapp ? 'whatsapp:+15005550000' : '+15005550001',
      Body: 'text' in d.input ? d.input.text : '', NumMedia: 'media' in d.input ? '1' : '0', SmsStatus: 'received', ApiVersion: '2010-04-01',
    };
    if ('media' in d.input) params.MediaContentType0 = 'image/jpeg';
    if ('location' in d.input) Object.assign(params, { Latitude: String(d.input.location[0]), Longitude: String(d.input.location[1]) });
    if ('choice' in d.input) params.ButtonPayload = d.input.choice;
    const urlPath = whatsapp ? '/webhooks/twilio/whatsapp' : '/webhooks/twilio/sms';
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${urlPath}`, params);
    const before = count(from);
    const res = await fetch(`${serverUrl}${urlPath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: new URLSearchParams(params).toString() });
    const xml = await res.text();
    const twiml = (xml.match(/<Message>/g) ?? []).length;
    return { replies: twiml + (await settled(from, before, started)), ok: res.status === 200, apology: false };
  } catch {
    return { replies: 0, ok: false, apology: false };
  } finally {
    latencies.push(performance.now() - started);
  }
}

/**
 * Replies sent to `to` through an API since `before`. A webhook answered at its deadline sends
 * its replies later: then wait (bounded) for them, so they are counted for this message.
 */
async function settled(to: string, before: number, started: number): Promise<number> {
  if (performance.now() - started < DEADLINE_MS - 200) return count(to) - before;
  stats.slow += 1;
  const until = performance.now() + 30_000;
  while (count(to) === before && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  return count(to) - before;
}

/** One user's conversation: PER_USER messages in order, with the odd redelivery. */
async function conversation(index: number): Promise<void> {
  const rand = rng(index + 1);
  const channel: Channel = (['web', 'web', 'web', 'web', 'telegram', 'telegram', 'whatsapp', 'whatsapp', 'sms', 'sms'] as const)[index % 10]!;
  const lang: Lang = (['fr', 'en', 'ar', 'es'] as const)[Math.floor(index / 10) % 4]!;
  const userId =
    channel === 'web' ? `soak-${index}` : channel === 'telegram' ? String(7_000_000_000 + index) : `+999${String(index).padStart(9, '0')}`;
  for (let n = 0; n < PER_USER; n++) {
    const d: Delivery = {
      channel,
      userId,
      lang,
      input: inputFor(rand, lang, channel, n),
      deliveryId: channel === 'web' ? `w${index}-${n}` : `SM${randomBytes(16).toString('hex')}`,
      updateId: ++updateId,
    };
    stats.originals += 1;
    stats.byChannel[channel] += 1;
    const r = rand();
    if ((channel === 'web' || channel === 'sms') && r < 0.005) {
      // The platform delivers the same message twice at once: exactly one gets the replies.
      stats.concurrentPairs += 1;
      const [a, b] = await Promise.all([deliver(d), deliver(d)]);
      account(a);
      account(b);
      const answered = [a, b].filter((x) => x.replies > 0).length;
      if (answered === 0) stats.lost += 1;
      if (answered > 1) {
        stats.duplicated += 1;
        noteDuplicate(d, 'concurrent');
      }
      stats.replies += a.replies + b.replies;
    } else {
      const out = await deliver(d);
      account(out);
      if (out.replies === 0) stats.lost += 1;
      stats.replies += out.replies;
    }
    if (r > 0.99) {
      // A redelivery after the answer went out: nothing more may be sent.
      stats.redeliveries += 1;
      const again = await deliver(d);
      account(again);
      if (again.replies > 0) {
        stats.duplicated += 1;
        noteDuplicate(d, 'redelivered');
      }
    }
    done += 1;
  }
}

function account(r: { ok: boolean; apology: boolean }): void {
  if (!r.ok) stats.errors += 1;
  if (r.apology) stats.apologies += 1;
}

// ---------------------------------------------------------------------------------------------
// The run

let done = 0;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function redisKeys(): Promise<{ keys: number; usedMemory: number }> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let keys = 0;
    for await (const batch of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 1000 })) keys += batch.length;
    const info = await client.info('memory');
    return { keys, usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) };
  } finally {
    client.destroy();
  }
}

async function cleanRedis(): Promise<number> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    for await (const batch of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 1000 })) {
      if (batch.length > 0) deleted += await client.unlink(batch);
    }
  } finally {
    client.destroy();
  }
  return deleted;
}

async function main(): Promise<void> {
  const users = Math.ceil(MESSAGES / PER_USER);
  await new Promise<void>((resolve) => fakes.listen(0, '127.0.0.1', resolve));
  const fakesUrl = `http://127.0.0.1:${(fakes.address() as AddressInfo).port}`;
  process.stdout.write(`soak: ${users * PER_USER} messages from ${users} users, ${CONCURRENCY} at once, Redis ${REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} prefix ${PREFIX}\n`);
  await startServer(fakesUrl);
  const redisBefore = await redisKeys();

  // Warm-up (not measured): the first users, so the memory at "start" is a running server's.
  const memorySamples: Array<{ at: number; rss: number; heapUsed: number }> = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + TIMEOUT_MS;
  let aborted = false;
  const checkpoints = new Set(Array.from({ length: 11 }, (_, i) => Math.round((i / 10) * users * PER_USER)));
  let sampling = Promise.resolve();
  const sampleIfDue = (): void => {
    for (const c of [...checkpoints]) {
      if (done >= c && c > 0) {
        checkpoints.delete(c);
        sampling = sampling.then(async () => {
          const m = await memory();
          memorySamples.push({ at: c, ...m });
          process.stdout.write(`soak: ${c} messages, ${Math.round((performance.now() - started) / 1000)} s, RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)}, lost ${stats.lost}, duplicated ${stats.duplicated}, errors ${stats.errors}\n`);
        });
      }
    }
  };
  memorySamples.push({ at: 0, ...(await memory()) });
  checkpoints.delete(0);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < users) {
        if (performance.now() > deadline) {
          aborted = true;
          return;
        }
        await conversation(next++);
        sampleIfDue();
      }
    }),
  );
  await sampling;
  const seconds = (performance.now() - started) / 1000;
  const redisAfter = await redisKeys();

  child!.kill('SIGTERM');
  const exitCode = await new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  const deleted = await cleanRedis();
  await new Promise<void>((resolve) => fakes.close(() => resolve()));

  const sorted = [...latencies].sort((a, b) => a - b);
  const start = memorySamples.find((s) => s.at > 0) ?? memorySamples[0]!;
  const middle = memorySamples.reduce((best, s) => (Math.abs(s.at - done / 2) < Math.abs(best.at - done / 2) ? s : best), start);
  const end = memorySamples[memorySamples.length - 1]!;
  const flat = end.heapUsed <= start.heapUsed * 1.25 + 8 * 1024 * 1024;
  const pass = flat && !aborted && stats.lost === 0 && stats.duplicated === 0 && stats.errors === 0 && stats.apologies === 0 && exitCode === 0;
  const cpu = os.cpus();
  const section = [
    '## Soak',
    '',
    `Written by \`npm run soak\` (bench/soak/soak.ts) on ${new Date().toISOString()}: ${done.toLocaleString('en-US')} messages in ${seconds.toFixed(0)} s` +
      `${aborted ? ` (**aborted** after SOAK_TIMEOUT_MS, ${MESSAGES.toLocaleString('en-US')} planned)` : ''}.`,
    `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}; Node.js ${process.version}.`,
    `Server: \`src/main.ts\` in its own process (tsx), NODE_ENV=test, LOG_LEVEL=warn, Redis state at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} under a fresh prefix (deleted after the run),` +
      ` default limits (RATE_LIMIT_PER_MINUTE 20, SMS_DAILY_CAP 30), Telegram Bot API and Twilio REST API faked on loopback.`,
    `Load: ${users.toLocaleString('en-US')} users x ${PER_USER} messages, ${CONCURRENCY} users at once; web ${stats.byChannel.web.toLocaleString('en-US')}, Telegram ${stats.byChannel.telegram.toLocaleString('en-US')},` +
      ` WhatsApp ${stats.byChannel.whatsapp.toLocaleString('en-US')}, SMS ${stats.byChannel.sms.toLocaleString('en-US')}; fr/en/ar/es; texts, numbers, buttons, media, locations, long stories, forget-me.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| messages sent (originals) | ${stats.originals.toLocaleString('en-US')} |`,
    `| HTTP requests (with redeliveries) | ${stats.requests.toLocaleString('en-US')} |`,
    `| **lost** (a message without any reply) | **${stats.lost}** |`,
    `| **duplicated** (a delivery answered twice) | **${stats.duplicated}** of ${stats.redeliveries.toLocaleString('en-US')} redeliveries and ${stats.concurrentPairs.toLocaleString('en-US')} concurrent pairs |`,
    `| errors (non-200 or no answer) / apologies | ${stats.errors} / ${stats.apologies} |`,
    `| replies (web, TwiML, Bot API, REST) | ${stats.replies.toLocaleString('en-US')} (Bot API ${telegramReplies.toLocaleString('en-US')}, Twilio REST ${restReplies.toLocaleString('en-US')}) |`,
    `| turns slower than the ${DEADLINE_MS / 1000} s webhook deadline | ${stats.slow} |`,
    `| throughput | ${(stats.requests / seconds).toFixed(0)} req/s |`,
    `| latency p50 / p90 / p99 / max | ${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 90).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)} / ${percentile(sorted, 100).toFixed(0)} ms |`,
    `| RSS at start (${start.at.toLocaleString('en-US')}) / middle (${middle.at.toLocaleString('en-US')}) / end (${end.at.toLocaleString('en-US')}) | ${mb(start.rss)} / ${mb(middle.rss)} / ${mb(end.rss)} |`,
    `| heap after GC at start / middle / end | ${mb(start.heapUsed)} / ${mb(middle.heapUsed)} / ${mb(end.heapUsed)} |`,
    `| RSS at every tenth | ${memorySamples.map((s) => mb(s.rss).replace(' MB', '')).join(', ')} MB |`,
    `| Redis keys of the run at the end / deleted | ${(redisAfter.keys - 0).toLocaleString('en-US')} / ${deleted.toLocaleString('en-US')} (used_memory ${mb(redisBefore.usedMemory)} -> ${mb(redisAfter.usedMemory)}) |`,
    `| error log lines of the server | ${stats.serverErrorLogs} |`,
    `| graceful stop (SIGTERM) exit code | ${exitCode} |`,
    '',
    `Result: **${pass ? 'pass' : 'FAIL'}**: ${stats.lost} lost, ${stats.duplicated} duplicated${duplicateKinds.size > 0 ? ` (${[...duplicateKinds].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}, ${stats.errors} errors, ${stats.apologies} apologies${aborted ? ', aborted' : ''};` +
      ` memory ${flat ? 'flat' : '**grew**'} (heap after GC ${mb(start.heapUsed)} -> ${mb(end.heapUsed)}, RSS ${mb(start.rss)} -> ${mb(end.rss)}).`,
    'Memory is judged on the heap after a full GC (what the process retains); RSS also holds what V8 and the allocator keep reserved after load peaks, so it moves up and down between samples.',
    '',
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  if (WRITE) writeResults(section);
  process.exit(pass ? 0 : 1);
}

/** Replaces (or appends) the "## Soak" section of bench/RESULTS.md, leaving every other section alone. */
function writeResults(section: string): void {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const begin = '<!-- soak:begin (written by `npm run soak -- --write-results`) -->';
  const end = '<!-- soak:end -->';
  const block = `${begin}\n${section.trimEnd()}\n${end}\n`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length + 1) : `${text.trimEnd()}\n\n${block}`;
  writeFileSync(file, next);
  process.stdout.write('soak: bench/RESULTS.md "## Soak" section written\n');
}

main().catch(async (err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  child?.kill('SIGKILL');
  await cleanRedis().catch(() => 0);
  process.exit(2);
});
