/**
 * What bench/run.ts and bench/profile.ts share: building src/ into node_modules/.cache, the
 * local fakes, starting Dalil (one process or a node:cluster) with Redis state and every channel
 * switched on with fake credentials, the bare express ceiling, load phases that also read the
 * server's CPU time and RSS, and the clean-up of processes, Redis keys and temporary files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FakesInfo } from '../fakes.js';
import { runLoad } from './load.js';
import { runPaced } from './paced.js';
import { freePort, sampleRss, startChild, treeCpu, treeRss, waitForOk, type Child } from './proc.js';
import { connectRedis, deleteUnder, type BenchRedis } from './redis-tools.js';
import type { EndpointResult, PhaseResult } from './report.js';
import { BENCH_CREDENTIALS, type BenchRequest, type EndpointName, type FactoryOptions } from './requests.js';

/** The project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where src/ is compiled to (ignored by git, eslint and vitest); BENCH_DIST_DIR runs another build (A/B). */
export const DIST = process.env.BENCH_DIST_DIR ? path.resolve(process.env.BENCH_DIST_DIR) : path.join(ROOT, 'node_modules', '.cache', 'dalil-bench', 'dist');
const GUARD = pathToFileURL(path.join(ROOT, 'bench', 'guard.mjs')).href;
const TSX = ['--import', 'tsx'];

/** Progress on stderr. */
export const log = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** A started Dalil. */
export interface RunningServer {
  child: Child;
  url: string;
  port: number;
  /** From spawn to the first /healthz 200 (and, for a cluster, every worker ready). */
  wallMs: number;
}

/**
 * The node options of `npm start` (package.json "start": "node [options] dist/src/main.js"), so
 * the server is measured as it is deployed, heap settings included.
 */
export function startNodeOptions(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  const out: string[] = [];
  for (const w of words.slice(1)) {
    if (!w.startsWith('-')) break;
    out.push(w);
  }
  return out;
}

