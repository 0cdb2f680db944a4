/**
 * `npm run bench` (`tsx bench/run.ts [--quick]`): the reproducible benchmarks of Dalil, written
 * to bench/RESULTS.md (with the machine and the date) and bench/results.json.
 *
 *   1. engine turn on memory state and the matcher alone (bench/engine.ts, its own process);
 *   2. HTTP throughput and latency of every webhook with Redis state, against a bare express
 *      ceiling, driven by autocannon from this process while the server runs in another;
 *   3. startup time, RSS idle and under load, Redis memory per conversation, 100,000 stored
 *      conversations;
 *   4. one against two Node processes (node:cluster) sharing Redis.
 *
 * Traffic goes only to 127.0.0.1 (the server, the bare ceiling, local fakes of Telegram, the Bot
 * Framework connector and api.twilio.com, and Redis), every phase is bounded in time, and the
 * run's Redis keys (a unique prefix) are deleted at the end, also after a failure or Ctrl+C.
 * Needs Redis on redis://127.0.0.1:6379 (BENCH_REDIS_URL to use another loopback port).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHmacKeyer } from '../src/state/keyer.js';
import type { EngineBenchResult } from './engine.js';
import type { FakesStats } from './fakes.js';
import { build, cleanupOnSignal, Harness, log, ROOT, runTs, smoke, startNodeOptions } from './lib/harness.js';
import { treeRss } from './lib/proc.js';
import { measureReady, median } from './lib/ready.js';
import { fillConversations, infoField, keysUnder, meanMemoryUsage, usedMemory, deleteUnder } from './lib/redis-tools.js';
import { renderResults, writeResults, type BenchResults, type EndpointResult } from './lib/report.js';
import { BENCH_CREDENTIALS, requestFactory, type BenchRequest, type EndpointName } from './lib/requests.js';

const QUICK = process.argv.includes('--quick');
/** --smoke: seconds in all (CI): every phase of a second or so, a few thousand stored conversations; figures meaningless. */
const SMOKE = process.argv.includes('--smoke');
/** Also the one-against-two-processes section and the RSS without the heap cap (a minute more each). */
const EXTRAS = process.argv.includes('--extras');
const SECONDS = SMOKE ? 1 : QUICK ? 3 : 10;
const WARM_SECONDS = SMOKE ? 1 : QUICK ? 1 : 3;
const CONNECTIONS = 20;
const STORED = SMOKE ? 2_000 : QUICK ? 20_000 : 100_000;
const STARTUP_RUNS = SMOKE ? 1 : QUICK ? 3 : 5;
const IDLE_WAIT_MS = QUICK ? 2000 : 5000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STATE_TTL_MS = 30 * 86_400_000;
const DEDUPE_TTL_MS = 86_400_000;
/** The V8 heap options of the start script, left out in section 3 to show what they save. */
const isHeapFlag = (a: string): boolean => /^--max-(old|semi)-space-size/.test(a);

const ENDPOINTS: Array<{ name: EndpointName; label: string }> = [
  { name: 'sms', label: 'Twilio SMS' },
  { name: 'whatsapp', label: 'Twilio WhatsApp' },
  { name: 'telegram', label: 'Telegram' },
  { name: 'botframework', label: 'Bot Framework (expectReplies)' },
  { name: 'botframework-connector', label: 'Bot Framework (replies to connector)' },
  { name: 'web', label: '/api/chat' },
];

const h = new Harness(REDIS_URL, CONNECTIONS);

