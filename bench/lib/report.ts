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
  /** At 50 % of the ceiling (or of its own saturation when it cannot reach that). */
  paced: PhaseResult;
  pacedAt: 'ceiling/2' | 'own/2';
}

/** Everything a run measured. */
export interface BenchResults {
  machine: MachineInfo;
  engine: EngineBenchResult;
  ceiling: PhaseResult;
  endpoints: EndpointResult[];
  startup: { runs: Array<{ wallMs: number; startDalilMs: number | undefined; rssAtReady: number }>; medianWallMs: number };
  rss: { idle: number; idleAfterLoad: number; peakUnderLoad: number; withoutHeapCap: { flags: string[]; result: PhaseResult } };
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
  const ceiling = r.ceiling.rps;
  const worstRatio = Math.min(...r.endpoints.map((x) => x.saturated.rps / ceiling));
  const pacedAtHalf = r.endpoints.filter((x) => x.pacedAt === 'ceiling/2');
  const worstPacedP99 = Math.max(...r.endpoints.map((x) => x.paced.latency.p99));
  const webhooksOk = r.endpoints.every((x) => x.saturated.rps / ceiling >= 0.5);
  const p99Ok = pacedAtHalf.length === r.endpoints.length ? r.endpoints.every((x) => x.paced.latency.p99 < 20) : false;
  const idleKb = r.stored.usedMemoryPerIdleConversation / 1024;
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
    `- Load average when the run started: ${m.loadAverage.map((x) => x.toFixed(2)).join(', ')}`,
    `- Server under test: ${m.server}`,
    `- Build: ${m.build}`,
    '',
  );

  out.push('## Targets', '');
  out.push(row(['target', 'measured', 'result']), row(['---', '---', '---']));
  out.push(row(['engine turn p99 < 2 ms (conversation service on memory state)', `${fmt(e.service.p99, 3)} ms (handleTurn alone: ${fmt(e.pure.p99, 3)} ms)`, verdict(e.service.p99 < 2)]));
  out.push(row(['each webhook >= 50 % of the bare-express ceiling', `lowest ${fmt(worstRatio * 100, 1)} % (ceiling ${int(ceiling)} req/s)`, verdict(webhooksOk)]));
  out.push(
    row([
      'webhook p99 < 20 ms at that load',
      pacedAtHalf.length === r.endpoints.length
        ? `highest ${fmt(worstPacedP99, 2)} ms at ${int(ceiling / 2)} req/s`
        : `${r.endpoints.length - pacedAtHalf.length} webhook(s) cannot carry 50 % of the ceiling; at half their own maximum the highest p99 is ${fmt(worstPacedP99, 2)} ms`,
      verdict(p99Ok),
    ]),
  );
  out.push(row(['RSS < 200 MB under load', `peak ${mb(r.rss.peakUnderLoad)} MB (idle ${mb(r.rss.idle)} MB)`, verdict(r.rss.peakUnderLoad < 200e6)]));
  out.push(row(['startup < 2 s', `median ${int(r.startup.medianWallMs)} ms from spawn to the first /healthz 200`, verdict(r.startup.medianWallMs < 2000)]));
  out.push(
    row([
      '<= 1 KB of Redis per idle conversation',
      `${fmt(r.stored.usedMemoryPerIdleConversation, 0)} B (used_memory over ${int(r.stored.count)} conversations); MEMORY USAGE of a state key ${fmt(r.stored.memoryUsageStateKey, 0)} B`,
      verdict(idleKb <= 1),
    ]),
  );
  out.push('');

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

  out.push('## 2. HTTP webhooks (Redis state)', '');
  out.push(
    `autocannon in the orchestrator process (separate from the server), ${r.ceiling.connections} connections, ${fmt(r.ceiling.seconds, 0)} s per phase after a warm-up, on 127.0.0.1.`,
    'Every request is a new message (new delivery id) of one of 5,000 users per phase, so no conversation lock is measured. The ceiling is a bare express 5 handler answering a constant, same node, same request bodies.',
    'Twilio forms carry a valid X-Twilio-Signature; Telegram updates the secret token; Bot Framework is anonymous (Emulator mode).',
    'Telegram replies are sent to a local fake Bot API before the webhook answers; WhatsApp turns of several messages go out through the Twilio SDK to a local fake api.twilio.com; Bot Framework "connector" posts replies to a local fake connector.',
    'Latency in ms, measured per response by the load generator. "CPU/req" is the server\'s CPU time (all its processes, user + system) per request.',
    '"req/s" is the closed-loop maximum (each connection sends its next request when the last is answered). "paced at" is an open-loop phase at a fixed rate (bench/lib/paced.ts): requests leave on schedule and latency counts from the scheduled time, so queueing is included.',
    '',
  );
  out.push(
    row(['endpoint', 'req/s', '% of ceiling', 'median', 'p99', 'CPU/req (ms)', 'failures', 'paced at', 'req/s done', 'median', 'p99']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:']),
  );
  out.push(row(['bare express (ceiling)', int(ceiling), '100', fmt(r.ceiling.latency.p50, 2), fmt(r.ceiling.latency.p99, 2), fmt(r.ceiling.cpuMsPerRequest, 3), codes(r.ceiling), '', '', '', '']));
  for (const x of r.endpoints) {
    out.push(
      row([
        x.label,
        int(x.saturated.rps),
        fmt((x.saturated.rps / ceiling) * 100, 1),
        fmt(x.saturated.latency.p50, 2),
        fmt(x.saturated.latency.p99, 2),
        fmt(x.saturated.cpuMsPerRequest, 3),
        codes(x.saturated),
        `${int(x.paced.targetRate)}${x.pacedAt === 'own/2' ? ' (half its max)' : ''}`,
        int(x.paced.rps),
        fmt(x.paced.latency.p50, 2),
        fmt(x.paced.latency.p99, 2),
      ]),
    );
  }
  out.push('');
  out.push(
    'Smoke check before each phase: ' +
      r.endpoints.map((x) => `${x.label} ${x.smoke.status}${x.smoke.ok ? '' : ' (UNEXPECTED)'} ${x.smoke.note}`).join('; ') +
      '.',
    '',
  );
  out.push(
    `No request left the machine: ${r.outside.guardAttempts.length} non-loopback connection attempts from the server processes (bench/guard.mjs). ` +
      `The fakes received ${Object.entries(r.outside.telegramCalls)
        .map(([k, n]) => `${int(n)} Telegram ${k}`)
        .join(', ')}, ${int(r.outside.connectorPosts)} connector posts and ${int(r.outside.twilioRestMessages)} Twilio REST messages.`,
    '',
  );

  out.push('## 3. Startup, memory, Redis', '');
  out.push(row(['startup run', 'spawn -> /healthz 200 (ms)', 'startDalil (ms)', 'RSS at ready (MB)']), row(['---', '---:', '---:', '---:']));
  r.startup.runs.forEach((s, i) => out.push(row([String(i + 1), int(s.wallMs), int(s.startDalilMs), mb(s.rssAtReady)])));
  out.push('');
  out.push(
    '"startDalil" is the server\'s own `server.started` figure (content, matcher, translations, Redis, express); the rest is node booting and loading modules.',
    '',
    row(['memory', 'MB']),
    row(['---', '---:']),
    row(['RSS idle (5 s after start)', mb(r.rss.idle)]),
    row(['RSS peak under load (all phases of section 2)', mb(r.rss.peakUnderLoad)]),
    row(['RSS idle after the load', mb(r.rss.idleAfterLoad)]),
    '',
  );
  const hc = r.rss.withoutHeapCap;
  const webBefore = r.endpoints.find((x) => x.name === 'web')?.saturated;
  out.push(
    `Without a cap, most of the RSS under load would be V8 heap slack, not live data: the live heap after a full GC is ~50-65 MB, but V8 lets the old generation grow to several times that between full collections. ` +
      `The start script therefore runs \`node ${hc.flags.join(' ')}\`. Without those options the same /api/chat load peaks at **${mb(hc.result.rssPeak)} MB** (${int(hc.result.rps)} req/s, p99 ${fmt(hc.result.latency.p99, 2)} ms, CPU/req ${fmt(hc.result.cpuMsPerRequest, 3)} ms) ` +
      `against ${mb(webBefore?.rssPeak)} MB (${int(webBefore?.rps)} req/s, CPU/req ${fmt(webBefore?.cpuMsPerRequest, 3)} ms) with them.`,
    '',
  );
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
    row(['/healthz', st.health]),
    '',
    'The server keeps no per-conversation memory of its own (state lives in Redis and is read per turn), so its RSS does not grow with stored conversations; Redis needs about the used_memory figure above per conversation.',
    '',
  );

  out.push('## 4. Scaling: one against two Node processes', '');
  out.push(
    'node:cluster (bench/cluster-server.mjs) with 1 then 2 workers sharing the port and Redis, on the same 2 cores as Redis and the load generator (closed loop, same settings as section 2).',
    '',
    row(['endpoint', 'workers', 'req/s', 'median', 'p99', 'server CPU/req (ms)', 'RSS peak, all processes (MB)', 'speed-up']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const s of r.scaling) {
    const one = r.scaling.find((x) => x.endpoint === s.endpoint && x.workers === 1);
    out.push(
      row([
        s.endpoint,
        s.workers,
        int(s.result.rps),
        fmt(s.result.latency.p50, 2),
        fmt(s.result.latency.p99, 2),
        fmt(s.result.cpuMsPerRequest, 3),
        mb(s.result.rssPeak),
        one ? `${fmt(s.result.rps / one.result.rps, 2)}×` : '',
      ]),
    );
  }
  out.push(
    '',
    'Here one worker, Redis and the load generator (about a core by itself at these rates) already share the 2 cores, so what a second worker adds is bounded by the CPU left idle, and it costs a second heap (RSS); the speed-up varies from run to run with the other load on the machine. ' +
      'On a host where the load comes from elsewhere and there is a core per process plus one for Redis, each process brings roughly the single-process rate, at the CPU per request shown.',
    '',
  );
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
