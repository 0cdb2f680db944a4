/**
 * Writes the benchmark's part of bench/RESULTS.md (between `<!-- bench:begin -->` and
 * `<!-- bench:end -->`, first in the file) and keeps every other section (Soak, Matcher ...)
 * exactly as it was.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { EngineBenchResult } from '../engine.js';
import type { LoadResult } from './load.js';
import type { EndpointName } from './requests.js';
import { fmt, int, mb, verdict, type Summary } from './stats.js';

const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit bench/run.ts or bench/fixes.md instead) -->';
const END = '<!-- bench:end -->';

/** The machine and the run. */
/** One start. */
export interface ReadyRun {
  wallMs: number;
  startDalilMs: number | undefined;
  /** Whether the saved matcher was loaded (else it was trained). */
  loaded: boolean;
  rssAtReady: number;
}

/** The starts of one setting. */
export interface ReadySetting {
  setting: 'embedded' | 'redis';
  cold: ReadyRun;
  warm: ReadyRun[];
  warmMedianMs: number;
}

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  redis: string;
  redisAt: string;
  loadAverage: number[];
  /** `uptime` when the run started. */
  uptimeAtStart?: string;
  quick: boolean;
  server: string;
  build: string;
}

/** A load phase plus what the server process did meanwhile. */
export interface PhaseResult extends LoadResult {
  rssPeak: number;
  /** CPU time of the server (all its processes) per answered request, ms. */
  cpuMsPerRequest: number;
}

/** One webhook's figures. */
export interface EndpointResult {
  name: EndpointName;
  label: string;
  smoke: { status: number; ok: boolean; note: string };
  saturated: PhaseResult;
  /** At 50 % of the ceiling (or of its own saturation when it cannot reach that); older runs only. */
  paced?: PhaseResult;
  pacedAt?: 'ceiling/2' | 'own/2';
}

/** Everything a run measured. */
export interface BenchResults {
  machine: MachineInfo;
  engine: EngineBenchResult;
  ceiling: PhaseResult;
  /** express + NLP.js trained on the phrase export, state in a Map, on /api/chat (bench/peer-server.mjs). */
  peer: PhaseResult & { trainMs: number | undefined };
  endpoints: EndpointResult[];
  /** The same webhooks on a server keeping no match results (MATCH_CACHE_SIZE=0). */
  cacheOff: Array<{ name: EndpointName; result: PhaseResult }>;
  /** The same webhooks on the build before this round's changes (BENCH_BEFORE_DIST), when given. */
  before?: Array<{ name: EndpointName; result: PhaseResult }>;
  beforeLabel?: string;
  /** Time to ready, embedded default and with Redis (bench/lib/ready.ts). */
  ready: ReadySetting[];
  /** `uptime` when the run ended. */
  uptime: string;
  startup: { runs: Array<{ wallMs: number; startDalilMs: number | undefined; rssAtReady: number }>; medianWallMs: number };
  rss: { idle: number; idleAfterLoad: number; peakUnderLoad: number; withoutHeapCap?: { flags: string[]; result: PhaseResult } };
  redisLive: { conversations: number; stateKeyBytes: number | undefined; dedupeKeyBytes: number | undefined; stateJsonBytesMean: number };
  stored: {
    count: number;
    fillSeconds: number;
    usedMemoryPerIdleConversation: number;
    usedMemoryPerDedupeSet: number;
    memoryUsageStateKey: number | undefined;
    memoryUsageDedupeKey: number | undefined;
    web: PhaseResult;
    webBefore: PhaseResult;
    rssPeak: number;
    /** A start with the conversations stored, and the warm median of section 3 before the fill. */
    startupMs?: number;
    startupBeforeMs?: number;
    health: string;
  };
  scaling: Array<{ workers: number; endpoint: EndpointName; result: PhaseResult }>;
  outside: { guardAttempts: string[]; telegramCalls: Record<string, number>; connectorPosts: number; twilioRestMessages: number };
  totalSeconds: number;
}

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

