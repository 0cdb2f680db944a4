/**
 * Engine benchmark (run as its own process by bench/run.ts): loads the real content, trains the
 * real matcher, and times, message by message over the mixed four-language stream,
 *   - `handleTurn` alone (pure: state in, replies and state out),
 *   - a full turn of the conversation service on the memory store (keying, delivery dedupe,
 *     state migration and JSON round trip, logging to a discarding sink),
 *   - `matcher.match` alone on the free-text messages.
 * Prints one JSON line (EngineBenchResult) on stdout; with `--states FILE` also writes the final
 * states of the stream's conversations as JSON (the Redis fill of bench/run.ts reuses them).
 *
 * Usage: tsx bench/engine.ts [--quick] [--states FILE]
 */
import { writeFileSync } from 'node:fs';
import { loadConfig, PROJECT_ROOT } from '../src/config/index.js';
import type { ChannelId, ConversationState, Lang, TurnRequest } from '../src/domain/index.js';
import { createConversationService, handleTurn, type EngineDeps } from '../src/engine/index.js';
import { createTranslator } from '../src/i18n/index.js';
import { loadKnowledge } from '../src/knowledge/index.js';
import { createLogger } from '../src/logging/logger.js';
import { createMatcher } from '../src/nlu/index.js';
import { CAPABILITIES, smsCapabilities } from '../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../src/channels/shared/sms.js';
import { createHmacKeyer } from '../src/state/keyer.js';
import { createMemoryStore } from '../src/state/memory.js';
import { createStream, type MessageKind } from './lib/messages.js';
import { summarise, type Summary } from './lib/stats.js';

/** What this process prints. */
export interface EngineBenchResult {
  loadKnowledgeMs: number;
  trainMatcherMs: number;
  phrases: number;
  users: number;
  messages: number;
  warmup: number;
  /** handleTurn alone. */
  pure: Summary;
  /** CPU time of each handleTurn (what the latency would be with no other process on the core). */
  pureCpu: Summary;
  pureByLang: Record<Lang, Summary>;
  pureByKind: Record<string, Summary>;
  pureByChannel: Record<string, Summary>;
  /** Conversation service on the memory store. */
  service: Summary;
  serviceCpu: Summary;
  serviceByLang: Record<Lang, Summary>;
  /** Turns per second of the service, one after the other on one core. */
  serviceTurnsPerSecond: number;
  /** CPU time (user + system) per message, ms: steadier than latency on a busy machine. */
  cpuMsPerMessage: { pure: number; service: number; matcher: number };
  /** matcher.match on free text. */
  matcher: Summary;
  matcherByLang: Record<Lang, Summary>;
  /** Reply kinds seen (sanity: the stream exercises answers, menus, did-you-mean ...). */
  replyKinds: Record<string, number>;
  /** Mean size of a conversation state as JSON (bytes) at the end of the stream. */
  stateJsonBytesMean: number;
  heapUsedMb: number;
  rssMb: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
/** CI's smoke: a few hundred messages, just to see the stream run end to end. */
const smokeRun = args.includes('--smoke');
const statesOut = args.includes('--states') ? args[args.indexOf('--states') + 1] : undefined;

const USERS = smokeRun ? 100 : quick ? 300 : 1000;
const MESSAGES = smokeRun ? 400 : quick ? 4000 : 20_000;
const WARMUP = smokeRun ? 100 : quick ? 1000 : 3000;
/** Channels of the users, in turn: user i is on CHANNELS[i % 5]. */
const CHANNELS: ChannelId[] = ['whatsapp', 'sms', 'telegram', 'web', 'botframework'];
const LANGS: Lang[] = ['fr', 'en', 'ar', 'es'];
/** Fixed clock origin (the engine never reads the clock; messages carry receivedAt). */
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

function byKey<K extends string>(samples: Map<K, number[]>): Record<K, Summary> {
  const out = {} as Record<K, Summary>;
  for (const [k, v] of samples) out[k] = summarise(v);
  return out;
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', HMAC_SECRET: 'bench-engine-secret' });
  let t = performance.now();
  const { kb, issues } = await loadKnowledge({
    contentDir: config.contentDir,
    intentsDir: config.intentsDir,
    smsShortFormSegments: config.smsShortFormSegments,
    root: PROJECT_ROOT,
  });
  const loadKnowledgeMs = performance.now() - t;
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`content has ${errors.length} errors: run npm run content:check`);
  t = performance.now();
  const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  const trainMatcherMs = performance.now() - t;
  const translate = await createTranslator(config.localesDir);
  const sms = smsCapabilities(config.smsSegmentBudget);
  const capsOf = (c: ChannelId) => (c === 'sms' ? sms : CAPABILITIES[c]);
  const base: Omit<EngineDeps, 'capabilities'> = {
    kb,
    matcher,
    t: translate,
    defaultLang: config.defaultLang,
    maxMessageChars: config.maxMessageChars,
    retentionDays: 30,
  };