/** `uptime`'s line (the load on the machine: other processes share its cores). */
function uptimeLine(): string {
  const r = spawnSync('uptime', [], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : `load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
}
cleanupOnSignal(h);

async function main(): Promise<void> {
  const t0 = performance.now();
  const redis = await h.connect();
  const cpus = os.cpus();
  const machine: BenchResults['machine'] = {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    redis: (await infoField(redis, 'server', 'redis_version')) ?? 'unknown',
    redisAt: h.redisUrl.replace(/^redis:\/\//, ''),
    loadAverage: os.loadavg(),
    uptimeAtStart: uptimeLine(),
    quick: QUICK || SMOKE,
    server: `\`node ${[...startNodeOptions(), ''].join(' ')}dist/src/main.js\` as \`npm start\` runs it (src/ compiled by tsc), NODE_ENV=development (for anonymous Bot Framework), LOG_LEVEL=info with JSON logs to a file, Redis state under a unique prefix`,
    build: '',
  };
  machine.build = build();

  // 1. Engine.
  log('1. engine turn and matcher (memory state)');
  const statesFile = path.join(h.work, 'states.json');
  const engineOut = runTs(path.join(ROOT, 'bench', 'engine.ts'), [...(QUICK || SMOKE ? ['--quick'] : []), ...(SMOKE ? ['--smoke'] : []), '--states', statesFile], 600_000);
  const engine = JSON.parse(engineOut.trim().split('\n').pop() as string) as EngineBenchResult;
  const states = JSON.parse(readFileSync(statesFile, 'utf8')) as string[];
  log(`   service p50 ${engine.service.p50.toFixed(3)} ms, p99 ${engine.service.p99.toFixed(3)} ms`);

  const fakes = await h.startFakes();

  // 3a. Time to ready: embedded default and with Redis, a cold start (trains) then starts that load the saved model.
  log('3. time to ready');
  const ready = await measureReady(h, fakes, STARTUP_RUNS);
  const redisReady = ready.find((r) => r.setting === 'redis') as (typeof ready)[number];
  const startupRuns: BenchResults['startup']['runs'] = redisReady.warm.map((r) => ({ wallMs: r.wallMs, startDalilMs: r.startDalilMs, rssAtReady: r.rssAtReady }));

  // 2. HTTP.
  log('2. HTTP: bare express ceiling');
  const bare = await h.startBare();
  const bareMake = requestFactory('web', h.freshUsers({ publicBaseUrl: bare.url, connectorUrl: fakes.connectorUrl }));
  await h.phase(bare.url, bareMake, bare.child.pid, WARM_SECONDS);
  const ceiling = await h.phase(bare.url, bareMake, bare.child.pid, SECONDS);
  await bare.child.stop();
  log(`   ceiling ${Math.round(ceiling.rps)} req/s, p99 ${ceiling.latency.p99.toFixed(2)} ms`);

  log('2. HTTP: the peer (express + NLP.js, state in a Map)');
  // The smoke trains the peer on a tenth of the phrases (NLP.js takes seconds on all of them).
  const peerServer = await h.startPeer(SMOKE ? 540 : undefined);
  const peerMake = (): (() => BenchRequest) => requestFactory('web', h.freshUsers({ publicBaseUrl: peerServer.url, connectorUrl: fakes.connectorUrl }));
  await h.phase(peerServer.url, peerMake(), peerServer.child.pid, WARM_SECONDS);
  const peer = { ...(await h.phase(peerServer.url, peerMake(), peerServer.child.pid, SECONDS)), trainMs: peerServer.trainMs };
  await peerServer.child.stop();
  log(`   peer ${Math.round(peer.rps)} req/s, p99 ${peer.latency.p99.toFixed(2)} ms`);

  const server = await h.startServer(fakes, 'server');
  const base = { publicBaseUrl: server.url, connectorUrl: fakes.connectorUrl };

  await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
  const rssIdle = treeRss(server.child.pid);
  const endpoints: EndpointResult[] = [];
  for (const ep of ENDPOINTS) {
    log(`2. HTTP: ${ep.label}`);
    const sm = await smoke(server.url, ep.name, requestFactory(ep.name, h.freshUsers(base, 10)));
    if (!sm.ok) log(`   smoke check failed: ${sm.status}`);
    await h.phase(server.url, requestFactory(ep.name, h.freshUsers(base)), server.child.pid, WARM_SECONDS);
    const saturated = await h.phase(server.url, requestFactory(ep.name, h.freshUsers(base)), server.child.pid, SECONDS);
    endpoints.push({ name: ep.name, label: ep.label, smoke: sm, saturated });
    log(`   ${Math.round(saturated.rps)} req/s (${(saturated.rps / peer.rps).toFixed(2)}x the peer), p99 ${saturated.latency.p99.toFixed(2)} ms`);
  }
  const peakUnderLoad = Math.max(...endpoints.map((x) => x.saturated.rssPeak));
  await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
  const rssIdleAfter = treeRss(server.child.pid);

  // 3b. Redis per conversation from the live traffic.
  log('3. Redis memory per conversation');
  const live = await keysUnder(redis, h.prefix);
  const liveState = live.filter((k) => k.endsWith(':s'));
  const liveDedupe = live.filter((k) => k.endsWith(':d'));
  const redisLive = {
    conversations: liveState.length,
    stateKeyBytes: await meanMemoryUsage(redis, liveState),
    dedupeKeyBytes: await meanMemoryUsage(redis, liveDedupe),
    stateJsonBytesMean: engine.stateJsonBytesMean,
  };

  // 3c. Stored conversations.
  log(`3. ${STORED} stored conversations`);
  const keyer = createHmacKeyer(BENCH_CREDENTIALS.hmacSecret);
  const storedKeys = Array.from({ length: STORED }, (_, i) => keyer.key('web', `bench-stored-${i}`));
  const mem0 = await usedMemory(redis);
  const fillStart = performance.now();
  await fillConversations(redis, { prefix: h.prefix, keys: storedKeys, states, ttlMs: STATE_TTL_MS });
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const mem1 = await usedMemory(redis);
  await fillConversations(redis, { prefix: h.prefix, keys: storedKeys, states, ttlMs: STATE_TTL_MS, deliveries: { ttlMs: DEDUPE_TTL_MS } });
  const mem2 = await usedMemory(redis);
  const sampleKeys = storedKeys.filter((_, i) => i % Math.max(1, Math.floor(STORED / 2000)) === 0);
  const storedWebMake = requestFactory('web', { ...base, users: STORED, firstUser: 0, webUserPrefix: 'bench-stored-' });
  await h.phase(server.url, storedWebMake, server.child.pid, WARM_SECONDS);
  const storedWeb = await h.phase(server.url, storedWebMake, server.child.pid, SECONDS);
  const health = await fetch(`${server.url}/healthz`).then((r) => r.json() as Promise<{ status: string; state: string }>);
  // A start with those conversations stored (the saved model of the run's data folder is loaded).
  const storedStart = await h.startServer(fakes, 'stored-start');
  const storedStartupMs = storedStart.wallMs;
  await storedStart.child.stop();
  const stored: BenchResults['stored'] = {
    count: STORED,
    fillSeconds,
    usedMemoryPerIdleConversation: (mem1 - mem0) / STORED,
    usedMemoryPerDedupeSet: (mem2 - mem1) / STORED,
    memoryUsageStateKey: await meanMemoryUsage(redis, sampleKeys.map((k) => `${h.prefix}c:{${k}}:s`)),
    memoryUsageDedupeKey: await meanMemoryUsage(redis, sampleKeys.map((k) => `${h.prefix}c:{${k}}:d`)),
    web: storedWeb,
    webBefore: (endpoints.find((x) => x.name === 'web') as EndpointResult).saturated,
    rssPeak: storedWeb.rssPeak,
    startupMs: storedStartupMs,
    startupBeforeMs: redisReady.warmMedianMs,
    health: `${health.status} (state ${health.state})`,
  };
  log(`   ${stored.usedMemoryPerIdleConversation.toFixed(0)} B per idle conversation; /api/chat ${Math.round(storedWeb.rps)} req/s p99 ${storedWeb.latency.p99.toFixed(2)} ms`);
  await server.child.stop();
  await deleteUnder(redis, h.prefix);

  // 2b. The same webhooks with no match results kept: the cache must not be what meets the targets.
  const cacheOff: BenchResults['cacheOff'] = [];
  const bare2 = await h.startServer(fakes, 'cache-off', { env: { MATCH_CACHE_SIZE: '0' } });
  const obase = { publicBaseUrl: bare2.url, connectorUrl: fakes.connectorUrl };
  for (const ep of SMOKE ? ENDPOINTS.filter((e) => e.name === 'web') : ENDPOINTS) {
    log(`2. HTTP, no match cache: ${ep.label}`);
    await h.phase(bare2.url, requestFactory(ep.name, h.freshUsers(obase)), bare2.child.pid, WARM_SECONDS);
    const result = await h.phase(bare2.url, requestFactory(ep.name, h.freshUsers(obase)), bare2.child.pid, SECONDS);
    cacheOff.push({ name: ep.name, result });
    log(`   ${Math.round(result.rps)} req/s (${(result.rps / peer.rps).toFixed(2)}x the peer), p99 ${result.latency.p99.toFixed(2)} ms`);
  }
  await bare2.child.stop();
  await deleteUnder(redis, h.prefix);

  // 2c. BENCH_BEFORE_DIST (a build of the tree before these changes): the same phases on it, for CPU per request before and after.
  const before: BenchResults['before'] = [];
  if (process.env.BENCH_BEFORE_DIST) {
    const old = await h.startServer(fakes, 'before', { dist: path.resolve(process.env.BENCH_BEFORE_DIST) });
    const bbase = { publicBaseUrl: old.url, connectorUrl: fakes.connectorUrl };
    for (const ep of ENDPOINTS) {
      log(`2. HTTP, the build before: ${ep.label}`);
      await h.phase(old.url, requestFactory(ep.name, h.freshUsers(bbase)), old.child.pid, WARM_SECONDS);
      const result = await h.phase(old.url, requestFactory(ep.name, h.freshUsers(bbase)), old.child.pid, SECONDS);
      before.push({ name: ep.name, result });
      log(`   ${Math.round(result.rps)} req/s, CPU ${result.cpuMsPerRequest.toFixed(3)} ms/req`);
    }
    await old.child.stop();
    await deleteUnder(redis, h.prefix);
  }

  // 3d. The same /api/chat load without the start script's V8 heap cap (what it saves, and costs).
  const heapFlags = startNodeOptions().filter(isHeapFlag);
  let withoutHeapCap: BenchResults['rss']['withoutHeapCap'];
  if (EXTRAS) {
    log(`3. RSS without ${heapFlags.join(' ') || '(no heap options in the start script)'}`);
    const uncapped = await h.startServer(fakes, 'heap-uncapped', { nodeArgs: startNodeOptions().filter((a) => !isHeapFlag(a)) });
    const ubase = { publicBaseUrl: uncapped.url, connectorUrl: fakes.connectorUrl };
    await h.phase(uncapped.url, requestFactory('web', h.freshUsers(ubase)), uncapped.child.pid, WARM_SECONDS);
    const result = await h.phase(uncapped.url, requestFactory('web', h.freshUsers(ubase)), uncapped.child.pid, SECONDS);
    await uncapped.child.stop();
    await deleteUnder(redis, h.prefix);
    withoutHeapCap = { flags: heapFlags, result };
    log(`   RSS peak ${(result.rssPeak / 1e6).toFixed(0)} MB, ${Math.round(result.rps)} req/s`);
  }

  // 4. Scaling.
  const scaling: BenchResults['scaling'] = [];
  for (const endpoint of EXTRAS ? (['web', 'sms'] as const) : []) {
    for (const workers of [1, 2]) {
      log(`4. scaling: ${endpoint}, ${workers} worker(s)`);
      const cl = await h.startServer(fakes, `cluster-${endpoint}-${workers}`, { workers });
      const cbase = { publicBaseUrl: cl.url, connectorUrl: fakes.connectorUrl };
      await h.phase(cl.url, requestFactory(endpoint, h.freshUsers(cbase)), cl.child.pid, WARM_SECONDS);
      const result = await h.phase(cl.url, requestFactory(endpoint, h.freshUsers(cbase)), cl.child.pid, SECONDS);
      scaling.push({ workers, endpoint, result });
      await cl.child.stop();
      log(`   ${Math.round(result.rps)} req/s, p99 ${result.latency.p99.toFixed(2)} ms`);
    }
  }

  const fakeStats = (await fetch(`${fakes.telegramApiRoot}/__stats`).then((r) => r.json())) as FakesStats;
  const results: BenchResults = {
    machine,
    engine,
    ceiling,
    peer,
    endpoints,
    cacheOff,
    before,
    beforeLabel: process.env.BENCH_BEFORE_LABEL ?? 'the build before',
    ready,
    uptime: uptimeLine(),
    startup: { runs: startupRuns, medianWallMs: median(startupRuns.map((s) => s.wallMs)) },
    rss: { idle: rssIdle, idleAfterLoad: rssIdleAfter, peakUnderLoad, ...(withoutHeapCap ? { withoutHeapCap } : {}) },
    redisLive,
    stored,
    scaling,
    outside: {
      guardAttempts: h.guardAttempts(),
      telegramCalls: fakeStats.telegram,
      connectorPosts: fakeStats.connector,
      twilioRestMessages: fakeStats.twilioMessages,
    },
    totalSeconds: (performance.now() - t0) / 1000,
  };
  const fixesFile = path.join(ROOT, 'bench', 'fixes.md');
  const fixes = existsSync(fixesFile) ? readFileSync(fixesFile, 'utf8') : 'None.';
  if (SMOKE) {
    // CI: the run worked end to end; its figures (a second per phase) are not results.
    renderResults(results, fixes);
    // Each endpoint answered its smoke request as it should, and no phase got an error status
    // (on a busy machine a one-second phase may end before its first answer: not a failure).
    const phases = [peer, ...endpoints.map((x) => x.saturated), ...cacheOff.map((x) => x.result)];
    const bad = phases.filter((r) => Object.keys(r.statusCodes).some((c) => !c.startsWith('2')));
    if (bad.length > 0 || endpoints.some((x) => !x.smoke.ok)) throw new Error('smoke: an endpoint answered wrongly');
    log(`smoke done in ${Math.round(results.totalSeconds)} s (RESULTS.md left as it is)`);
    return;
  }
  writeResults(path.join(ROOT, 'bench', 'RESULTS.md'), renderResults(results, fixes));
  writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`done in ${Math.round(results.totalSeconds)} s: bench/RESULTS.md, bench/results.json`);
}

/** `--render`: rewrites RESULTS.md from bench/results.json (after editing fixes.md or the report). */
function renderOnly(): void {
  const results = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  const fixesFile = path.join(ROOT, 'bench', 'fixes.md');
  writeResults(path.join(ROOT, 'bench', 'RESULTS.md'), renderResults(results, existsSync(fixesFile) ? readFileSync(fixesFile, 'utf8') : 'None.'));
  log('bench/RESULTS.md rendered from bench/results.json');
}

(process.argv.includes('--render') ? Promise.resolve().then(renderOnly) : main())
  .then(() => h.cleanup())
  .catch(async (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await h.cleanup();
    process.exitCode = 1;
  });