function latRow(name: string, s: Summary): string {
  return row([name, int(s.n), fmt(s.p50, 3), fmt(s.p90, 3), fmt(s.p99, 3), fmt(s.p999, 3), fmt(s.max, 2)]);
}

function codes(r: LoadResult): string {
  const bad = Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2'));
  const parts = bad.map(([c, n]) => `${n}×${c}`);
  if (r.errors) parts.push(`${r.errors} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The Markdown of the run. */
export function renderResults(r: BenchResults, fixes: string): string {
  const m = r.machine;
  const e = r.engine;
  const out: string[] = [];
  out.push(BEGIN);
  out.push('# Dalil benchmarks', '');
  out.push(
    `Written by \`npm run bench\`${m.quick ? ' --quick (short phases: figures are indicative only)' : ''} (bench/run.ts) on ${m.date}, in ${Math.round(r.totalSeconds)} s.`,
    'Re-run it on a quiet machine: other processes add noise to every figure (see the load average).',
    '',
  );
  out.push('## Machine', '');
  out.push(
    `- CPU: ${m.cpuModel}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB.toFixed(1)} GiB`,
    `- OS: ${m.os}`,
    `- Node.js ${m.node}; Redis ${m.redis} on ${m.redisAt}`,
    `- Load when the run started: ${m.uptimeAtStart ?? `load average ${m.loadAverage.map((x) => x.toFixed(2)).join(', ')}`}`,
    `- Load when the run ended: ${r.uptime}`,
    `- Server under test: ${m.server}`,
    `- Build: ${m.build}`,
    '',
  );

  out.push(...renderTargets(r));
  out.push('## 1. Engine turn (memory state)', '');
  out.push(
    `${int(e.messages)} messages (after ${int(e.warmup)} of warm-up) from ${int(e.users)} conversations over the five channels, in French, Arabic (MSA, Darija, arabizi), English and Spanish:`,
    'free-text questions (half), menu numbers, MORE/MENU/LANGUAGE, greetings and thanks (bench/lib/messages.ts). One message at a time on one core; milliseconds.',
    `Content: ${int(e.phrases)} training phrases; loading content ${int(e.loadKnowledgeMs)} ms, training the matcher ${int(e.trainMatcherMs)} ms.`,
    '',
  );
  out.push(row(['stage', 'messages', 'median', 'p90', 'p99', 'p99.9', 'max']), row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  out.push(latRow('conversation service turn (keying, dedupe, state JSON, engine, logging)', e.service));
  out.push(latRow('handleTurn alone', e.pure));
  out.push(latRow('matcher.match alone (free text)', e.matcher));
  out.push('');
  out.push(
    `Mean CPU time per message (user + system of the whole process, so background compilation and GC threads included): service ${fmt(e.cpuMsPerMessage.service, 3)} ms, handleTurn ${fmt(e.cpuMsPerMessage.pure, 3)} ms, matcher ${fmt(e.cpuMsPerMessage.matcher, 3)} ms. Unlike wall time, it does not grow when other processes take the core.`,
    '',
  );
  out.push(row(['channel (handleTurn)', 'n', 'mean', 'median', 'p99']), row(['---', '---:', '---:', '---:', '---:']));
  for (const [k, s] of Object.entries(e.pureByChannel)) out.push(row([k, int(s.n), fmt(s.mean, 3), fmt(s.p50, 3), fmt(s.p99, 3)]));
  out.push('');
  out.push(row(['language', 'service median', 'service p99', 'handleTurn median', 'handleTurn p99', 'matcher median', 'matcher p99']), row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const l of ['fr', 'ar', 'en', 'es'] as const) {
    const s = e.serviceByLang[l];
    const p = e.pureByLang[l];
    const mm = e.matcherByLang[l];
    out.push(row([l, fmt(s?.p50, 3), fmt(s?.p99, 3), fmt(p?.p50, 3), fmt(p?.p99, 3), fmt(mm?.p50, 3), fmt(mm?.p99, 3)]));
  }
  out.push('');
  out.push(row(['message kind', 'n', 'handleTurn median', 'p99']), row(['---', '---:', '---:', '---:']));
  for (const [k, s] of Object.entries(e.pureByKind)) out.push(row([k, int(s.n), fmt(s.p50, 3), fmt(s.p99, 3)]));
  out.push('');
  out.push(
    `Service throughput on one core: ${int(e.serviceTurnsPerSecond)} turns/s. Reply kinds produced: ${Object.entries(e.replyKinds)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}. Mean state JSON: ${int(e.stateJsonBytesMean)} bytes.`,
    '',
  );

  out.push(...renderHttp(r));
  out.push(...renderStartup(r));
  out.push(
    `Redis per conversation, from the live traffic of section 2 (${int(r.redisLive.conversations)} conversations, MEMORY USAGE of sampled keys): state key ${fmt(r.redisLive.stateKeyBytes, 0)} B, delivery-id set ${fmt(r.redisLive.dedupeKeyBytes, 0)} B (expires 24 h after the last message). Mean state JSON ${int(r.redisLive.stateJsonBytesMean)} B.`,
    '',
  );
  const st = r.stored;
  out.push(
    `### ${int(st.count)} stored conversations`,
    '',
    `Filled with realistic states (the final states of the engine stream, in the store's key format \`<prefix>c:{<hmac>}:s\`, 30-day TTL) in ${fmt(st.fillSeconds, 1)} s of pipelined SETs, then given each a delivery-id set as a conversation active in the last 24 h has.`,
    '',
    row(['figure', 'value']),
    row(['---', '---:']),
    row(['used_memory per idle conversation (state key only)', `${fmt(st.usedMemoryPerIdleConversation, 0)} B`]),
    row(['used_memory per delivery-id set (first 24 h)', `${fmt(st.usedMemoryPerDedupeSet, 0)} B`]),
    row(['MEMORY USAGE of a state key / a delivery-id set', `${fmt(st.memoryUsageStateKey, 0)} B / ${fmt(st.memoryUsageDedupeKey, 0)} B`]),
    row([`/api/chat on those conversations: req/s, median, p99`, `${int(st.web.rps)}, ${fmt(st.web.latency.p50, 2)} ms, ${fmt(st.web.latency.p99, 2)} ms`]),
    row([`/api/chat before the fill (section 2): req/s, median, p99`, `${int(st.webBefore.rps)}, ${fmt(st.webBefore.latency.p50, 2)} ms, ${fmt(st.webBefore.latency.p99, 2)} ms`]),
    row(['server RSS peak meanwhile', `${mb(st.rssPeak)} MB`]),
    row(['start (spawn to /healthz 200) with them stored / before the fill (warm median)', `${int(st.startupMs)} ms / ${int(st.startupBeforeMs)} ms`]),
    row(['/healthz', st.health]),
    '',
    'The server keeps no per-conversation memory of its own (state lives in Redis and is read per turn, by key: nothing scans the keyspace at start or per turn); Redis needs about the used_memory figure above per conversation. The start with them stored runs while the server of section 2 is still up (idle), so it shares the cores with it.',
    '',
  );

  if (r.scaling.length > 0) out.push(...renderScaling(r));
  out.push('## Fixes (before -> after)', '', fixes.trim(), '');
  out.push(END);
  return out.join('\n');
}

/** Replaces the benchmark's block of `file` (or puts it first), keeping every other section. */
export function writeResults(file: string, block: string): void {
  let rest = '';
  if (existsSync(file)) {
    const old = readFileSync(file, 'utf8');
    const b = old.indexOf('<!-- bench:begin');
    const e = old.indexOf(END);
    if (b >= 0 && e > b) rest = old.slice(0, b) + old.slice(e + END.length);
    else rest = old.replace(/^# [^\n]*\n/, ''); // another helper's file title: ours is the title now
  }
  rest = rest.trim();
  writeFileSync(file, `${block}\n${rest ? `\n${rest}\n` : ''}`);
}

const x = (a: number, b: number): string => `${fmt(a / b, 2)}×`;

/** The targets of issue 20, each with its figure from this run. */
function renderTargets(r: BenchResults): string[] {
  const peer = r.peer.rps;
  const web = r.endpoints.find((e) => e.name === 'web');
  const hooks = r.endpoints.filter((e) => e.name !== 'web');
  const worst = hooks.reduce<EndpointResult | undefined>((w, e) => (!w || e.saturated.rps < w.saturated.rps ? e : w), undefined);
  const worstP99 = Math.max(...r.endpoints.map((e) => e.saturated.latency.p99));
  const errors = r.endpoints.reduce((n, e) => n + e.saturated.errors + e.saturated.timeouts + Object.entries(e.saturated.statusCodes).filter(([c]) => !c.startsWith('2')).reduce((a, [, k]) => a + k, 0), 0);
  const offWeb = r.cacheOff.find((c) => c.name === 'web')?.result;
  const offWorst = r.cacheOff.filter((c) => c.name !== 'web').reduce<PhaseResult | undefined>((w, c) => (!w || c.result.rps < w.rps ? c.result : w), undefined);
  const ready = r.ready.map((s) => `${s.setting} ${int(s.warmMedianMs)} ms`).join(', ');
  const readyOk = r.ready.every((s) => s.warmMedianMs < 1000);
  const idleKb = r.stored.usedMemoryPerIdleConversation / 1024;
  const out = ['## Targets', '', row(['target', 'measured (same run as the peer)', 'result']), row(['---', '---', '---'])];
  out.push(row(['/api/chat (Redis state) >= 2× the peer\'s req/s', web ? `${int(web.saturated.rps)} against ${int(peer)} req/s: ${x(web.saturated.rps, peer)} (no match cache: ${offWeb ? x(offWeb.rps, peer) : 'n/a'})` : 'n/a', verdict(!!web && web.saturated.rps >= 2 * peer)]));
  out.push(row(['/api/chat p99 < 20 ms', web ? `${fmt(web.saturated.latency.p99, 2)} ms (peer ${fmt(r.peer.latency.p99, 2)} ms; no match cache ${fmt(offWeb?.latency.p99, 2)} ms)` : 'n/a', verdict(!!web && web.saturated.latency.p99 < 20)]));
  out.push(row(['each webhook >= 1.5× the peer', worst ? `lowest ${worst.label}: ${int(worst.saturated.rps)} req/s, ${x(worst.saturated.rps, peer)} (no match cache: lowest ${offWorst ? x(offWorst.rps, peer) : 'n/a'})` : 'n/a', verdict(hooks.every((e) => e.saturated.rps >= 1.5 * peer))]));
  out.push(row(['every webhook p99 < 20 ms, no errors', `highest p99 ${fmt(worstP99, 2)} ms; ${errors} failed requests`, verdict(worstP99 < 20 && errors === 0)]));
  out.push(row(['ready (/healthz 200) within 1 s of node starting', `median of ${r.ready[0]?.warm.length ?? 0} starts with the saved model: ${ready}`, verdict(readyOk)]));
  out.push(row(['RSS < 200 MB under load', `peak ${mb(r.rss.peakUnderLoad)} MB (idle ${mb(r.rss.idle)} MB)`, verdict(r.rss.peakUnderLoad < 200e6)]));
  out.push(row(['<= 1 KB of Redis per idle conversation', `${fmt(r.stored.usedMemoryPerIdleConversation, 0)} B (used_memory over ${int(r.stored.count)} conversations); MEMORY USAGE of a state key ${fmt(r.stored.memoryUsageStateKey, 0)} B`, verdict(idleKb <= 1)]));
  out.push('');
  return out;
}

function httpRow(label: string, p: PhaseResult, peer: number, ceiling: number, off?: PhaseResult): string {
  return row([
    label,
    int(p.rps),
    x(p.rps, peer),
    x(p.rps, ceiling),
    fmt(p.latency.p50, 2),
    fmt(p.latency.p99, 2),
    fmt(p.cpuMsPerRequest, 3),
    codes(p),
    off ? int(off.rps) : '',
    off ? x(off.rps, peer) : '',
    off ? fmt(off.latency.p99, 2) : '',
    off ? fmt(off.cpuMsPerRequest, 3) : '',
  ]);
}

/** Section 2: the peer, the bare handler and every webhook, with and without the match cache. */
function renderHttp(r: BenchResults): string[] {
  const peer = r.peer.rps;
  const ceiling = r.ceiling.rps;
  const out = ['## 2. HTTP: Dalil beside the peer (Redis state)', ''];
  out.push(
    `autocannon in the orchestrator process (separate from the servers), ${r.ceiling.connections} connections, closed loop (each connection sends its next request when the last is answered), ${fmt(r.ceiling.seconds, 0)} s per phase after a warm-up, on 127.0.0.1.`,
    'Every request is a new message (new delivery id) of one of 5,000 users per phase (round robin, so no conversation lock is measured). The messages (bench/lib/messages.ts): greetings, thanks, MORE/MENU/LANGUAGE and menu numbers, which repeat as in real use, and, for half of them, questions from bench/data/blind-dev.jsonl in the user\'s language (French, Arabic, English, Spanish), each sent once: from the second pass over the 60 of a language, a question carries its pass number.',
    `**The peer** (bench/peer-server.mjs) is what a Node developer would build instead: express 5 and NLP.js (node-nlp 4, the package bench/nlu/ compares the matcher with) trained on \`npm run nlu:export\` (Dalil's own phrases; training took ${int(r.peer.trainMs)} ms), conversation state in a Map, the same /api/chat bodies; it dedupes delivery ids, counts a per-user rate, answers menu numbers from the last topic and lets NLP.js guess the language. **Bare** is an express 5 handler answering a constant.`,
    'Dalil runs with Redis state, every channel on; Twilio forms carry a valid X-Twilio-Signature, Telegram updates the secret token, Bot Framework is anonymous (Emulator mode); Telegram replies go to a local fake Bot API before the webhook answers, WhatsApp turns of several messages through the Twilio SDK to a local fake api.twilio.com, Bot Framework "connector" replies to a local fake connector. WEB_TURNS_PER_MINUTE=0 (the per-instance web cap would otherwise answer most of this load with "please wait").',
    '"× peer" and "× bare" divide req/s by the peer\'s and the bare handler\'s from this run. "CPU/req" is the server\'s CPU time (user + system, all its threads) per request. "no match cache" is the same phase on a server started with MATCH_CACHE_SIZE=0.',
    '',
    row(['endpoint', 'req/s', '× peer', '× bare', 'median', 'p99', 'CPU/req (ms)', 'failures', 'no match cache: req/s', '× peer', 'p99', 'CPU/req']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:']),
    httpRow('bare express', r.ceiling, peer, ceiling),
    httpRow('**peer: express + NLP.js**, /api/chat', r.peer, peer, ceiling),
  );
  for (const e of r.endpoints) out.push(httpRow(e.label, e.saturated, peer, ceiling, r.cacheOff.find((c) => c.name === e.name)?.result));
  out.push('');
  if (r.before && r.before.length > 0) {
    out.push(
      `CPU per request before and after this round's changes, same run, same messages: ${r.beforeLabel ?? 'the build before'} against this tree (the same phases, one server each).`,
      '',
      row(['endpoint', 'before: req/s', 'before: CPU/req (ms)', 'after: req/s', 'after: CPU/req (ms)', 'after / before (CPU)']),
      row(['---', '---:', '---:', '---:', '---:', '---:']),
    );
    for (const e of r.endpoints) {
      const b = r.before.find((y) => y.name === e.name)?.result;
      if (b) out.push(row([e.label, int(b.rps), fmt(b.cpuMsPerRequest, 3), int(e.saturated.rps), fmt(e.saturated.cpuMsPerRequest, 3), fmt(e.saturated.cpuMsPerRequest / b.cpuMsPerRequest, 2)]));
    }
    out.push('');
  }
  out.push(
    'Smoke check before each phase: ' + r.endpoints.map((e) => `${e.label} ${e.smoke.status}${e.smoke.ok ? '' : ' (UNEXPECTED)'} ${e.smoke.note}`).join('; ') + '.',
    '',
    `No request left the machine: ${r.outside.guardAttempts.length} non-loopback connection attempts from the server processes (bench/guard.mjs). ` +
      `The fakes received ${Object.entries(r.outside.telegramCalls)
        .map(([k, n]) => `${int(n)} Telegram ${k}`)
        .join(', ')}, ${int(r.outside.connectorPosts)} connector posts and ${int(r.outside.twilioRestMessages)} Twilio REST messages.`,
    '',
  );
  return out;
}

/** Section 3's start: time to ready, cold and warm, in both settings. */
function renderStartup(r: BenchResults): string[] {
  const out = ['## 3. Startup, memory, Redis', ''];
  out.push(
    'Time to ready: from spawning `node` (the start script\'s options) to the first /healthz 200. "embedded" is the default with nothing configured (memory state, web chat, editors\' app); "redis" is the server of section 2 (Redis state, every channel). Each setting starts with an empty data folder: the first start finds no saved matcher and trains it (cold), the next ones load the saved model (warm).',
    '',
    row(['setting', 'cold start (trains)', 'warm starts (ms)', 'warm median', 'startDalil (warm median)', 'RSS at ready']),
    row(['---', '---:', '---', '---:', '---:', '---:']),
  );
  for (const s of r.ready) {
    const inner = s.warm.map((w) => w.startDalilMs ?? Number.NaN).sort((a, b) => a - b);
    out.push(
      row([
        s.setting,
        `${int(s.cold.wallMs)} ms${s.cold.loaded ? ' (loaded!)' : ''}`,
        s.warm.map((w) => `${int(w.wallMs)}${w.loaded ? '' : ' (trained!)'}`).join(', '),
        `${int(s.warmMedianMs)} ms`,
        `${int(inner[Math.floor((inner.length - 1) / 2)])} ms`,
        `${mb(s.warm[0]?.rssAtReady)} MB`,
      ]),
    );
  }
  out.push(
    '',
    '"startDalil" is the server\'s own `server.started` figure (content, matcher, translations, store, express); the rest is node booting and loading modules.',
    '',
    row(['memory', 'MB']),
    row(['---', '---:']),
    row(['RSS idle (after start)', mb(r.rss.idle)]),
    row(['RSS peak under load (all phases of section 2, measured on the server process)', mb(r.rss.peakUnderLoad)]),
    row(['RSS idle after the load', mb(r.rss.idleAfterLoad)]),
    '',
  );
  const hc = r.rss.withoutHeapCap;
  if (hc) {
    out.push(`Without the start script's \`${hc.flags.join(' ')}\` the same /api/chat load peaks at **${mb(hc.result.rssPeak)} MB** (${int(hc.result.rps)} req/s, p99 ${fmt(hc.result.latency.p99, 2)} ms, CPU/req ${fmt(hc.result.cpuMsPerRequest, 3)} ms).`, '');
  }
  return out;
}

function renderScaling(r: BenchResults): string[] {
  const out = ['## 4. Scaling: one against two Node processes', ''];
  out.push(
    'node:cluster (bench/cluster-server.mjs) with 1 then 2 workers sharing the port and Redis, on the same 2 cores as Redis and the load generator (closed loop, same settings as section 2).',
    '',
    row(['endpoint', 'workers', 'req/s', 'median', 'p99', 'server CPU/req (ms)', 'RSS peak, all processes (MB)', 'speed-up']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const s of r.scaling) {
    const one = r.scaling.find((y) => y.endpoint === s.endpoint && y.workers === 1);
    out.push(row([s.endpoint, s.workers, int(s.result.rps), fmt(s.result.latency.p50, 2), fmt(s.result.latency.p99, 2), fmt(s.result.cpuMsPerRequest, 3), mb(s.result.rssPeak), one ? `${fmt(s.result.rps / one.result.rps, 2)}×` : '']));
  }
  out.push('');
  return out;
}