  // 1. handleTurn alone, each user's state carried from turn to turn.
  const states = new Map<number, ConversationState | undefined>();
  const pure: number[] = [];
  const pureCpuSamples: number[] = [];
  const pureLang = new Map<Lang, number[]>();
  const pureKind = new Map<MessageKind, number[]>();
  const pureChannel = new Map<ChannelId, number[]>();
  const replyKinds: Record<string, number> = {};
  let next = createStream(USERS);
  let cpu = process.cpuUsage();
  for (let k = 0; k < WARMUP + MESSAGES; k++) {
    if (k === WARMUP) cpu = process.cpuUsage();
    const { user, msg } = next();
    const channel = CHANNELS[user % CHANNELS.length] as ChannelId;
    const message = { channel, text: msg.text, receivedAt: T0 + k * 1000 };
    const deps: EngineDeps = { ...base, capabilities: capsOf(channel) };
    const c0 = process.cpuUsage();
    const s0 = performance.now();
    const out = handleTurn(message, states.get(user), deps);
    const dt = performance.now() - s0;
    const dc = process.cpuUsage(c0);
    states.set(user, out.state ?? undefined);
    if (k < WARMUP) continue;
    pure.push(dt);
    pureCpuSamples.push((dc.user + dc.system) / 1000);
    push(pureLang, msg.lang, dt);
    push(pureKind, msg.kind, dt);
    push(pureChannel, channel, dt);
    for (const r of out.replies) replyKinds[r.kind] = (replyKinds[r.kind] ?? 0) + 1;
  }

  const cpuMs = (): number => {
    const d = process.cpuUsage(cpu);
    return (d.user + d.system) / 1000 / MESSAGES;
  };
  const pureCpu = cpuMs();

  // 2. The conversation service on the memory store (what a channel adapter calls).
  const store = createMemoryStore({ ttlSeconds: config.stateTtlSeconds, sweepIntervalMs: 0 });
  const service = createConversationService({
    store,
    keyer: createHmacKeyer('bench-engine-secret'),
    deps: base,
    logger: createLogger('info', () => undefined),
  });
  const fit = createSmsFitter(sms, translate);
  const svc: number[] = [];
  const svcCpu: number[] = [];
  const svcLang = new Map<Lang, number[]>();
  next = createStream(USERS, 1_000_000);
  const started = performance.now();
  for (let k = 0; k < WARMUP + MESSAGES; k++) {
    if (k === WARMUP) cpu = process.cpuUsage();
    const { user, msg } = next();
    const channel = CHANNELS[user % CHANNELS.length] as ChannelId;
    const request: TurnRequest = {
      userId: `bench-user-${user}`,
      deliveryId: `bench-delivery-${k}`,
      message: { channel, text: msg.text, receivedAt: Date.now() },
      capabilities: capsOf(channel),
      ...(channel === 'sms' ? { fit } : {}),
    };
    const c0 = process.cpuUsage();
    const s0 = performance.now();
    await service(request);
    const dt = performance.now() - s0;
    const dc = process.cpuUsage(c0);
    if (k < WARMUP) continue;
    svc.push(dt);
    svcCpu.push((dc.user + dc.system) / 1000);
    push(svcLang, msg.lang, dt);
  }
  const serviceSeconds = (performance.now() - started) / 1000;
  const serviceCpu = cpuMs();

  // 3. The matcher alone, on free text.
  const mAll: number[] = [];
  const mLang = new Map<Lang, number[]>();
  next = createStream(USERS, 2_000_000);
  let done = 0;
  while (done < WARMUP + MESSAGES) {
    const { msg } = next();
    if (msg.kind !== 'question') continue;
    if (done === WARMUP) cpu = process.cpuUsage();
    const s0 = performance.now();
    matcher.match(msg.text);
    const dt = performance.now() - s0;
    if (done++ < WARMUP) continue;
    mAll.push(dt);
    push(mLang, msg.lang, dt);
  }

  const matcherCpu = cpuMs();
  const finalStates = [...states.values()].filter((s): s is ConversationState => s !== undefined);
  const jsons = finalStates.map((s) => JSON.stringify(s));
  if (statesOut) writeFileSync(statesOut, JSON.stringify(jsons));
  const result: EngineBenchResult = {
    loadKnowledgeMs,
    trainMatcherMs,
    phrases: kb.phrases.length,
    users: USERS,
    messages: MESSAGES,
    warmup: WARMUP,
    pure: summarise(pure),
    pureCpu: summarise(pureCpuSamples),
    pureByLang: byKey(pureLang),
    pureByKind: byKey(pureKind),
    pureByChannel: byKey(pureChannel),
    service: summarise(svc),
    serviceCpu: summarise(svcCpu),
    serviceByLang: byKey(svcLang),
    serviceTurnsPerSecond: (WARMUP + MESSAGES) / serviceSeconds,
    cpuMsPerMessage: { pure: pureCpu, service: serviceCpu, matcher: matcherCpu },
    matcher: summarise(mAll),
    matcherByLang: byKey(mLang),
    replyKinds,
    stateJsonBytesMean: jsons.reduce((a, j) => a + Buffer.byteLength(j), 0) / Math.max(1, jsons.length),
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
  };
  for (const l of LANGS) if (!result.pureByLang[l]) throw new Error(`the stream has no ${l} message`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`engine bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