/** Runs `script` with tsx to completion and returns its stdout (bounded by `timeoutMs`). */
export function runTs(script: string, args: string[], timeoutMs: number): string {
  const res = spawnSync(process.execPath, [...TSX, script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`${script} failed (${res.status ?? res.signal}):\n${res.stderr}`);
  return res.stdout;
}

/** Compiles src/ with tsc into DIST (the same JavaScript `npm start` runs); returns a description. */
export function build(): string {
  log('building src/ with tsc');
  const started = performance.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', DIST], { cwd: ROOT, encoding: 'utf8' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!existsSync(path.join(DIST, 'src', 'main.js'))) throw new Error(`tsc produced no src/main.js:\n${res.stdout}${res.stderr}`);
  return res.status === 0
    ? `tsc -p tsconfig.json (${seconds} s), run with plain node`
    : `tsc -p tsconfig.json emitted with type errors (${seconds} s): ${res.stdout.split('\n')[0] ?? ''}`;
}

/** The processes, Redis prefix and temporary folder of one benchmark run. */
export class Harness {
  readonly work = mkdtempSync(path.join(os.tmpdir(), 'dalil-bench-'));
  readonly guardFile = path.join(this.work, 'guard.txt');
  /** As short as production's `dalil:` (key length counts in the memory per conversation). */
  readonly prefix = `bz${(Date.now() % 36 ** 4).toString(36).padStart(4, '0')}:`;
  readonly children: Child[] = [];
  redis: BenchRedis | undefined;
  private privateRedis: Child | undefined;
  private userBlock = 0;

  constructor(
    public redisUrl: string,
    readonly connections: number,
  ) {
    if (!/^redis:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\d+)?$/.test(redisUrl)) throw new Error('the benchmark only uses a loopback redis:// URL');
  }

  /**
   * Connects to Redis. When nothing answers at `redisUrl` and `redis-server` is installed, starts
   * a private one on a free loopback port (no persistence) for the run, and says so.
   */
  async connect(): Promise<BenchRedis> {
    let redis = await connectRedis(this.redisUrl).catch(() => undefined);
    if (!redis) {
      const port = await freePort();
      const child = startChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        env: { PATH: process.env.PATH },
        cwd: this.work,
        logFile: path.join(this.work, 'redis.log'),
      });
      await new Promise((r) => setTimeout(r, 300));
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
        throw new Error(`the benchmark needs Redis on ${this.redisUrl}, and redis-server could not be started: start one`);
      }
      this.privateRedis = child;
      log(`nothing answered at ${this.redisUrl}: started a private redis-server on 127.0.0.1:${port}`);
      this.redisUrl = `redis://127.0.0.1:${port}`;
      redis = await connectRedis(this.redisUrl);
    }
    for await (const keys of redis.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) {
        await redis.close();
        throw new Error(`Redis already has keys under ${this.prefix}: is another benchmark running? Try again.`);
      }
    }
    this.redis = redis;
    return redis;
  }

  /** Starts bench/fakes.ts and reads where it listens. */
  async startFakes(): Promise<FakesInfo> {
    const logFile = path.join(this.work, 'fakes.log');
    const child = startChild(process.execPath, [...TSX, path.join(ROOT, 'bench', 'fakes.ts')], { env: process.env, cwd: ROOT, logFile, stdin: 'pipe' });
    this.children.push(child);
    const until = Date.now() + 30_000;
    for (;;) {
      const line = readFileSync(logFile, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('{"telegramApiRoot"'));
      if (line) return JSON.parse(line) as FakesInfo;
      if (child.proc.exitCode !== null || Date.now() > until) throw new Error(`fakes did not start:\n${readFileSync(logFile, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The environment of the server: every channel on, fake credentials, local fakes, Redis. */
  serverEnv(port: number, fakes: FakesInfo, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const c = BENCH_CREDENTIALS;
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG,
      NODE_ENV: 'development', // Bot Framework is anonymous (Emulator mode) only outside production
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // The build lives under node_modules/.cache, so the content folders are given explicitly.
      CONTENT_DIR: path.join(ROOT, 'content'),
      INTENTS_DIR: path.join(ROOT, 'intents'),
      LOCALES_DIR: path.join(ROOT, 'locales'),
      HMAC_SECRET: c.hmacSecret,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: c.telegramToken,
      TELEGRAM_WEBHOOK_SECRET: c.telegramSecret,
      TELEGRAM_API_ROOT: fakes.telegramApiRoot,
      TWILIO_ACCOUNT_SID: c.twilioAccountSid,
      TWILIO_AUTH_TOKEN: c.twilioAuthToken,
      TWILIO_WHATSAPP_FROM: c.twilioWhatsappFrom,
      TWILIO_SMS_FROM: c.twilioSmsFrom,
      // The per-instance web chat cap would answer most of the load with a short "please wait".
      WEB_TURNS_PER_MINUTE: '0',
      // The editors' data and the saved matcher live in the run's folder: the first start trains
      // and saves, later starts load the saved model (a restart as in production).
      ADMIN_DATA_DIR: path.join(this.work, 'admin'),
      MICROSOFT_APP_ID: '',
      MICROSOFT_APP_PASSWORD: '',
      // Twilio's REST calls (WhatsApp turns of several messages) go to the local fake api.twilio.com.
      BENCH_REDIRECT: `api.twilio.com:443=${fakes.twilioApi}`,
      NODE_EXTRA_CA_CERTS: fakes.caFile,
      BENCH_GUARD_FILE: this.guardFile,
      ...extra,
    };
  }

  /**
   * Starts Dalil (one process, or `workers` under node:cluster) and waits until it answers.
   * `nodeArgs` replaces the node options of `npm start`; `dist` runs another build (A/B runs).
   */
  async startServer(fakes: FakesInfo, name: string, o: { workers?: number; nodeArgs?: string[]; dist?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningServer> {
    const port = await freePort();
    const logFile = path.join(this.work, `${name}.log`);
    const dist = o.dist ?? DIST;
    const script = o.workers ? path.join(ROOT, 'bench', 'cluster-server.mjs') : path.join(dist, 'src', 'main.js');
    const env = this.serverEnv(port, fakes, { ...(o.workers ? { BENCH_WORKERS: String(o.workers), BENCH_DIST: dist } : {}), ...o.env });
    const started = performance.now();
    const nodeArgs = [...(o.nodeArgs ?? startNodeOptions()), '--import', GUARD];
    const child = startChild(process.execPath, [...nodeArgs, script], { env, cwd: ROOT, logFile });
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/healthz`, 60_000, child.proc).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    });
    if (o.workers) {
      const until = Date.now() + 60_000;
      while (!/^ready$/m.test(readFileSync(logFile, 'utf8'))) {
        if (Date.now() > until || child.proc.exitCode !== null) throw new Error(`cluster did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    return { child, url, port, wallMs: performance.now() - started };
  }

  /** Dalil's training phrases as `npm run nlu:export` writes them (JSON lines), in the run's folder. */
  exportPhrases(): string {
    const file = path.join(this.work, 'phrases.jsonl');
    if (!existsSync(file)) writeFileSync(file, runTs(path.join(ROOT, 'src', 'cli', 'nlu-export.ts'), [], 120_000));
    return file;
  }

  /** Starts the peer: express + NLP.js trained on the phrase export, state in a Map (bench/peer-server.mjs). */
  async startPeer(limit?: number): Promise<{ child: Child; url: string; trainMs: number | undefined }> {
    const port = await freePort();
    const logFile = path.join(this.work, 'peer.log');
    const child = startChild(process.execPath, [path.join(ROOT, 'bench', 'peer-server.mjs')], {
      env: { PATH: process.env.PATH, PORT: String(port), PEER_PHRASES: this.exportPhrases(), ...(limit ? { PEER_LIMIT: String(limit) } : {}) },
      cwd: ROOT,
      logFile,
    });
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/healthz`, 120_000, child.proc);
    const ready = /^ready (.*)$/m.exec(readFileSync(logFile, 'utf8'));
    return { child, url, trainMs: ready ? (JSON.parse(ready[1] as string) as { trainMs: number }).trainMs : undefined };
  }

  /** Starts the bare express ceiling. */
  async startBare(): Promise<{ child: Child; url: string }> {
    const port = await freePort();
    const child = startChild(process.execPath, [path.join(ROOT, 'bench', 'bare-server.mjs')], {
      env: { PATH: process.env.PATH, PORT: String(port) },
      cwd: ROOT,
      logFile: path.join(this.work, 'bare.log'),
    });
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/`, 30_000, child.proc);
    return { child, url };
  }

  /**
   * One load phase against `url`, with the CPU time and RSS of process `pid` (and children):
   * closed-loop autocannon (as fast as answered), or open-loop at `rate` requests per second.
   */
  async phase(url: string, make: () => BenchRequest, pid: number, seconds: number, rate?: number): Promise<PhaseResult> {
    const cpu0 = treeCpu(pid);
    const rss = sampleRss(pid);
    const r = rate ? await runPaced({ url, make, seconds, rate, connections: this.connections }) : await runLoad({ url, make, seconds, connections: this.connections });
    const mem = rss.stop();
    const cpu = treeCpu(pid) - cpu0;
    return { ...r, rssPeak: Math.max(mem.peak, treeRss(pid)), cpuMsPerRequest: r.responses ? (cpu * 1000) / r.responses : Number.NaN };
  }

  /** Factory options whose users no other phase of this run uses. */
  freshUsers(base: Omit<FactoryOptions, 'users' | 'firstUser'>, users = 5000): FactoryOptions {
    this.userBlock += 1;
    return { ...base, users, firstUser: this.userBlock * 1_000_000 };
  }

  /** Hosts the guard refused (should be none). */
  guardAttempts(): string[] {
    return existsSync(this.guardFile) ? readFileSync(this.guardFile, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** Stops every child (last started first), deletes the run's Redis keys and temporary files. */
  async cleanup(keepFiles = false): Promise<void> {
    for (const c of [...this.children].reverse()) await c.stop().catch(() => undefined);
    this.children.length = 0;
    if (this.redis) {
      const n = await deleteUnder(this.redis, this.prefix).catch(() => -1);
      log(`deleted ${n} Redis keys under ${this.prefix}`);
      await this.redis.close().catch(() => undefined);
      this.redis = undefined;
    }
    await this.privateRedis?.stop();
    this.privateRedis = undefined;
    if (keepFiles) log(`logs kept in ${this.work}`);
    else rmSync(this.work, { recursive: true, force: true });
  }
}

/** One request outside the load, to check the endpoint answers what it should. */
export async function smoke(url: string, endpoint: EndpointName, make: () => BenchRequest): Promise<EndpointResult['smoke']> {
  const req = make();
  const res = await fetch(`${url}${req.path}`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const checks: Record<EndpointName, [boolean, string]> = {
    sms: [/<Response>.*<Message>/s.test(text), 'TwiML with a message'],
    whatsapp: [/<Response/.test(text), 'TwiML'],
    telegram: [res.status === 200, 'replies sent to the fake Bot API'],
    botframework: [/"activities"/.test(text), 'activities in the response'],
    'botframework-connector': [res.status >= 200 && res.status < 300, 'replies posted to the fake connector'],
    web: [/"replies":\[\{/.test(text), 'JSON replies'],
  };
  const [ok, note] = checks[endpoint];
  return { status: res.status, ok: ok && res.status >= 200 && res.status < 300, note };
}

/** Stops and cleans up on Ctrl+C or SIGTERM. */
export function cleanupOnSignal(h: Harness): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: stopping and cleaning up`);
      void h.cleanup().finally(() => process.exit(130));
    });
  }
}

/** The `ms` of the server's last `server.started` log line. */
export function startDalilMs(logFile: string): number | undefined {
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"server.started"'));
  const last = lines[lines.length - 1];
  return last ? (JSON.parse(last) as { ms?: number }).ms : undefined;
}

/** The value after `--name` in `args`, or `fallback`. */
export function argValue(args: readonly string[], name: string, fallback: string): string {
  return args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback;
}

/**
 * The harness of a one-off tool (bench/profile.ts, bench/phase.ts): Redis connected, src/ built
 * unless `--no-build` is in `args`, cleaned up on Ctrl+C, and the extra node options of
 * BENCH_NODE_ARGS for the server.
 */
export async function openToolHarness(args: readonly string[]): Promise<{ h: Harness; extraNodeArgs: string[] }> {
  const h = new Harness(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 20);
  cleanupOnSignal(h);
  await h.connect();
  if (!args.includes('--no-build')) build();
  return { h, extraNodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [] };
}
